"""Structural validation of one stored delivery into accepted rows and a row-level report.

Accepted rows are streamed to a Parquet file; only errors are kept in memory (capped), so a
large delivery is checked with bounded memory (R-IN-6).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from handistat.errors import DeliveryRejected
from handistat.intake.parse import ROW, ParsedBody
from handistat.intake.report import ErrorCollector, RowError, mask_cpr
from handistat.intake.rules import MESSAGES, DeliveryFormat, Kind, RowRule, validation_sql
from handistat.register.sql import quote_literal
from handistat.stores.warehouse import scratch

SCOPE_RULE_CODE = "KOMMUNE_NOT_ALLOWED"


@dataclass
class Validated:
    rows_total: int
    rows_accepted: int
    errors: ErrorCollector
    warnings: list[str] = field(default_factory=list)
    superseded: list[dict[str, object]] = field(default_factory=list)
    """R-HB-1: earlier rows of a key repeated in the delivery, replaced by its last row
    (the first `cap` of them; `superseded_total` counts all)."""
    superseded_total: int = 0
    direct: bool = False
    """Judged by `intake.direct` (one DuckDB pass, no error found), not by the general path."""


FOREIGN_MESSAGE = "ingen af leverancens rækker gælder en kommune, som afsenderen må indberette for"


def outside_scope(validated: Validated, scope: frozenset[str] | None) -> bool:
    """R-IN-5: every row of the delivery names a municipality outside the sender's scope
    (403). A mixed delivery has its foreign rows rejected row by row instead."""
    foreign = validated.errors.totals.get(SCOPE_RULE_CODE, 0)
    return scope is not None and validated.rows_total > 0 and foreign == validated.rows_total


def with_scope(fmt: DeliveryFormat, column: str, scope: frozenset[str] | None) -> DeliveryFormat:
    if scope is None:
        return fmt
    listed = ", ".join(quote_literal(k) for k in sorted(scope)) or "NULL"
    rule = RowRule(
        SCOPE_RULE_CODE,
        column,
        f"{column} NOT IN ({listed})",
        "afsenderen må ikke indberette for denne kommune",
    )
    return replace(fmt, row_rules=(*fmt.row_rules, rule))


def _shown(value: object) -> str:
    """The offending value as shown in a report: CPR-like digits always masked."""
    return mask_cpr("" if value is None else str(value))


def _collect(fmt: DeliveryFormat, checked: pa.Table, raw: pa.Table, sink: ErrorCollector) -> None:
    """Turn the failing rows into row errors, showing each offending value masked."""
    failing_raw = raw.filter(pc.is_in(raw[ROW], value_set=checked[ROW].combine_chunks()))
    by_row = {r[ROW]: r for r in failing_raw.to_pylist()}
    for row in checked.to_pylist():
        for rule in fmt.columns:
            code = row[f"err_{rule.name}"]
            if code:
                value = by_row[row[ROW]].get(rule.name, "")
                sink.add(RowError(row[ROW], rule.name, code, MESSAGES[code], _shown(value)))
        for i, rrule in enumerate(fmt.row_rules):
            if row[f"err_rule_{i}"]:
                sink.add(
                    RowError(
                        row[ROW],
                        rrule.column,
                        rrule.code,
                        rrule.message,
                        _shown(by_row[row[ROW]].get(rrule.column)),
                    )
                )


def validate_to_parquet(
    body: ParsedBody,
    fmt: DeliveryFormat,
    out: Path,
    *,
    today: dt.date,
    cap: int,
    scope: frozenset[str] | None = None,
    scope_column: str = "kommune",
) -> Validated:
    """Check every row; write the accepted, normalised rows to `out` (atomically)."""
    fmt = with_scope(fmt, scope_column, scope)
    sql = validation_sql(fmt, "batch", body.columns, today_sql(today))
    if fmt.unique_key:  # a 64-bit hash of each row's key: repeats are found without a re-read
        sql = f"SELECT *, hash({', '.join(fmt.unique_key)}) AS {KEY_HASH} FROM ({sql})"
    checked = ((pa.Table.from_batches([batch]), _checked(sql, batch)) for batch in body.batches)
    return _finish(fmt, body, checked, out, cap)


KEY_HASH = "_key_hash"


def today_sql(today: dt.date) -> str:
    return f"DATE '{today.isoformat()}'"


@dataclass
class Pending:
    """One small parsed delivery to be checked together with others (`validate_many`)."""

    body: ParsedBody
    out: Path
    today: dt.date


FILE_SHIFT = 32
"""`validate_many` numbers a row `file << 32 | row`: a small delivery has < 2^32 rows."""


def validate_many(
    pending: list[Pending],
    fmt: DeliveryFormat,
    *,
    cap: int,
    scope: frozenset[str] | None = None,
    scope_column: str = "kommune",
) -> list[Validated | DeliveryRejected]:
    """`validate_to_parquet` for many small deliveries with ONE validation query per day and
    set of present columns, instead of one per delivery (issue 15.6: binding and planning
    the query cost ~20 CPU-ms per delivery, more than its rows). Each delivery keeps its own
    rows, row numbers, report and staging file; one that cannot be read (a malformed CSV) is
    returned as its `DeliveryRejected`, the others are unaffected."""
    fmt = with_scope(fmt, scope_column, scope)
    results: list[Validated | DeliveryRejected | None] = [None] * len(pending)
    batches: dict[int, list[pa.RecordBatch]] = {}
    groups: dict[tuple[dt.date, tuple[str, ...]], list[int]] = {}
    known = [c.name for c in fmt.columns]
    for index, item in enumerate(pending):
        try:
            batches[index] = list(item.body.batches)  # a small file is one batch
        except DeliveryRejected as exc:
            results[index] = exc
            continue
        if not batches[index]:  # a header and no rows
            results[index] = _finish(fmt, item.body, [], item.out, cap)
            continue
        present = tuple(n for n in known if n in item.body.columns)
        groups.setdefault((item.today, present), []).append(index)
    for (today, present), members in groups.items():
        sql = validation_sql(fmt, "batch", present, today_sql(today))
        parts, sizes = [], []
        for index in members:
            raw = pa.Table.from_batches(batches[index]).select([*present, ROW])
            numbered = pc.bit_wise_or(raw[ROW], pa.scalar(index << FILE_SHIFT, pa.int64()))
            parts.append(raw.set_column(len(present), ROW, numbered))
            sizes.append(raw.num_rows)
        combined = pa.concat_tables(parts).combine_chunks()
        checked = _checked(sql, combined).sort_by(ROW)  # each delivery's rows in one slice
        unshifted = pc.bit_wise_and(checked[ROW], pa.scalar((1 << FILE_SHIFT) - 1, pa.int64()))
        checked = checked.set_column(checked.schema.get_field_index(ROW), ROW, unshifted)
        offset = 0
        for index, size in zip(members, sizes, strict=True):
            mine = checked.slice(offset, size)
            offset += size
            raw_rows = pa.Table.from_batches(batches[index])
            item = pending[index]
            results[index] = _finish(fmt, item.body, [(raw_rows, mine)], item.out, cap)
    done = [r for r in results if r is not None]
    assert len(done) == len(pending), "every delivery is judged"
    return done


def _finish(
    fmt: DeliveryFormat,
    body: ParsedBody,
    checked_batches: Iterable[tuple[pa.Table, pa.Table]],
    out: Path,
    cap: int,
) -> Validated:
    """Collect the errors of checked batches (raw rows, validation query's rows), write the
    accepted rows to `out` (atomically) and apply the delivery's key rule."""
    errors = ErrorCollector(cap=cap)
    tmp = out.with_suffix(".tmp.parquet")
    out.parent.mkdir(parents=True, exist_ok=True)
    keep = [ROW, *(c.name for c in fmt.columns)]
    err_cols = [f"err_{c.name}" for c in fmt.columns] + [
        f"err_rule_{i}" for i in range(len(fmt.row_rules))
    ]
    total = accepted = 0
    writer: pq.ParquetWriter | None = None
    single = True  # one batch: the key check can run on the rows in memory
    good: pa.Table | None = None
    hashes: list[pa.ChunkedArray] = []  # of the accepted rows, when the query computes them
    numbers: list[pa.ChunkedArray] = []
    for index, (raw, checked) in enumerate(checked_batches):
        total += raw.num_rows
        single = index == 0
        failing = _any_error(checked, err_cols)
        if pc.any(failing).as_py():
            _collect(fmt, checked.filter(failing), raw, errors)
            checked = checked.filter(pc.invert(failing))
        good = checked.select(keep)
        if KEY_HASH in checked.column_names:
            hashes.append(checked[KEY_HASH])
            numbers.append(checked[ROW])
        del checked, raw  # R-PERF-3: nothing of a batch outlives its turn but its key hashes
        accepted += good.num_rows
        writer = writer or pq.ParquetWriter(tmp, good.schema)
        writer.write_table(good)
    for error in body.row_errors:
        errors.add(error)
    total += len(body.row_errors)
    if writer is None:
        _write_empty(fmt, tmp)
    else:
        writer.close()
    # Only rows whose key hash repeats can repeat a key; without hashes, any row can
    candidates = _repeated(hashes, numbers) if hashes else None
    superseded: list[dict[str, object]] = []
    if fmt.last_row_wins and single and _keys_unique(fmt, good):
        pass  # no key repeats: nothing to supersede (issue 15.6: no re-read)
    elif candidates is not None and len(candidates) == 0:
        pass  # no key hash repeats: no key does (R-PERF-3: no re-read of a large delivery)
    elif fmt.last_row_wins:
        with scratch() as con:
            superseded = _keep_last_row(con, fmt, tmp, candidates)
        accepted -= len(superseded)
    else:
        with scratch() as con:
            accepted -= _enforce_unique(con, fmt, tmp, errors, candidates)
    os.replace(tmp, out)
    return Validated(
        total, accepted, errors, list(body.warnings), superseded[:cap], len(superseded)
    )


class _Views(threading.local):
    """Per thread: an in-memory connection kept open and the validation queries created on it
    as views.

    A view is parsed once; each batch then binds `SELECT * FROM <view>` against the batch
    registered under `batch` at that moment (a prepared statement would keep reading the
    first batch). Planning the 4-10 kB query text anew cost more than validating a small
    delivery (issue 15.6)."""

    def __init__(self) -> None:
        self.con: duckdb.DuckDBPyConnection | None = None
        self.names: dict[str, str] = {}


_VIEWS = _Views()
_MAX_VIEWS = 32  # one per format, present columns, day and sender scope; the oldest go


def one_thread_connection() -> duckdb.DuckDBPyConnection:
    """This thread's in-memory DuckDB connection with one thread: the validation query is a
    projection of one batch (a second thread only added buffers, R-PERF-3), and
    `intake.direct` needs the records read in order."""
    if _VIEWS.con is None:
        _VIEWS.con = duckdb.connect(":memory:", config={"threads": 1})
    return _VIEWS.con


def _checked(sql: str, batch: pa.RecordBatch) -> pa.Table:
    """The validation query `sql` (reading `batch`) over one batch."""
    con = one_thread_connection()
    con.register("batch", batch)
    try:
        name = _VIEWS.names.get(sql)
        if name is None:
            name = _VIEWS.names[sql] = f"validation_{hashlib.sha256(sql.encode()).hexdigest()[:16]}"
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")
            if len(_VIEWS.names) > _MAX_VIEWS:
                oldest = next(iter(_VIEWS.names))
                con.execute(f"DROP VIEW IF EXISTS {_VIEWS.names.pop(oldest)}")
        return con.sql(f"SELECT * FROM {name}").to_arrow_table()
    finally:
        con.unregister("batch")


def _keys_unique(fmt: DeliveryFormat, good: pa.Table | None) -> bool:
    """Whether no key repeats among the accepted rows of a one-batch delivery."""
    if good is None or good.num_rows < 2:
        return True
    if good.num_rows <= 10_000:  # a Python set is ~100x cheaper than Arrow's group_by here
        columns = [good[name].to_pylist() for name in fmt.unique_key]
        return bool(len(set(zip(*columns, strict=True))) == good.num_rows)
    keys = good.select(list(fmt.unique_key))
    return bool(keys.group_by(list(fmt.unique_key)).aggregate([]).num_rows == good.num_rows)


def _any_error(checked: pa.Table, columns: list[str]) -> pa.ChunkedArray:
    mask = pc.is_valid(checked[columns[0]])
    for column in columns[1:]:
        mask = pc.or_(mask, pc.is_valid(checked[column]))
    return mask


def _write_empty(fmt: DeliveryFormat, tmp: Path) -> None:
    types = {Kind.DATE: pa.date32()}
    schema = pa.schema(
        [(ROW, pa.int64())] + [(c.name, types.get(c.kind, pa.string())) for c in fmt.columns]
    )
    pq.write_table(schema.empty_table(), tmp)


def _repeated(hashes: list[pa.ChunkedArray], numbers: list[pa.ChunkedArray]) -> pa.Array:
    """The row numbers whose key hash occurs more than once (16 bytes per row in memory)."""
    digests = [c.to_numpy(zero_copy_only=False) for h in hashes for c in h.chunks]
    if not digests:
        return pa.array([], pa.int64())
    digest = np.concatenate(digests)
    rows = np.concatenate([c.to_numpy(zero_copy_only=False) for n in numbers for c in n.chunks])
    ordered = np.sort(digest)
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(repeated):
        return pa.array([], pa.int64())
    return pa.array(rows[np.isin(digest, repeated)], pa.int64())


def _among(con: duckdb.DuckDBPyConnection, tmp: Path, candidates: pa.Array | None) -> str:
    """The staged rows to check for repeated keys: all, or only the candidate rows."""
    src = f"read_parquet({quote_literal(str(tmp))})"
    if candidates is None:
        return src
    con.register("candidates", pa.table({ROW: candidates}))
    return f"(SELECT * FROM {src} WHERE {ROW} IN (SELECT {ROW} FROM candidates))"


def _drop_rows(tmp: Path, rows: list[int]) -> None:
    """Rewrite the staged file without `rows`, batch by batch, in the same order."""
    drop = pa.array(rows, pa.int64())
    filtered = tmp.with_suffix(".kept.parquet")
    source = pq.ParquetFile(tmp)
    with pq.ParquetWriter(filtered, source.schema_arrow) as writer:
        for batch in source.iter_batches(batch_size=64 * 1024):
            writer.write_batch(batch.filter(pc.invert(pc.is_in(batch[ROW], value_set=drop))))
    os.replace(filtered, tmp)


def _keep_last_row(
    con: duckdb.DuckDBPyConnection, fmt: DeliveryFormat, tmp: Path, candidates: pa.Array | None
) -> list[dict[str, object]]:
    """R-HB-1: of the valid rows sharing a key, the last one in the file counts; the earlier
    ones are returned (row, masked key, the row that replaced it), not reported as errors.
    `candidates`: the only rows that can share a key (None: any row)."""
    src = _among(con, tmp, candidates)
    key = ", ".join(fmt.unique_key)
    last = f"max({ROW}) OVER (PARTITION BY {key})"
    earlier = con.execute(
        f"SELECT {ROW}, {last} AS winner, {key} FROM {src} QUALIFY {ROW} < winner ORDER BY {ROW}"
    ).fetchall()
    if earlier:
        _drop_rows(tmp, [int(r[0]) for r in earlier])
    return [
        {
            "row": int(r[0]),
            "key": mask_cpr("/".join(str(v) for v in r[2:])),
            "replaced_by_row": int(r[1]),
        }
        for r in earlier
    ]


def _enforce_unique(
    con: duckdb.DuckDBPyConnection,
    fmt: DeliveryFormat,
    tmp: Path,
    errors: ErrorCollector,
    candidates: pa.Array | None,
) -> int:
    """Rows whose key repeats within the delivery are all rejected (which one is meant is
    unknowable); returns the number of rows removed. `candidates` as in `_keep_last_row`."""
    if not fmt.unique_key:
        return 0
    src = _among(con, tmp, candidates)
    key = ", ".join(fmt.unique_key)
    repeated = f"QUALIFY count(*) OVER (PARTITION BY {key})"
    dupes = con.execute(f"SELECT {ROW}, {key} FROM {src} {repeated} > 1 ORDER BY {ROW}").fetchall()
    for row in dupes:
        shown = "/".join(str(v) for v in row[1:])
        errors.add(
            RowError(
                int(row[0]),
                fmt.unique_key[-1],
                "DUPLICATE_ID",
                f"nøglen {shown} står flere gange i leverancen",
                mask_cpr(shown),
            )
        )
    if dupes:
        _drop_rows(tmp, [int(r[0]) for r in dupes])
    return len(dupes)
