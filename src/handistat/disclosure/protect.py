"""Protect the tables of a release jointly and report it (R-SDC-1..5).

`protect_tables` takes every table of a statistic for the release's years (raw counts), the
municipalities left out (R-VAL-5) and the tables of earlier public vintages, and returns the
tables as they may be published (``None`` = ``..``), with the audit. The audit report has a
public part (parameters, the status and interval of every suppressed cell) and an internal
part for staff (the loss per table: share of cells and of the count suppressed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from handistat.disclosure.audit import wide_enough
from handistat.disclosure.cells import CellSet, collect, table_cells
from handistat.disclosure.inner import InnerResult, inner_audit
from handistat.disclosure.relations import Relation, derive
from handistat.disclosure.suppress import EXCLUDED, PRIMARY, Parameters, Pattern, protect
from handistat.tables.common import hierarchies
from handistat.tables.cube import Cube
from handistat.tables.spec import TableSpec

METHOD = (
    "Primær diskretionering af antal 1..k-1; sekundær diskretionering samlet over alle "
    "tabeller og år i udgivelsen (Gauss-elimination over relationerne mellem cellerne, "
    "suppleret til LP-revisionen består); revision med HiGHS."
)
KNOWN = "kendt"
NOTE = (
    "'..' betyder, at tallet ikke offentliggøres af hensyn til diskretionen: færre end {k} "
    "personer eller indsatser, eller et tal, hvorfra sådanne tal kunne beregnes."
)


@dataclass(frozen=True)
class Protected:
    tables: dict[str, Cube]
    report: dict[str, Any]
    internal: dict[str, Any]

    @property
    def passed(self) -> bool:
        return bool(self.report["bestaaet"])


def _constants(cells: CellSet, earlier: Iterable[tuple[str, Cube]]) -> set[int]:
    """Cells an earlier public vintage published with the value they still have."""
    known = set()
    for table_id, cube in earlier:
        for key, value in cube.cells():
            cell = cells.places.get((table_id, key))
            if cell is not None and value is not None and cells.values[cell] == value:
                known.add(cell)
    return known


def _excluded(cells: CellSet, municipalities: Iterable[str]) -> set[int]:
    codes = set(municipalities)
    return {i for i, key in enumerate(cells.keys) if key.value_of("kommune") in codes}


def _hide(spec: TableSpec, cube: Cube, cells: CellSet, hidden: set[int], k: int) -> Cube:
    values: dict[tuple[str, ...], int | None] = {}
    any_hidden = False
    for cube_key, _ in table_cells(spec, cube):
        cell = cells.places[(spec.id, cube_key)]
        values[cube_key] = None if cell in hidden else cube.values[cube_key]
        any_hidden |= cell in hidden
    notes = (*cube.notes, NOTE.format(k=k)) if any_hidden else cube.notes
    return replace(cube, values=values, notes=notes)


def _places(cells: CellSet) -> dict[int, list[tuple[str, tuple[str, ...]]]]:
    found: dict[int, list[tuple[str, tuple[str, ...]]]] = {}
    for (table_id, key), cell in cells.places.items():
        found.setdefault(cell, []).append((table_id, key))
    return found


def _loss(
    tables: Sequence[tuple[TableSpec, Cube]], cells: CellSet, hidden: set[int]
) -> dict[str, Any]:
    loss = {}
    for spec, cube in tables:
        places = [cells.places[(spec.id, k)] for k, _ in table_cells(spec, cube)]
        total = sum(cells.values[c] for c in places)
        gone = [c for c in places if c in hidden]
        loss[spec.id] = {
            "celler": len(places),
            "undertrykt": len(gone),
            "andel_celler": round(len(gone) / len(places), 4) if places else 0.0,
            "andel_antal": round(sum(cells.values[c] for c in gone) / total, 4) if total else 0.0,
        }
    return loss


def _report(
    cells: CellSet,
    relations: Sequence[Relation],
    pattern: Pattern,
    params: Parameters,
    problems: Sequence[int],
) -> dict[str, Any]:
    places = _places(cells)
    statuses = list(pattern.status.values())
    return {
        "metode": METHOD,
        "parametre": {"k": params.k, "p": params.p},
        "bestaaet": not problems,
        "fejl": [cells.keys[c].label() for c in problems],
        "runder": pattern.rounds,
        "antal": {
            "celler": len(cells),
            "relationer": len(relations),
            "undertrykt": len(statuses),
            "primaer": statuses.count(PRIMARY),
            "sekundaer": statuses.count("sekundær"),
            "udeladt": statuses.count("udeladt"),
            "kendt": len(pattern.known),
        },
        "celler": [
            {
                "celle": cells.keys[c].label(),
                "status": status,
                "interval": pattern.intervals[c].as_json() if c in pattern.intervals else None,
                "indre": pattern.inner[c].as_json() if c in pattern.inner else None,
                "steder": [[t, list(k)] for t, k in sorted(places[c])],
            }
            for c, status in sorted(pattern.status.items())
        ]
        + [
            {"celle": cells.keys[c].label(), "status": KNOWN, "interval": None, "steder": []}
            for c in sorted(pattern.known)
        ],
    }


def protect_tables(
    tables: Sequence[tuple[TableSpec, Cube]],
    params: Parameters,
    excluded_municipalities: Iterable[str] = (),
    earlier: Iterable[tuple[str, Cube]] = (),
) -> Protected:
    cells = collect(tables)
    relations = derive(tables, cells, hierarchies())
    constants = _constants(cells, earlier)
    specs = [spec for spec, _ in tables]
    nestings = hierarchies()

    def inner(hidden: set[int], need: Mapping[int, float]) -> InnerResult:
        return inner_audit(specs, cells, hidden, need, nestings)

    pattern = protect(
        cells, relations, params, _excluded(cells, excluded_municipalities), constants, inner
    )
    problems = failures_of(pattern, cells, params)
    hidden = pattern.suppressed | pattern.known
    protected = {spec.id: _hide(spec, cube, cells, hidden, params.k) for spec, cube in tables}
    internal = {
        "tab": _loss(tables, cells, hidden),
        "vaerdier": {cells.keys[c].label(): cells.values[c] for c in sorted(hidden)},
    }
    return Protected(protected, _report(cells, relations, pattern, params, problems), internal)


def failures_of(pattern: Pattern, cells: CellSet, params: Parameters) -> list[int]:
    """Suppressed cells the final audit does not accept (empty when the release may go out)."""
    bad = set()
    for intervals in (pattern.intervals, pattern.inner):
        for cell, status in pattern.status.items():
            interval = intervals.get(cell)
            if interval is None or (status == EXCLUDED and cells.values[cell] == 0):
                continue
            need = params.p if status == PRIMARY else 0
            if not wide_enough(interval.width, need):
                bad.add(cell)
    return sorted(bad)


__all__ = ["Protected", "protect_tables"]
