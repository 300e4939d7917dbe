"""Turn a stored delivery body (CSV or JSON) into Arrow batches of text columns.

Structural problems that make the whole body unreadable raise `DeliveryRejected` with every
reason found; a row with the wrong number of fields becomes a row error. Rows are numbered as
records with the header as row 1, which is the line number unless a value spans lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from numpy.typing import NDArray

from handistat.errors import DeliveryRejected
from handistat.intake.report import RowError
from handistat.masking import mask_cpr

ROW = "_row"
BLOCK_SIZE = 1 << 20
"""Bytes per read of the CSV parser. Arrow's streaming reader reads up to 32 blocks ahead in
the background: with 8 MiB blocks it held a 66 MB delivery whole (+100 MiB RSS, R-PERF-3)."""
BATCH_ROWS = 50_000
"""Rows handed on per batch: blocks are joined up to this, so the validation query is bound
once per ~4 MiB of a large delivery (binding costs ~20 CPU-ms), not once per 1 MiB block."""
HEADER_LIMIT = 64 * 1024
"""Longest header line read (bytes); a longer one is refused before any parsing."""
COLUMN_LIMIT = 100
"""Most columns in a header (the formats have 7 and 8); 10^6 columns took 8.9 GB to parse."""


@dataclass
class ParsedBody:
    """The header (normalised names) and a one-shot stream of batches with a `_row` column."""

    columns: list[str]
    batches: Iterator[pa.RecordBatch]
    row_errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _first_line(path: Path) -> str:
    """The header line; `DeliveryRejected` when it is longer than `HEADER_LIMIT`."""
    with path.open("rb") as handle:
        head = handle.read(HEADER_LIMIT + 1)
    line, newline, _ = head.partition(b"\n")
    if not newline and len(head) > HEADER_LIMIT:
        raise DeliveryRejected(
            f"overskriften (første linje) er længere end {HEADER_LIMIT // 1024} KB; "
            "en leverance har én kort overskrift med kolonnenavnene",
            details={"code": "HEADER_TOO_LONG", "limit_bytes": HEADER_LIMIT},
        )
    return line.rstrip(b"\r").decode("utf-8-sig", errors="replace")


def _check_column_count(count: int) -> None:
    if count > COLUMN_LIMIT:
        raise DeliveryRejected(
            f"leverancen har {count} kolonner; højst {COLUMN_LIMIT} kan læses "
            "(formatet har 7-8 kolonner)",
            details={"code": "TOO_MANY_COLUMNS", "columns": count, "limit": COLUMN_LIMIT},
        )


def check_header(path: Path, required: set[str], known: set[str]) -> tuple[list[str], list[str]]:
    """The normalised column names, or `DeliveryRejected` listing what is wrong."""
    line = _first_line(path)
    _check_column_count(line.count(";") + 1)
    names = [n.strip().strip('"').strip().casefold() for n in line.split(";")]
    if len(names) == 1 and ("," in line or "\t" in line):
        raise DeliveryRejected(
            "kolonner skal adskilles med semikolon (;), men overskriften ser ud til at bruge "
            "komma eller tabulator",
            details={"code": "WRONG_DELIMITER"},
        )
    problems = []
    if any(not n for n in names):
        problems.append("overskriften har en tom kolonne")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(f"kolonner står flere gange: {mask_cpr(', '.join(duplicates))}")
    missing = sorted(required - set(names))
    if missing:
        problems.append(f"påkrævede kolonner mangler: {', '.join(missing)}")
    if problems:
        raise DeliveryRejected(
            "leverancen kan ikke læses: " + "; ".join(problems),
            # found_columns of a header-less file are the first data row: masked (R-IN-3)
            details={
                "code": "BAD_HEADER",
                "problems": problems,
                "found_columns": [mask_cpr(n) for n in names],
            },
        )
    unknown = sorted(set(names) - known)
    shown = mask_cpr(", ".join(unknown))
    warnings = [f"ukendte kolonner ignoreres: {shown}"] if unknown else []
    return names, warnings


def parse_csv(
    path: Path,
    required: set[str],
    known: set[str],
    checked: tuple[list[str], list[str]] | None = None,
) -> ParsedBody:
    """The body's rows in batches. `checked`: the header as `check_header` already returned
    it (the direct pass checks it first; its fallback need not read it again)."""
    names, warnings = checked if checked is not None else check_header(path, required, known)
    left_out: list[tuple[int, int]] = []  # (line, fields found), in the order parsed

    def on_invalid(row: Any) -> str:
        left_out.append((int(row.number), int(row.actual_columns)))
        return "skip"

    if _header_only(path):  # Arrow refuses a body of one line without a line break
        return ParsedBody(names, iter(()), [], warnings)
    try:
        reader = _open(path, on_invalid)
    except pa.ArrowInvalid as exc:
        raise _malformed(1, exc) from exc
    body = ParsedBody(names, iter(()), [], warnings)
    body.batches = _numbered(reader, names, left_out, body.row_errors, len(names))
    return body


def _header_only(path: Path) -> bool:
    """A body of one line: the header and no line break (nor any row)."""
    with path.open("rb") as handle:
        head = handle.read(HEADER_LIMIT + 1)
    return len(head) <= HEADER_LIMIT and b"\n" not in head and b"\r" not in head


def _malformed(last_row: int, exc: Exception) -> DeliveryRejected:
    return DeliveryRejected(
        "leverancen kan ikke læses som CSV (fx et felt der er for langt eller et "
        f"uafsluttet anførselstegn) efter række {last_row}",
        details={"code": "MALFORMED_CSV", "parser": str(exc)[:200]},
    )


def _open(path: Path, on_invalid: Callable[[Any], str]) -> pacsv.CSVStreamingReader:
    return pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=BLOCK_SIZE, encoding="utf8"),
        parse_options=pacsv.ParseOptions(
            delimiter=";", newlines_in_values=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(_raw_names(path), pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _raw_names(path: Path) -> list[str]:
    return [n.strip('"') for n in _first_line(path).split(";")]


def _numbered(
    reader: pacsv.CSVStreamingReader,
    names: list[str],
    left_out: list[tuple[int, int]],
    row_errors: list[RowError],
    expected: int,
) -> Iterator[pa.RecordBatch]:
    """The parsed batches with their line numbers (`ROW`), joined to `BATCH_ROWS`; `left_out`
    fills, as the reader parses, with the rows it skipped (line, fields found)."""
    next_row = 2
    waiting: list[pa.RecordBatch] = []
    seen = 0  # `left_out[seen:]`: rows skipped since the last batch
    ahead: list[int] = []  # skipped lines at or after `next_row`
    try:
        for batch in reader:
            fresh = left_out[seen:]
            seen += len(fresh)
            _report_ragged(fresh, row_errors, expected)
            ahead += (line for line, _ in fresh)
            numbers = row_numbers(next_row, batch.num_rows, ahead)
            if len(numbers):
                next_row = int(numbers[-1]) + 1
                ahead = [line for line in ahead if line >= next_row]
            waiting.append(
                pa.RecordBatch.from_arrays([*batch.columns, pa.array(numbers)], names=[*names, ROW])
            )
            if sum(b.num_rows for b in waiting) >= BATCH_ROWS:
                yield _joined(waiting)
                waiting = []
        if waiting:
            yield _joined(waiting)
        _report_ragged(left_out[seen:], row_errors, expected)
    except pa.ArrowInvalid as exc:
        raise _malformed(next_row - 1, exc) from exc


def row_numbers(first: int, count: int, skipped: Collection[int]) -> NDArray[np.int64]:
    """The file's line numbers of `count` parsed rows: the first `count` numbers from `first`
    on that are not in `skipped` (rows the parser left out). Vectorised (issue 15): cProfile
    put 6 of the national intake's 26 CPU-s on the loop per row it replaces, though
    without the profiler the gain is 1-2 CPU-s (`benchmarks/results/ab-national-view.json`)."""
    ahead = [n for n in skipped if n >= first] if skipped else []
    numbers = np.arange(first, first + count + len(ahead), dtype=np.int64)
    if ahead:
        numbers = numbers[~np.isin(numbers, ahead)]
    return numbers[:count]


def _joined(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    return batches[0] if len(batches) == 1 else pa.concat_batches(batches)


def _report_ragged(rows: list[tuple[int, int]], row_errors: list[RowError], expected: int) -> None:
    """A row error for each (line, fields found) the parser left out for its field count."""
    for number, found in sorted(rows):
        row_errors.append(
            RowError(
                number,
                "",
                "WRONG_FIELD_COUNT",
                f"rækken har {found} felter, overskriften har {expected}",
            )
        )


def parse_json(path: Path, known: set[str], inherit: tuple[str, ...]) -> ParsedBody:
    """`{"kommune": "101", "records": [{...}, ...]}`; top-level `inherit` keys fill the rows."""
    try:
        document = json.loads(path.read_bytes())
    except RecursionError as exc:
        raise DeliveryRejected(
            "leverancen er ikke gyldig JSON: den er indlejret for dybt",
            details={"code": "BAD_JSON"},
        ) from exc
    except (UnicodeDecodeError, ValueError) as exc:  # ValueError: also a 5,000-digit number
        raise DeliveryRejected(
            f"leverancen er ikke gyldig JSON: {str(exc)[:200]}", details={"code": "BAD_JSON"}
        ) from exc
    records = document.get("records") if isinstance(document, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DeliveryRejected(
            'JSON skal have formen {"kommune": "...", "records": [{...}, ...]}',
            details={"code": "BAD_JSON"},
        )
    defaults = {k: _text(document.get(k)) for k in inherit if k in document}
    rows = [{**defaults, **{str(k).casefold(): _text(v) for k, v in r.items()}} for r in records]
    names = sorted({k for r in rows for k in r} | set(defaults))
    _check_column_count(len(names))
    warnings = [f"ukendte felter ignoreres: {mask_cpr(', '.join(sorted(set(names) - known)))}"]
    columns = {n: pa.array([r.get(n, "") for r in rows], pa.string()) for n in names}
    columns[ROW] = pa.array(range(1, len(rows) + 1), pa.int64())
    batch = pa.RecordBatch.from_pydict(columns) if rows else None
    return ParsedBody(
        names, iter([batch] if batch else []), [], warnings if set(names) - known else []
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


Parser = Callable[[Path], ParsedBody]
