"""The audit (R-SDC-3): how far an attacker can narrow each suppressed cell, by linear programming.

For every suppressed cell the minimum and the maximum consistent with every published cell
(and every cell published in an earlier vintage with the same value), the relations and
non-negativity. The problem falls apart into groups of suppressed cells linked by relations;
each group is one HiGHS model, built once and solved twice per cell with only the objective
changed (warm starts), so a national release audits in seconds.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import highspy
import numpy as np
from numpy.typing import NDArray

from handistat.disclosure.linear import components
from handistat.disclosure.relations import EQUAL, PERSONS, RESIDUAL, Relation

INF = math.inf


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float

    @property
    def width(self) -> float:
        return self.upper - self.lower

    def as_json(self) -> list[float | None]:
        return [self.lower, None if math.isinf(self.upper) else self.upper]


@dataclass(frozen=True)
class _Row:
    """``lower ≤ Σ coefficient·x ≤ upper`` over variables (cell ids or residual ids)."""

    terms: Mapping[int, float]
    lower: float
    upper: float
    relation: int = -1
    """The index of the relation the row comes from."""


def _linear_rows(
    index: int,
    relation: Relation,
    residual_id: int,
    values: Sequence[int],
    suppressed: set[int],
) -> list[_Row]:
    """The relation as rows over the suppressed cells, published values moved across."""
    return [replace(r, relation=index) for r in _rows_of(relation, residual_id, values, suppressed)]


def _rows_of(
    relation: Relation, residual_id: int, values: Sequence[int], suppressed: set[int]
) -> list[_Row]:
    coefficients = [(relation.total, 1.0), *((p, -1.0) for p in relation.parts)]
    if relation.kind in (EQUAL, RESIDUAL):
        terms = {c: k for c, k in coefficients if c in suppressed}
        constant = sum(k * values[c] for c, k in coefficients if c not in suppressed)
        if relation.kind == RESIDUAL:
            terms[residual_id] = -1.0
        return [_Row(terms, -constant, -constant)] if terms else []
    rows = []
    for part in relation.parts:  # part ≤ total
        rows.append(_inequality({part: 1.0, relation.total: -1.0}, values, suppressed))
    if relation.kind == PERSONS:  # total ≤ Σ parts
        sum_terms = {relation.total: 1.0, **{p: -1.0 for p in relation.parts}}
        rows.append(_inequality(sum_terms, values, suppressed))
    return [r for r in rows if r.terms]


def _inequality(terms: Mapping[int, float], values: Sequence[int], suppressed: set[int]) -> _Row:
    """``Σ terms ≤ 0`` with the published cells moved to the right."""
    constant = sum(k * values[c] for c, k in terms.items() if c not in suppressed)
    return _Row({c: k for c, k in terms.items() if c in suppressed}, -INF, -constant)


_quiet = False


def new_solver() -> highspy.Highs:
    """A silent HiGHS; the first one in a process prints a banner on fd 1, which would end up
    in the CLI's output, so that one is made with fd 1 pointed at /dev/null."""
    global _quiet
    if _quiet:
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            solver = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _quiet = True
    solver.setOptionValue("output_flag", False)
    # Every model is solved many times with only the objective changed: primal simplex keeps
    # the last basis feasible and restarts from it, presolve would redo its work each time
    # (a national HANDBU audit: 35 s → 9 s, the inner cells 93 s → 21 s; same intervals).
    solver.setOptionValue("presolve", "off")
    solver.setOptionValue("solver", "simplex")
    solver.setOptionValue("simplex_strategy", 4)
    return solver


def _model(variables: Sequence[int], rows: Sequence[_Row]) -> highspy.Highs:
    solver = new_solver()
    n = len(variables)
    solver.addVars(n, np.zeros(n), np.full(n, highspy.kHighsInf))
    position = {v: i for i, v in enumerate(variables)}
    for row in rows:
        index = np.array([position[v] for v in row.terms], dtype=np.int32)
        value = np.array(list(row.terms.values()), dtype=np.float64)
        lower = -highspy.kHighsInf if math.isinf(row.lower) else row.lower
        solver.addRow(lower, row.upper, len(index), index, value)
    return solver


