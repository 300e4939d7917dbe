"""Portal: the delivery formats for people who fill a file by hand (issue 11 item 13) — a
template file per statistic (the header row of §2.1/§2.2, ready for a spreadsheet) and the
column list in words on the upload page. Both are read from the intake's own declarations
(`intake.formats`) and worded by `report_texts.holds`, as the intake report words them, so
the page cannot drift from what the intake accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from handistat.api.deps import Principal
from handistat.intake.formats import GENBRUG, HANDBU
from handistat.intake.rules import DeliveryFormat
from handistat.web.portal_pages import page_principal
from handistat.web.report_labels import column_label
from handistat.web.report_texts import holds
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


SPECIAL = {
    ("genbrug", "cpr"): "CPR-nummer, 10 cifre; et tomt felt fjernes ved rensningen",
    ("genbrug", "paragraf"): "paragraffen, fx SEL112 (kan være tom)",
}


def columns(fmt: DeliveryFormat) -> list[Column]:
    """The file's columns in order, each with its Danish name, whether it must be filled and
    what it holds."""
    return [
        Column(
            rule.name,
            column_label(rule.name),
            rule.required and rule.default is None and not rule.empty_ok,
            SPECIAL.get((fmt.statistic, rule.name)) or holds(rule, listed=12),
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
