"""The register's reports for municipalities and staff, as rows (R-CPR-3, R-HB-3, R-GB-2,
R-IN-8, R-GB-6). A municipality is only ever given its own rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handistat.errors import NotFound
from handistat.stores.warehouse import Warehouse


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    table: str
    columns: tuple[str, ...]
    order: str
    personal: bool = False
    """Holds CPR numbers: shown to the municipality itself and staff only."""


REPORTS = {
    r.name: r
    for r in (
        Report(
            "cpr-fejl",
            "HANDBU: CPR-numre der ikke findes i CPR",
            "handbu_cpr_fejl",
            ("kommune", "indsats_id", "cpr", "paragraf", "startdato", "slutdato", "fejlkode"),
            "kommune, indsats_id",
            personal=True,
        ),
        Report(
            "handbu-dubletter",
            "HANDBU: eksakte dubletter",
            "handbu_dubletter",
            (
                "kommune",
                "cpr",
                "paragraf",
                "startdato",
                "slutdato",
                "antal",
                "foerste_id",
                "sidste_id",
            ),
            "kommune, foerste_id",
            personal=True,
        ),
        Report(
            "rensning",
            "GENBRUG: rensning pr. kommune",
            "genbrug_rensning",
            ("kommune", "fejlkode", "handling", "antal"),
            "kommune, fejlkode",
        ),
        Report(
            "genbrug-dubletter",
            "GENBRUG: udlån i både gammelt og nyt system",
            "genbrug_dubletter",
            (
                "kommune",
                "fra",
                "til",
                "gammel_udlaan_id",
                "ny_udlaan_id",
                "cpr",
                "hmi_nummer",
                "gammel_udleveringsdato",
                "ny_udleveringsdato",
            ),
            "kommune, gammel_udlaan_id",
            personal=True,
        ),
        Report(
            "paragraf",
            "GENBRUG: paragrafvalidering pr. måned og ISO-gruppe",
            "genbrug_paragraf_rapport",
            (
                "kommune",
                "maaned",
                "iso1",
                "udlaan",
                "uden_paragraf",
                "ukendt_paragraf",
                "usandsynlig_paragraf",
            ),
            "kommune, maaned, iso1",
        ),
        Report(
            "paragraf-ukendte",
            "GENBRUG: paragraffer uden for kodelisten",
            "genbrug_paragraf_ukendte",
            ("kommune", "paragraf", "antal"),
            "kommune, paragraf",
        ),
    )
}


def report_rows(warehouse: Warehouse, name: str, kommune: str | None) -> list[dict[str, Any]]:
    """The report's rows, for one municipality or (staff) all."""
    report = REPORTS.get(name)
    if report is None:
        raise NotFound(f"rapporten {name!r} findes ikke; kendte: {', '.join(REPORTS)}")
    if not warehouse.has_table(report.table):
        raise NotFound(f"rapporten {name!r} er ikke dannet endnu; kør `handistat process` først")
    where = "WHERE kommune = ?" if kommune else ""
    sql = f"SELECT {', '.join(report.columns)} FROM {report.table} {where} ORDER BY {report.order}"
    rows: list[dict[str, Any]] = warehouse.query(sql, [kommune] if kommune else None).to_pylist()
    return rows