def _bound(
    solver: highspy.Highs, column: int, sense: highspy.ObjSense, binding: set[int]
) -> tuple[float, NDArray[np.float64] | None]:
    """The bound of one variable, and the solution that attains it (None when unbounded);
    the rows whose constraint holds the bound (non-zero duals) are added to `binding`."""
    solver.changeColCost(column, 1.0)
    solver.changeObjectiveSense(sense)
    solver.run()
    status = solver.getModelStatus()
    value = float(solver.getInfo().objective_function_value)
    solver.changeColCost(column, 0.0)
    if status == highspy.HighsModelStatus.kUnbounded:
        return INF, None
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS: {solver.modelStatusToString(status)}")
    found = solver.getSolution()
    duals = np.abs(np.asarray(found.row_dual, dtype=np.float64))
    binding.update(int(i) for i in np.flatnonzero(duals > 1e-9))
    solution: NDArray[np.float64] = np.asarray(found.col_value, dtype=np.float64)
    solution.round(6, out=solution)
    return float(round(value, 6)), solution


def wide_enough(width: float, need: float) -> bool:
    """The audit's test of one cell: not determined, and at least `need` wide."""
    return width > 0 and width >= need


@dataclass
class _Pool:
    """The range every variable spans over the feasible points met so far (the true values
    first): a lower bound on its interval, which often already shows a cell is safe."""

    low: NDArray[np.float64]
    high: NDArray[np.float64]

    def add(self, point: NDArray[np.float64] | None) -> None:
        if point is not None:
            np.minimum(self.low, point, out=self.low)
            np.maximum(self.high, point, out=self.high)

    def interval(self, column: int) -> Interval:
        return Interval(float(self.low[column]), float(self.high[column]))


def _truth(
    relations: Sequence[Relation], values: Sequence[int], variables: Sequence[int]
) -> NDArray[np.float64]:
    """The true value of each variable: a cell's count, or a residual's (total − Σ parts)."""
    first_residual = len(values)
    point = []
    for v in variables:
        if v < first_residual:
            point.append(float(values[v]))
        else:
            relation = relations[v - first_residual]
            point.append(float(values[relation.total] - sum(values[p] for p in relation.parts)))
    return np.array(point, dtype=np.float64)


def _audit_cell(
    solver: highspy.Highs, column: int, pool: _Pool, need: float | None, binding: set[int]
) -> Interval:
    """The cell's exact [min, max], or with `need` a pooled range once it is wide enough."""
    if need is not None and wide_enough(pool.interval(column).width, need):
        return pool.interval(column)
    upper, point = _bound(solver, column, highspy.ObjSense.kMaximize, binding)
    pool.add(point)
    if need is not None and wide_enough(upper - float(pool.low[column]), need):
        return Interval(float(pool.low[column]), upper)
    lower, point = _bound(solver, column, highspy.ObjSense.kMinimize, binding)
    pool.add(point)
    return Interval(lower, upper)


def audit(
    relations: Sequence[Relation],
    values: Sequence[int],
    suppressed: set[int],
    need: Mapping[int, float] | None = None,
    binding: dict[int, set[int]] | None = None,
) -> dict[int, Interval]:
    """[min, max] of every suppressed cell given everything else (LP relaxation).

    With `need` (cell → the width it must reach) only those cells are audited, and a cell
    whose values already differ by enough across the solutions found so far gets that range
    (within its true interval) without a solve of its own: enough to tell pass from fail.
    `binding` receives, per cell solved, the relations whose constraints hold its bounds.
    """
    rows: list[_Row] = []
    first_residual = len(values)
    for i, relation in enumerate(relations):
        if any(c in suppressed for c in relation.cells()):
            rows += _linear_rows(i, relation, first_residual + i, values, suppressed)
    targets = suppressed if need is None else suppressed & set(need)
    intervals = {c: Interval(0.0, INF) for c in targets}  # cells in no relation
    for row_ids, variables in components([r.terms for r in rows]):
        columns = [(j, v) for j, v in enumerate(variables) if v in targets]
        if not columns:
            continue
        solver = _model(variables, [rows[i] for i in row_ids])
        truth = _truth(relations, values, variables)
        pool = _Pool(truth.copy(), truth.copy())
        relation_of = [rows[i].relation for i in row_ids]
        for column, cell in columns:
            bound_by: set[int] = set()
            intervals[cell] = _audit_cell(
                solver, column, pool, None if need is None else need[cell], bound_by
            )
            if binding is not None and bound_by:
                binding[cell] = {relation_of[r] for r in bound_by}
    return intervals
