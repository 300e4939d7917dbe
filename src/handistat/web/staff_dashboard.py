"""The staff dashboard's choices (issue 11 item 5): which of the 98 municipalities to show and
in which order, and the processing summary as sentences whose counts link to their reports.
Pure functions over the rows of `approval.status.delivery_status` and the result of
`approval.processing.run_processing`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handistat.web.danish import antal, tal

Row = dict[str, Any]
STATISTICS = ("handbu", "genbrug")


def _never(row: Row) -> bool:
    return any(row[s]["seneste"] is None for s in STATISTICS)


def _late(row: Row) -> bool:
    return any(row[s]["forsinket"] for s in STATISTICS) or row["godkendelser_overskredet"] > 0


def _errors(row: Row) -> bool:
    return bool(
        row["handbu"]["afviste_raekker"] or row["genbrug"]["afviste_leverancer"] or row["cpr_fejl"]
    )


FILTERS: dict[str, tuple[str, Callable[[Row], bool]]] = {
    "alle": ("alle kommuner", lambda row: True),
    "aldrig": ("aldrig leveret (HANDBU eller GENBRUG)", _never),
    "forsinket": ("forsinkede leverancer eller godkendelser over fristen", _late),
    "fejl": ("afviste rækker, afviste leverancer eller CPR-fejl", _errors),
}
"""Name in the address → (words on the page, test of a row)."""


def _errors_count(row: Row) -> int:
    return int(
        row["handbu"]["afviste_raekker"] + row["genbrug"]["afviste_leverancer"] + row["cpr_fejl"]
    )


SORTS: dict[str, tuple[str, Callable[[Row], Any]]] = {
    "kommune": ("kommunekode", lambda row: row["kommune"]),
    "navn": ("navn", lambda row: row["navn"]),
    "handbu": ("ældste HANDBU-leverance først", lambda row: row["handbu"]["seneste"] or ""),
    "genbrug": ("ældste GENBRUG-leverance først", lambda row: row["genbrug"]["seneste"] or ""),
    "fejl": ("flest fejl først", lambda row: -_errors_count(row)),
    "frist": ("flest over fristen først", lambda row: -row["godkendelser_overskredet"]),
}
"""Never delivered sorts before the oldest delivery; ties keep the municipality order."""


def choose_rows(status: list[Row], vis: str, sorter: str) -> list[Row]:
    """The rows that pass filter `vis`, ordered by `sorter` (unknown names: all, by code)."""
    keep = FILTERS.get(vis, FILTERS["alle"])[1]
    key = SORTS.get(sorter, SORTS["kommune"])[1]
    return sorted((row for row in status if keep(row)), key=key)


@dataclass(frozen=True)
class Line:
    """One count of the processing summary: the number, its words and where it is listed."""

    text: str
    link: str | None


def _handbu_lines(counts: dict[str, int]) -> list[Line]:
    return [
        Line(
            f"{antal(counts.get('indberetninger', 0), 'indberetning', 'indberetninger')} "
            "i registret",
            "/personale/leverancer",
        ),
        Line(f"{antal(counts.get('forloeb', 0), 'forløb', 'forløb')} dannet", None),
        Line(f"{antal(counts.get('cpr_fejl', 0), 'CPR-fejl', 'CPR-fejl')}", "/personale/cpr-fejl"),
        Line(
            f"{antal(counts.get('dubletter', 0), 'dublet', 'dubletter')}",
            "/personale/rapporter/handbu-dubletter",
        ),
    ]


def _genbrug_lines(counts: dict[str, int]) -> list[Line]:
    return [
        Line(f"{antal(counts.get('udlaan', 0), 'udlån')} i registret", None),
        Line(
            f"{antal(counts.get('fjernet', 0), 'udlån')} fjernet ved rensningen",
            "/personale/rapporter/rensning",
        ),
        Line(
            f"{antal(counts.get('dubletter', 0), 'udlån')} i både gammelt og nyt system",
            "/personale/rapporter/genbrug-dubletter",
        ),
    ]


def processing_lines(result: dict[str, Any]) -> tuple[str, list[Line]]:
    """The processing result in words: a lead sentence and one linked line per count."""
    lead = f"Registret er dannet igen fra {antal(result['leverancer'], 'leverance')}."
    counts = result["antal"]
    lines = _handbu_lines(counts) if result["statistik"] == "handbu" else _genbrug_lines(counts)
    refreshed = result.get("godkendelser") or {}
    lines.append(
        Line(
            f"{tal(int(refreshed.get('opdateret', 0)))} godkendelser med nye tal, "
            f"{tal(int(refreshed.get('forældet', 0)))} er blevet forældede",
            f"/personale/godkendelser?statistik={result['statistik']}",
        )
    )
    return lead, lines
