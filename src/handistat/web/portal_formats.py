"""Portal: the delivery formats for people who fill a file by hand (issue 11 item 13) — a
template file per statistic (the header row of §2.1/§2.2, ready for a spreadsheet) and the
column list in words on the upload page. Both are read from the intake's own declarations
(`intake.formats`), so the page cannot drift from what the intake accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from handistat.api.deps import Principal
from handistat.intake.formats import _ID, GENBRUG, HANDBU
from handistat.intake.rules import ColumnRule, DeliveryFormat, Kind
from handistat.web.danish import antal
from handistat.web.portal_pages import page_principal
from handistat.web.report_texts import LABELS
from handistat.web.templating import TEMPLATES

router = APIRouter()
Person = Annotated[Principal, Depends(page_principal)]
FORMATS = {"handbu": HANDBU, "genbrug": GENBRUG}


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    required: bool
    holds: str


PATTERNS = {
    _ID: "tekst, højst 64 tegn: bogstaver A-Z, cifre og . _ : -",
    r".{1,64}": "tekst, højst 64 tegn",
    r"[0-9]{1,9}": "højst 9 cifre",
}
SPECIAL = {
    ("genbrug", "cpr"): "CPR-nummer, 10 cifre; et tomt felt fjernes ved rensningen",
    ("genbrug", "paragraf"): "paragraffen, fx SEL112 (kan være tom)",
}


def _holds(rule: ColumnRule) -> str:
    if rule.kind is Kind.DATE:
        return "dato på formen ÅÅÅÅ-MM-DD, fx 2025-03-01"
    if rule.kind is Kind.CPR:
        return "CPR-nummer, 10 cifre (DDMMÅÅXXXX eller DDMMÅÅ-XXXX)"
    if rule.codes is not None and len(rule.codes) <= 12:
        return "en af " + ", ".join(sorted(rule.codes))
    if rule.codes is not None:
        return f"en af de {antal(len(rule.codes), 'kode', 'koder')} i kodelisten"
    if rule.pattern:
        return PATTERNS.get(rule.pattern, "tekst")
    return "tekst"


def columns(fmt: DeliveryFormat) -> list[Column]:
    """The file's columns in order, each with its Danish name, whether it must be filled and
    what it holds."""
    return [
        Column(
            rule.name,
            LABELS.get(rule.name, rule.name),
            rule.required and rule.default is None and not rule.empty_ok,
            SPECIAL.get((fmt.statistic, rule.name)) or _holds(rule),
        )
        for rule in fmt.columns
    ]


def template_csv(fmt: DeliveryFormat) -> bytes:
    """The header row as UTF-8 with BOM (so a spreadsheet opens it with æøå intact)."""
    return ("\ufeff" + ";".join(rule.name for rule in fmt.columns) + "\n").encode("utf-8")


def missing_header(statistik: str, kildesystem: str, udtraeksdato: str) -> dict[str, str]:
    """GENBRUG's header fields that the upload form lacks, each with what to write (issue 11
    item 10: the form comes back with its values instead of a report of a rejected load)."""
    if statistik != "genbrug":
        return {}
    missing = {}
    if not kildesystem.strip():
        missing["kildesystem"] = (
            "Kildesystem mangler: skriv navnet på det fagsystem, filen er udtrukket fra"
        )
    if not udtraeksdato.strip():
        missing["udtraeksdato"] = "Udtræksdato mangler: skriv den dag, udtrækket blev lavet"
    return missing


@router.get("/skabelon/{statistik}.csv")
def template_download(
    principal: Person,
    statistik: Annotated[str, Path(pattern="^(handbu|genbrug)$")],
) -> Response:
    """An empty delivery file with the right header row."""
    return Response(
        template_csv(FORMATS[statistik]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="skabelon-{statistik}.csv"'},
    )


# The upload page lists the columns of both formats; they never change while the app runs.
TEMPLATES.env.globals["leveranceformater"] = {s: columns(f) for s, f in FORMATS.items()}
