"""Independent attackers for the tests: they know the inner (finest) table model, not ours.

Published unit counts are sums of inner cells (kommune × køn × alder ...). An attacker who
sees the published cells knows those sums; `brute_force` enumerates every non-negative
integer inner table that agrees with them, `lp_bounds` solves the LP relaxation over inner
cells. Neither uses handistat.disclosure's relations, so a gap in those shows up here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import highspy
import numpy as np

Constraint = tuple[frozenset[int], int]
"""(inner cells summed, published value)."""


def brute_force(
    n_inner: int, published: Sequence[Constraint], targets: Mapping[str, frozenset[int]], cap: int
) -> dict[str, set[int]]:
    """For each target (a suppressed cell as a set of inner cells) every value it takes in some
    integer inner table (cells 0..cap) that reproduces every published cell."""
    last = {i: [c for c in published if c[0] and max(c[0]) == i] for i in range(n_inner)}
    seen: dict[str, set[int]] = {t: set() for t in targets}
    values = [0] * n_inner

    def partial_ok(upto: int) -> bool:
        return all(
            sum(values[j] for j in cells if j <= upto) <= total for cells, total in published
        )

    def walk(i: int) -> None:
        if i == n_inner:
            for name, cells in targets.items():
                seen[name].add(sum(values[j] for j in cells))
            return
        for v in range(cap + 1):
            values[i] = v
            if not partial_ok(i):
                break
            if all(sum(values[j] for j in cells) == total for cells, total in last[i]):
                walk(i + 1)
        values[i] = 0

    walk(0)
    return seen


def lp_bounds(
    n_inner: int, published: Sequence[Constraint], target: frozenset[int]
) -> tuple[float, float]:
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.addVars(n_inner, np.zeros(n_inner), np.full(n_inner, highspy.kHighsInf))
    for cells, total in published:
        index = np.array(sorted(cells), dtype=np.int32)
        solver.addRow(total, total, len(index), index, np.ones(len(index)))
    bounds = []
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        for j in target:
            solver.changeColCost(j, 1.0)
        solver.changeObjectiveSense(sense)
        solver.run()
        status = solver.getModelStatus()
        value = solver.getInfo().objective_function_value
        for j in target:
            solver.changeColCost(j, 0.0)
        bounds.append(float("inf") if status == highspy.HighsModelStatus.kUnbounded else value)
    return bounds[0], bounds[1]
