"""The intake report as a case officer reads it (issue 11 item 7): a Danish title for each error
code first, what the field must hold (format, valid codes; the upload page's column list
says it in the same words), the case id of the row, and the
rejected rows as a CSV to fix and send again. The codes themselves stay in the stored report
and the API (others depend on them); pages never show them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from handistat.intake.formats import _ID, HANDBU
from handistat.intake.rules import ColumnRule, Kind
from handistat.web.danish import antal
from handistat.web.report_labels import column_label

TITLES = {
    "MISSING_VALUE": "Feltet er tomt",
    "BAD_FORMAT": "Forkert format",
    "BAD_DATE": "Ugyldig dato",
    "UNKNOWN_CODE": "Ukendt kode",
    "INVALID_CPR": "Ugyldigt CPR-nummer",
    "MISSING_COLUMN_VALUE": "Kolonnen mangler",
    "KOMMUNE_NOT_ALLOWED": "Kommunen må ikke indberettes af jer",
    "KOMMUNE_NOT_HEADER": "Anden kommune end i leverancens hoved",
    "DUPLICATE_ID": "Sags-id'et står flere gange",
    "END_BEFORE_START": "Slutdato før startdato",
    "START_TOO_EARLY": "Startdato før 2000",
    "START_IN_FUTURE": "Startdato for langt ude i fremtiden",
    "WRONG_FIELD_COUNT": "Forkert antal felter i rækken",
}
PATTERNS = {
    _ID: "tekst, højst 64 tegn: bogstaver A-Z, cifre og . _ : -",
    r".{1,64}": "tekst, højst 64 tegn",
    r"[0-9]{1,9}": "højst 9 cifre",
}
"""The intake's text patterns in words."""


def holds(rule: ColumnRule, listed: int = 30) -> str:
    """What a field of a delivery file must hold, in words, from the intake's own rule: on
    the upload page's column list and next to an error (issue 11 items 7 and 13). Code lists
    of up to `listed` codes are spelled out."""
    if rule.kind is Kind.DATE:
        return "dato på formen ÅÅÅÅ-MM-DD, fx 2025-03-01"
    if rule.kind is Kind.CPR:
        return "CPR-nummer, 10 cifre (DDMMÅÅXXXX eller DDMMÅÅ-XXXX) med en gyldig fødselsdato"
    if rule.codes is not None and len(rule.codes) <= listed:
        return "en af " + ", ".join(sorted(rule.codes))
    if rule.codes is not None:
        return f"en af de {antal(len(rule.codes), 'kode', 'koder')} i kodelisten"
    if rule.pattern:
        return PATTERNS.get(rule.pattern, "tekst")
    return "tekst"


def expected(column: str) -> str:
    """What the HANDBU field must hold, in words ("" for a column HANDBU does not have)."""
    rule = next((c for c in HANDBU.columns if c.name == column), None)
    return "" if rule is None else holds(rule)


def error_view(error: dict[str, Any], rows: dict[int, dict[str, str]]) -> dict[str, Any]:
    code, column = str(error.get("code", "")), str(error.get("column", ""))
    row = rows.get(int(error.get("row", 0)), {})
    return {
        "row": error.get("row"),
        "felt": column_label(column),
        "titel": TITLES.get(code, "Fejl i rækken"),
        "besked": error.get("message", ""),
        "forventet": expected(column),
        "vaerdi": error.get("value", ""),
        "indsats_id": row.get("indsats_id", ""),
    }


def raw_rows(path: Path | None, wanted: set[int]) -> dict[int, dict[str, str]]:
    """The delivery's CSV rows by row number (the header is row 1), only those wanted."""
    if path is None or not wanted or not path.exists():
        return {}
    found: dict[int, dict[str, str]] = {}
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        if not reader.fieldnames or len(reader.fieldnames) < 2:
            return {}
        reader.fieldnames = [n.strip().strip('"').casefold() for n in reader.fieldnames]
        for number, row in enumerate(reader, start=2):
            if number in wanted:
                found[number] = {k: v for k, v in row.items() if k}
            if number >= max(wanted):
                break
    return found


def rejected_csv(rows: dict[int, dict[str, str]], errors: list[dict[str, Any]]) -> Iterator[bytes]:
    """The rejected rows as a §2.1 CSV, a `fejl` column last (ignored when sent again)."""
    reasons: dict[int, list[str]] = {}
    for e in errors:
        view = error_view(e, {})
        reasons.setdefault(int(e["row"]), []).append(f"{view['felt']}: {view['titel']}")
    columns = [c.name for c in HANDBU.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow([*columns, "fejl"])
    for number in sorted(rows):
        row = rows[number]
        writer.writerow([*(row.get(c, "") for c in columns), "; ".join(reasons.get(number, []))])
    yield ("\ufeff" + buffer.getvalue()).encode()
