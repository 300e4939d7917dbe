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
from dataclasses import dataclass

import highspy
import numpy as np

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


def _linear_rows(
    relation: Relation, residual_id: int, values: Sequence[int], suppressed: set[int]
) -> list[_Row]:
    """The relation as rows over the suppressed cells, published values moved across."""
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


def _bound(solver: highspy.Highs, column: int, sense: highspy.ObjSense) -> float:
    solver.changeColCost(column, 1.0)
    solver.changeObjectiveSense(sense)
    solver.run()
    status = solver.getModelStatus()
    value = float(solver.getInfo().objective_function_value)
    solver.changeColCost(column, 0.0)
    if status == highspy.HighsModelStatus.kUnbounded:
        return INF
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS: {solver.modelStatusToString(status)}")
    return float(round(value, 6))


def audit(
    relations: Sequence[Relation], values: Sequence[int], suppressed: set[int]
) -> dict[int, Interval]:
    """[min, max] of every suppressed cell given everything else (LP relaxation)."""
    rows: list[_Row] = []
    first_residual = len(values)
    for i, relation in enumerate(relations):
        if any(c in suppressed for c in relation.cells()):
            rows += _linear_rows(relation, first_residual + i, values, suppressed)
    intervals = {c: Interval(0.0, INF) for c in suppressed}  # cells in no relation
    for row_ids, variables in components([r.terms for r in rows]):
        solver = _model(variables, [rows[i] for i in row_ids])
        for column, cell in enumerate(variables):
            if cell >= first_residual:
                continue
            lower = _bound(solver, column, highspy.ObjSense.kMinimize)
            upper = _bound(solver, column, highspy.ObjSense.kMaximize)
            intervals[cell] = Interval(lower, upper)
    return intervals
