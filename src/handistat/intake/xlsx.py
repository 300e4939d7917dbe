"""XLSX → the §2.1/§2.2 CSV, with the work per upload bounded (issue 13 item 8; R-IN-1 c, R-IN-6).

A 349 KB XLSX can hold 500,000 rows and took 45 s of server time to convert. Three bounds, all
before or while reading, never after:

- the uncompressed size of the workbook's parts as the ZIP directory declares them (Python's
  zipfile never inflates an entry past its declared size, so a lying entry cannot exceed it);
- the number of data rows: the sheet's declared dimension is checked before any row is read,
  and the rows are counted while reading, so a sheet without (or with a false) dimension stops
  at the cap;
- the number of columns: the header and every row are checked, and cells past the cap are
  never turned into text.

A refused workbook is a `PayloadTooLarge` (413) with a Danish message that says to send CSV.
See docs/decisions/upload-limits.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from handistat.errors import DeliveryRejected, PayloadTooLarge

MAX_ROWS = 100_000
"""Data rows per XLSX upload; a larger file goes as CSV (no cap there but the byte limit)."""
MAX_COLUMNS = 64
"""Columns per sheet; the formats have at most 8, so 64 leaves room for notes columns."""
MAX_UNCOMPRESSED_BYTES = 256 * 1024**2
"""The workbook's parts together, inflated."""
PADDED = {"kommune": 3, "indberetningskommune": 3, "betalingskommune": 3, "cpr": 10}
"""Spreadsheets turn codes into numbers and drop leading zeros; they are put back."""


def too_large(what: str, code: str) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"regnearket er for stort: {what}; send filen som CSV i stedet, eller del den op",
        details={"code": code},
    )


def bad_xlsx() -> DeliveryRejected:
    return DeliveryRejected(
        "regnearket kan ikke læses som XLSX; gem det igen som .xlsx eller send CSV",
        details={"code": "BAD_XLSX"},
    )


def check_inflated_size(source: IO[bytes]) -> None:
    """Refuse a workbook whose parts inflate past `MAX_UNCOMPRESSED_BYTES` (a ZIP bomb)."""
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise bad_xlsx() from exc
    finally:
        source.seek(0)
    if inflated > MAX_UNCOMPRESSED_BYTES:
        limit = MAX_UNCOMPRESSED_BYTES // 1024**2
        raise too_large(f"indholdet fylder over {limit} MB udpakket", "XLSX_TOO_LARGE")


def check_dimension(sheet: Any) -> None:
    """The sheet's declared size (read before any row; absent or false is caught later)."""
    rows, columns = sheet.max_row, sheet.max_column
    if isinstance(rows, int) and rows > MAX_ROWS + 1:
        raise too_large(f"over {MAX_ROWS:_} rækker".replace("_", "."), "XLSX_TOO_MANY_ROWS")
    if isinstance(columns, int) and columns > MAX_COLUMNS:
        raise too_large(f"over {MAX_COLUMNS} kolonner", "XLSX_TOO_MANY_COLUMNS")


def cell_text(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    width = PADDED.get(column)
    return text.zfill(width) if width and isinstance(value, int) else text


def bounded_rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows (header first, blank rows left out), refusing past the caps."""
    for index, values in enumerate(sheet.iter_rows(values_only=True)):
        if index > MAX_ROWS:
            raise too_large(f"over {MAX_ROWS:_} rækker".replace("_", "."), "XLSX_TOO_MANY_ROWS")
        if len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
            raise too_large(f"over {MAX_COLUMNS} kolonner", "XLSX_TOO_MANY_COLUMNS")
        if index == 0 or any(v is not None for v in values):
            yield values[:MAX_COLUMNS]


def write_csv(sheet: Any, target: Path) -> int:
    rows = 0
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        header: list[str] | None = None
        for values in bounded_rows(sheet):
            if header is None:
                header = [cell_text(v, "").casefold() for v in values]
                writer.writerow(header)
                continue
            padded = (*values, *(None,) * (len(header) - len(values)))  # trailing blanks
            writer.writerow(cell_text(v, c) for v, c in zip(padded, header, strict=False))
            rows += 1
    return rows


def xlsx_to_csv(source: IO[bytes], target: Path) -> int:
    """The first sheet as `;`-separated UTF-8 CSV; returns the number of data rows."""
    from openpyxl import load_workbook

    check_inflated_size(source)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise bad_xlsx() from exc
    try:
        sheet = book.worksheets[0]
        check_dimension(sheet)
        sheet.reset_dimensions()  # read every row (the counter caps them), not a false size
        return write_csv(sheet, target)
    finally:
        book.close()
