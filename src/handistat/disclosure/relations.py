"""The relations between logical cells that really hold (R-SDC-2), derived from declarations.

Two sources: within a table, a dimension's total and its leaves (every other code held fixed);
across tables, a code list nested in a coarser one (`tables.common.hierarchies`: municipality
→ landsdel, ISO class → group). The kind depends on what is counted:

- units (interventions, loans) fall in one leaf each: ``total = Σ parts`` (EQUAL), or, where
  the leaves do not cover every unit, ``total = Σ parts + r`` with a hidden ``r ≥ 0``
  (RESIDUAL);
- persons split the same way by a person attribute (sex, age group, first time);
- persons across municipalities, intervention types or device classes can sit in several parts:
  ``max part ≤ total ≤ Σ parts`` (PERSONS), or only ``max part ≤ total`` where the parts do
  not cover every person (PERSONS_LOWER).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from handistat.disclosure.cells import CellKey, CellSet, InconsistentCells, cell_key, measure_of
from handistat.tables.common import Hierarchy
from handistat.tables.cube import Cube
from handistat.tables.spec import PERSONER, TableSpec

EQUAL = "equal"
RESIDUAL = "residual"
PERSONS = "persons"
PERSONS_LOWER = "persons_lower"
LINEAR = frozenset({EQUAL})


@dataclass(frozen=True)
class Relation:
    kind: str
    total: int
    parts: tuple[int, ...]

    def cells(self) -> tuple[int, ...]:
        return (self.total, *self.parts)


def _classify(split_persons: bool, total: int, parts: Sequence[int], where: str) -> str:
    covered = sum(parts)
    if split_persons:
        if max(parts, default=0) > total:
            raise InconsistentCells(f"{where}: a part exceeds its total")
        return PERSONS if total <= covered else PERSONS_LOWER
    if covered > total:
        raise InconsistentCells(f"{where}: the parts add up to more than the total")
    return EQUAL if covered == total else RESIDUAL


def _in_table(spec: TableSpec, cube: Cube) -> Iterator[tuple[bool, CellKey, list[CellKey]]]:
    years = next(d.code_ids() for d in cube.dimensions if d.time)
    for i, dim in enumerate(spec.dimensions):
        if not (dim.leaves and dim.totals):
            continue
        others = [d.codes if j != i else (None,) for j, d in enumerate(spec.dimensions)]
        for total in dim.totals:
            for combo in itertools.product(*others):
                with_total = [total if c is None else c for c in combo]
                measure = measure_of(spec, with_total)
                leaves = [[leaf if c is None else c for c in combo] for leaf in dim.leaves]
                if any(measure_of(spec, leaf) != measure for leaf in leaves):
                    continue  # e.g. children (110) against interventions per type
                split_persons = measure == PERSONER and not dim.person_attribute
                for year in years:
                    yield (
                        split_persons,
                        cell_key(spec, with_total, year),
                        [cell_key(spec, leaf, year) for leaf in leaves],
                    )


def _nested(cells: CellSet, hierarchy: Hierarchy) -> Iterator[tuple[bool, CellKey, list[CellKey]]]:
    for key in list(cells.keys):
        coarse = key.value_of(hierarchy.coarse)
        if coarse is None:
            continue
        rest = key.without(hierarchy.coarse)
        children = [
            CellKey(key.fact, key.measure, key.year, tuple(sorted((*rest, (hierarchy.fine, f)))))
            for f in hierarchy.children(coarse)
        ]
        found = [c for c in children if c in cells.index]
        if found:
            yield key.measure == PERSONER, key, found


def derive(
    tables: Sequence[tuple[TableSpec, Cube]], cells: CellSet, nestings: Sequence[Hierarchy]
) -> list[Relation]:
    """Every relation among the cells, once each, in a fixed order."""
    ordered = sorted(tables, key=lambda t: t[0].id)
    raw = [r for spec, cube in ordered for r in _in_table(spec, cube)]
    raw += [r for h in nestings for r in _nested(cells, h)]
    seen: dict[tuple[int, tuple[int, ...]], Relation] = {}
    for split_persons, total_key, part_keys in raw:
        total = cells.index[total_key]
        parts = tuple(sorted(cells.index[k] for k in part_keys))
        if (total, parts) in seen or total in parts:
            continue
        kind = _classify(
            split_persons,
            cells.values[total],
            [cells.values[p] for p in parts],
            total_key.label(),
        )
        seen[(total, parts)] = Relation(kind, total, parts)
    return list(seen.values())
