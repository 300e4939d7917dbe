"""Disclosure control of a release (R-SDC-1..5): the raw tables of a statistic for the release's
years, protected jointly against each other, the municipalities left out and the cells that
earlier public vintages published. Used by `ReleaseService.create` and by `handistat table`,
so a table printed on the command line is the table a release would publish.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from handistat.disclosure.protect import Protected, protect_tables
from handistat.disclosure.suppress import Parameters
from handistat.release.decisions import EXCLUDED
from handistat.release.models import APPROVED
from handistat.tables.cube import Cube
from handistat.tables.registry import compute
from handistat.tables.spec import TableSpec

if TYPE_CHECKING:
    from handistat.app import App
    from handistat.release.service import ReleaseService

AUDIT_DOCUMENT = "diskretion.json"
"""The public audit report: parameters, status and interval of every suppressed cell."""
INTERNAL_DOCUMENT = "diskretion-intern.json"
"""Staff only: the loss per table and the raw values of the suppressed cells."""


def parameters(application: App) -> Parameters:
    settings = application.settings
    return Parameters(k=settings.disclosure_k, p=settings.disclosure_p)


def excluded_municipalities(decisions: Mapping[str, Any]) -> list[str]:
    kommuner: Mapping[str, Mapping[str, str]] = decisions.get("kommuner", {})
    return sorted(k for k, d in kommuner.items() if d.get("status") == EXCLUDED)


def earlier_vintages(service: ReleaseService, statistic: str) -> list[tuple[str, Cube]]:
    """Every table of every approved release of the statistic (the public vintages and those
    scheduled to become public): what an attacker has or will have beside the new release."""
    found = []
    for release in service.releases():
        if release.statistic == statistic and release.status == APPROVED:
            found += [(t, frozen.cube) for t, frozen in service.load(release).items()]
    return found


def protect_statistic(
    application: App,
    specs: Sequence[TableSpec],
    years: Sequence[int],
    decisions: Mapping[str, Any],
    earlier: Iterable[tuple[str, Cube]] = (),
) -> tuple[dict[str, Cube], Protected]:
    """The raw cubes and their protected versions (plus the audit)."""
    raw = {s.id: compute(application.warehouse, s, years) for s in specs}
    protected = protect_tables(
        [(s, raw[s.id]) for s in specs],
        parameters(application),
        excluded_municipalities(decisions),
        earlier,
    )
    return raw, protected


def documents(protected: Protected) -> dict[str, dict[str, Any]]:
    return {AUDIT_DOCUMENT: protected.report, INTERNAL_DOCUMENT: protected.internal}
