"""Disclosure control of a release (R-SDC-1..5): the raw tables of a statistic for the release's
years, protected jointly against each other, the municipalities left out and the cells that
earlier public vintages published. Used by `ReleaseService.create` and by `handistat table`,
so a table printed on the command line is the table a release would publish.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handistat.disclosure.protect import Protected, protect_tables
from handistat.disclosure.suppress import Parameters
from handistat.release.decisions import EXCLUDED
from handistat.release.models import APPROVED
from handistat.release.schedule import release_years
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
    """The raw cubes and their protected versions (plus the audit).

    The pattern depends only on the raw cells, the parameters, the excluded municipalities
    and the earlier vintages, so it is kept under a hash of exactly those: `handistat table`
    for four tables, and the release after them, protect the statistic once."""
    earlier = list(earlier)
    raw = {s.id: compute(application.warehouse, s, years) for s in specs}
    params = parameters(application)
    excluded = excluded_municipalities(decisions)
    before = sorted((t, [[list(k), v] for k, v in c.cells()]) for t, c in earlier)
    digest = _digest(raw, params, excluded, before)
    cached = _cache_read(application, digest, raw)
    if cached is not None:
        return raw, cached
    protected = protect_tables([(s, raw[s.id]) for s in specs], params, excluded, earlier)
    _cache_write(application, digest, protected)
    return raw, protected


def _digest(raw: Mapping[str, Cube], params: Parameters, *more: object) -> str:
    cells = {t: [[list(k), v] for k, v in c.cells()] for t, c in sorted(raw.items())}
    payload = json.dumps([cells, [params.k, params.p], *more], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _cache_path(application: App, digest: str) -> Path:
    return application.settings.data_dir / "cache" / "diskretion" / f"{digest}.json"


def _cache_read(application: App, digest: str, raw: Mapping[str, Cube]) -> Protected | None:
    try:
        stored = json.loads(_cache_path(application, digest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    tables = {}
    for table_id, cube in raw.items():
        hidden = {tuple(k) for k in stored["hidden"].get(table_id, [])}
        values = {k: (None if k in hidden else v) for k, v in cube.values.items()}
        notes = tuple(stored["notes"].get(table_id, cube.notes))
        tables[table_id] = replace(cube, values=values, notes=notes)
    return Protected(tables, stored["report"], stored["internal"])


def _cache_write(application: App, digest: str, protected: Protected) -> None:
    document = {
        "hidden": {
            t: [list(k) for k, v in c.values.items() if v is None]
            for t, c in protected.tables.items()
        },
        "notes": {t: list(c.notes) for t, c in protected.tables.items()},
        "report": protected.report,
        "internal": protected.internal,
    }
    path = _cache_path(application, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def documents(protected: Protected) -> dict[str, dict[str, Any]]:
    return {AUDIT_DOCUMENT: protected.report, INTERNAL_DOCUMENT: protected.internal}


def protected_table(application: App, spec: TableSpec, year: int) -> Cube:
    """One table for one year as a release of `year` would publish it (`handistat table`)."""
    from handistat.release.decisions import municipality_decisions
    from handistat.release.service import ReleaseService, statistic_tables

    specs = statistic_tables(spec.statistic)
    if spec.id not in {s.id for s in specs}:
        specs = [*specs, spec]
    decisions = municipality_decisions(application, spec.statistic, year)
    earlier = earlier_vintages(ReleaseService(application), spec.statistic)
    _, protected = protect_statistic(application, specs, release_years(year), decisions, earlier)
    return only_year(protected.tables[spec.id], str(year))


def only_year(cube: Cube, year: str) -> Cube:
    at = next(i for i, d in enumerate(cube.dimensions) if d.time)
    time = cube.dimensions[at]
    dims = list(cube.dimensions)
    dims[at] = replace(time, codes=tuple(c for c in time.codes if c.code == year))
    values = {k: v for k, v in cube.values.items() if k[at] == year}
    return replace(cube, dimensions=tuple(dims), values=values)
