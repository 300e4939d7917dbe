"""The inner-cell audit of unit counts: what non-negativity of unpublished cross-classifications
reveals (R-SDC-3).

Unit counts (interventions, loans) are sums of *inner cells*: the finest cross-classification
of every code list the tables split units by (HANDBU: municipality × type × sex × age group ×
started/continued). When three or more tables share margins of such a cross-classification
(HANDBU01 municipality × sex, HANDBU02 municipality × age, HANDBU04 type × age × sex), the
inner cells' non-negativity narrows suppressed cells further than the relations between
published cells do: a national ``girls aged 0-5 = 0`` forces that group to 0 in every
municipality. This audit solves that LP over the inner cells, per year, for each group of code
lists that some cell crosses (a code list never crossed with another adds nothing).

To stay fast, feasible solutions are pooled: a cell whose values already differ by enough
across the solutions found so far needs no solve of its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray

from handistat.disclosure.audit import INF, Interval, new_solver
from handistat.disclosure.cells import CellKey, CellSet, Constraint, leaf_constraint
from handistat.tables.common import Hierarchy
from handistat.tables.spec import ENHEDER, TableSpec

OTHER = ("", "<other>")


@dataclass(frozen=True)
class _Families:
    """Leaf constraint → code list ("family"); a coarse constraint → (fine family, members)."""

    of: Mapping[Constraint, str]
    coarse: Mapping[Constraint, tuple[str, frozenset[Constraint]]]

    def family(self, constraint: Constraint) -> str:
        if constraint in self.coarse:
            return self.coarse[constraint][0]
        return self.of[constraint]


def families(specs: Sequence[TableSpec], nestings: Sequence[Hierarchy]) -> _Families:
    of: dict[Constraint, str] = {}
    for spec in specs:
        for dim in spec.dimensions:
            for code in dim.leaves:
                of.setdefault(leaf_constraint(dim, code), dim.column or dim.id)
    coarse: dict[Constraint, tuple[str, frozenset[Constraint]]] = {}
    for h in nestings:
        for constraint in [c for c in of if c[0] == h.coarse]:
            members = frozenset((h.fine, f) for f in h.children(constraint[1]))
            coarse[constraint] = (h.fine, members)
            del of[constraint]
    return _Families(of, coarse)


def _groups(keys: Iterable[CellKey], fam: _Families) -> list[list[str]]:
    """Code lists linked by appearing together in a cell; only groups of two or more."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for key in keys:
        names = sorted({fam.family(c) for c in key.constraints})
        for name in names:
            find(name)
        for other in names[1:]:
            parent[find(other)] = find(names[0])
    grouped: dict[str, list[str]] = {}
    for name in sorted(parent):
        grouped.setdefault(find(name), []).append(name)
    return [g for g in grouped.values() if len(g) > 1]


@dataclass
class _Grid:
    """Every inner cell of a group as an index into each family's leaves."""

    names: list[str]
    leaves: dict[str, list[Constraint]]
    index: dict[str, NDArray[np.int32]]

    @property
    def size(self) -> int:
        return len(next(iter(self.index.values())))

    def mask(self, key: CellKey, fam: _Families) -> NDArray[np.bool_]:
        found = np.ones(self.size, dtype=bool)
        for constraint in key.constraints:
            name = fam.family(constraint)
            if constraint in fam.coarse:
                wanted = [
                    self.leaves[name].index(m)
                    for m in fam.coarse[constraint][1]
                    if m in self.leaves[name]
                ]
                found &= np.isin(self.index[name], wanted)
            else:
                found &= self.index[name] == self.leaves[name].index(constraint)
        return found


def _grid(names: list[str], keys: Sequence[CellKey], cells: CellSet, fam: _Families) -> _Grid:
    leaves: dict[str, list[Constraint]] = {}
    for name in names:
        own = sorted({c for c in fam.of if fam.of[c] == name})
        # an "other" leaf unless the leaves add up to the whole in this year's cells
        whole = next((k for k in keys if not k.constraints), None)
        singles = [
            k
            for k in keys
            if len(k.constraints) == 1
            and fam.family(k.constraints[0]) == name
            and k.constraints[0] not in fam.coarse
        ]
        covered = (
            whole is not None
            and len(singles) == len(own)
            and sum(cells.values[cells.index[k]] for k in singles)
            == cells.values[cells.index[whole]]
        )
        leaves[name] = own if covered else [*own, OTHER]
    combos = np.array(
        list(itertools.product(*(range(len(leaves[n])) for n in names))), dtype=np.int32
    )
    index = {n: combos[:, i] for i, n in enumerate(names)}
    return _Grid(names, leaves, index)


@dataclass
class InnerResult:
    intervals: dict[int, Interval]
    binding: dict[int, list[int]]
    """For a cell solved exactly: the published cells whose constraints bound it (non-zero
    duals), the ones worth hiding to widen it."""


