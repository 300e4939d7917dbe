"""A municipality's own data in the register, for the portal and the API: the current version
of its HANDBU records, and the register's reports limited to that municipality (R-CPR-5)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from handistat.formula import safe_row
from handistat.register.reports import REPORTS, report_rows
from handistat.stores.warehouse import Warehouse

RECORD_COLUMNS = ("indsats_id", "cpr", "paragraf", "startdato", "slutdato", "status")
PORTAL_REPORTS = {
    "handbu": ("cpr-fejl", "handbu-dubletter"),
    "genbrug": ("rensning", "genbrug-dubletter", "paragraf", "paragraf-ukendte"),
}


def current_records_sql(search: bool) -> str:
    """R-HB-1: the latest version of each of the municipality's records (annulled included)."""
    condition = "AND (indsats_id ILIKE ? OR cpr LIKE ?)" if search else ""
    return f"""
SELECT {", ".join(RECORD_COLUMNS)}, delivery_id
FROM (
  SELECT *, ROW_NUMBER() OVER (
    PARTITION BY kommune, indsats_id ORDER BY delivery_id DESC, _row DESC) AS version_rank
  FROM indberetninger WHERE kommune = ?
) AS ranked
WHERE version_rank = 1 {condition}
ORDER BY indsats_id"""


def current_records(
    warehouse: Warehouse, kommune: str, search: str = "", limit: int | None = 100, offset: int = 0
) -> list[dict[str, Any]]:
    if not warehouse.has_table("indberetninger"):
        return []
    term = search.strip()
    params: list[Any] = [kommune]
    if term:
        params += [f"%{term}%", f"%{term.replace('-', '')}%"]
    sql = current_records_sql(bool(term))
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    rows: list[dict[str, Any]] = warehouse.query(sql, params).to_pylist()
    return rows


def one_record(warehouse: Warehouse, kommune: str, indsats_id: str) -> dict[str, Any] | None:
    if not warehouse.has_table("indberetninger"):
        return None
    rows = warehouse.query(
        f"SELECT * FROM ({current_records_sql(False)}) AS r WHERE indsats_id = ?",
        [kommune, indsats_id],
    ).to_pylist()
    return rows[0] if rows else None


def records_csv(warehouse: Warehouse, kommune: str) -> Iterator[bytes]:
    """The municipality's current records as a §2.1 CSV (can be corrected and sent back)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(("kommune", *RECORD_COLUMNS))
    yield ("\ufeff" + buffer.getvalue()).encode()
    for row in current_records(warehouse, kommune, limit=None):
        buffer.seek(0)
        buffer.truncate()
        cells = ("" if row[c] is None else str(row[c]) for c in RECORD_COLUMNS)
        writer.writerow(safe_row((kommune, *cells)))
        yield buffer.getvalue().encode()


def own_report(warehouse: Warehouse, name: str, kommune: str | None) -> dict[str, Any]:
    """A register report for one municipality (or all, for staff); empty when not built yet."""
    report = REPORTS[name]
    built = warehouse.has_table(report.table)
    rows = report_rows(warehouse, name, kommune) if built else []
    return {
        "name": name,
        "title": report.title,
        "columns": report.columns,
        "rows": rows,
        "built": built,
        "personal": report.personal,
    }