def _bounds_loop(
    solver: highspy.Highs,
    targets: Mapping[int, NDArray[np.int32]],
    need: Mapping[int, float],
    pool: list[NDArray[np.float64]],
    row_cells: Sequence[int],
) -> InnerResult:
    result = InnerResult({}, {})
    for cell, columns in targets.items():
        seen = [float(x[columns].sum()) for x in pool]
        low, high = min(seen), max(seen)
        if high - low > 0 and high - low >= need[cell]:
            result.intervals[cell] = Interval(round(low, 6), round(high, 6))
            continue
        bounds, binding = [], set()
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeColsCost(len(columns), columns, np.ones(len(columns)))
            solver.changeObjectiveSense(sense)
            solver.run()
            status = solver.getModelStatus()
            value = float(solver.getInfo().objective_function_value)
            if status == highspy.HighsModelStatus.kOptimal:
                solution = solver.getSolution()
                pool.append(np.array(solution.col_value))
                duals = np.abs(np.array(solution.row_dual))
                binding |= {row_cells[int(i)] for i in np.flatnonzero(duals > 1e-9)}
            solver.changeColsCost(len(columns), columns, np.zeros(len(columns)))
            bounds.append(INF if status == highspy.HighsModelStatus.kUnbounded else value)
        result.intervals[cell] = Interval(round(bounds[0], 6), round(bounds[1], 6))
        result.binding[cell] = sorted(binding)
    return result


def _solve_group(
    grid: _Grid,
    keys: Sequence[CellKey],
    cells: CellSet,
    fam: _Families,
    hidden: set[int],
    need: Mapping[int, float],
) -> InnerResult:
    masks = {cells.index[k]: grid.mask(k, fam) for k in keys}
    zero = np.zeros(grid.size, dtype=bool)
    for cell, m in masks.items():
        if cell not in hidden and cells.values[cell] == 0:
            zero |= m
    alive = np.flatnonzero(~zero)
    where = np.full(grid.size, -1, dtype=np.int64)
    where[alive] = np.arange(len(alive))
    solver = new_solver()
    solver.addVars(len(alive), np.zeros(len(alive)), np.full(len(alive), highspy.kHighsInf))
    rows = [(c, m) for c, m in sorted(masks.items()) if c not in hidden]
    starts: list[int] = []
    indices: list[int] = []
    for _, m in rows:
        starts.append(len(indices))
        indices += [int(i) for i in where[np.flatnonzero(m & ~zero)]]
    fixed = np.array([float(cells.values[c]) for c, _ in rows])
    solver.addRows(
        len(rows),
        fixed,
        fixed,
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.ones(len(indices)),
    )
    solver.run()
    pool = [np.array(solver.getSolution().col_value)]
    targets = {
        c: where[np.flatnonzero(m & ~zero)].astype(np.int32)
        for c, m in sorted(masks.items())
        if c in need
    }
    _spread(solver, targets, pool)
    return _bounds_loop(solver, targets, need, pool, [c for c, _ in rows])


def _spread(
    solver: highspy.Highs,
    targets: Mapping[int, NDArray[np.int32]],
    pool: list[NDArray[np.float64]],
) -> None:
    """Two more feasible points for the pool: every target cell as low, then as high, as the
    model allows together. Most cells then already span their need, without a solve."""
    columns = np.unique(np.concatenate([*targets.values(), np.zeros(0, dtype=np.int32)]))
    if columns.size == 0:
        return
    columns = columns.astype(np.int32)
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        solver.changeColsCost(len(columns), columns, np.ones(len(columns)))
        solver.changeObjectiveSense(sense)
        solver.run()
        if solver.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            pool.append(np.array(solver.getSolution().col_value))
        solver.changeColsCost(len(columns), columns, np.zeros(len(columns)))


def inner_audit(
    specs: Sequence[TableSpec],
    cells: CellSet,
    hidden: set[int],
    need: Mapping[int, float],
    nestings: Sequence[Hierarchy],
) -> InnerResult:
    """Intervals of the hidden unit cells under the inner-cell model (each at least as narrow
    as the truth allows; a cell whose witnessed range already suffices is not solved)."""
    fam = families(specs, nestings)
    by_part: dict[tuple[str, str], list[CellKey]] = {}
    for key in cells.keys:
        if key.measure == ENHEDER:
            by_part.setdefault((key.fact, key.year), []).append(key)
    result = InnerResult({}, {})
    for (_, _), keys in sorted(by_part.items()):
        for names in _groups(keys, fam):
            inside = [k for k in keys if all(fam.family(c) in names for c in k.constraints)]
            if not any(cells.index[k] in need for k in inside):
                continue
            grid = _grid(names, inside, cells, fam)
            found = _solve_group(grid, inside, cells, fam, hidden, need)
            result.intervals |= found.intervals
            result.binding |= found.binding
    return result
