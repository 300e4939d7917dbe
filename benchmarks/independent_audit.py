"""An independent LP audit of a protected HANDBU release (issue 9, "Done when").

The attacker here knows only what a reader of the release knows: the table definitions (taken
from the synthetic ground truth, `handistat.synth.truth.handbu_tables`, which was written apart
from the production tables) and the published cells. Interventions are sums of *inner cells*
municipality × type × sex × age group × started/continued; every published intervention count
is an equation over them, every inner cell is a non-negative number, and the attacker solves the
minimum and maximum of every suppressed intervention count with HiGHS. Nothing of
`handistat.disclosure` is used (not its relations, not its audits). Counts of children are not
sums of inner cells (one child, several interventions), so they are left to the relations
audit; every published cell, children included, is checked for counts of 1..k-1.

Passes when no published count is 1..k-1 and every primary intervention count keeps a range of
at least p. A secondary cell this attacker can compute is counted apart: it discloses nothing
(its value is not small), it is only hidden in vain.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
from numpy.typing import NDArray

from handistat.synth import refdata
from handistat.synth.truth.common import TableSpec
from handistat.synth.truth.handbu_tables import TYPES, handbu_tables
from handistat.tables.cube import Cube

INNER = ("KOMMUNEDK", "INDSATSER", "KØN", "ALDER", "FORLOEB")


@dataclass
class _Grid:
    codes: dict[str, list[str]]
    combos: NDArray[np.int64]
    landsdel: dict[str, str]

    @classmethod
    def build(cls) -> _Grid:
        codes = {
            "KOMMUNEDK": [k.kode for k in refdata.kommuner()],
            "INDSATSER": list(TYPES),
            "KØN": ["D", "P", "9"],
            "ALDER": ["0005", "0611", "1217", "999"],
            "FORLOEB": ["NY", "FORTS"],
        }
        ranges = [range(len(codes[d])) for d in INNER]
        combos = np.array(list(itertools.product(*ranges)), dtype=np.int64)
        return cls(codes, combos, refdata.landsdel_af_kommune())

    def mask(self, conditions: Mapping[str, str]) -> NDArray[np.bool_]:
        found = np.ones(len(self.combos), dtype=bool)
        for dim, code in conditions.items():
            if dim == "LANDSDEL":
                kommuner = self.codes["KOMMUNEDK"]
                members = [i for i, k in enumerate(kommuner) if self.landsdel[k] == code]
                found &= np.isin(self.combos[:, 0], members)
            else:
                found &= self.combos[:, INNER.index(dim)] == self.codes[dim].index(code)
        return found


@dataclass
class _Year:
    published: list[tuple[NDArray[np.bool_], int]] = field(default_factory=list)
    hidden: dict[str, tuple[NDArray[np.bool_], int]] = field(default_factory=dict)


def _unit_cells(
    specs: Sequence[TableSpec], tables: Mapping[str, Cube], raw: Mapping[str, Cube], grid: _Grid
) -> dict[str, _Year]:
    years: dict[str, _Year] = {}
    for spec in specs:
        shown, truth = tables[spec.id], raw[spec.id]
        for key, value in shown.values.items():
            codes = dict(zip((d.id for d in spec.dimensions), key[:-1], strict=True))
            if spec.counts_persons(codes):
                continue
            conditions = {d.id: codes[d.id] for d in spec.dimensions if codes[d.id] not in d.totals}
            year = years.setdefault(key[-1], _Year())
            mask = grid.mask(conditions)
            if value is None:
                year.hidden[f"{spec.id}{list(key)}"] = (mask, int(truth.values[key] or 0))
            else:
                year.published.append((mask, int(value)))
    return years


def _solver(n: int, rows: Sequence[tuple[NDArray[np.int32], int]]) -> highspy.Highs:
    solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("presolve", "off")
    solver.setOptionValue("solver", "simplex")
    solver.setOptionValue("simplex_strategy", 4)
    solver.addVars(n, np.zeros(n), np.full(n, highspy.kHighsInf))
    for index, value in rows:
        solver.addRow(float(value), float(value), len(index), index, np.ones(len(index)))
    return solver


def _bound(solver: highspy.Highs, columns: NDArray[np.int32], sense: Any) -> tuple[float, Any]:
    solver.changeColsCost(len(columns), columns, np.ones(len(columns)))
    solver.changeObjectiveSense(sense)
    solver.run()
    status = solver.getModelStatus()
    value = float(solver.getInfo().objective_function_value)
    point = np.array(solver.getSolution().col_value)
    solver.changeColsCost(len(columns), columns, np.zeros(len(columns)))  # after reading
    if status == highspy.HighsModelStatus.kUnbounded:
        return float("inf"), None
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(solver.modelStatusToString(status))
    return value, point


def _audit_year(year: _Year, k: int, p: int) -> dict[str, tuple[float, float, int]]:
    """Suppressed cell → (min, max, true value); a cell is solved exactly unless the feasible
    points met so far already show it wide enough (then their range, a lower bound)."""
    zero = np.zeros(len(year.published[0][0]), dtype=bool)
    for mask, value in year.published:
        if value == 0:
            zero |= mask
    alive = np.flatnonzero(~zero)
    where = np.full(len(zero), -1, dtype=np.int64)
    where[alive] = np.arange(len(alive))
    rows = [(where[np.flatnonzero(m & ~zero)].astype(np.int32), v) for m, v in year.published]
    solver = _solver(len(alive), [r for r in rows if len(r[0])])
    solver.run()
    pool = [np.array(solver.getSolution().col_value)]
    found: dict[str, tuple[float, float, int]] = {}
    for name, (mask, truth) in sorted(year.hidden.items()):
        columns = where[np.flatnonzero(mask & ~zero)].astype(np.int32)
        if len(columns) == 0:
            found[name] = (0.0, 0.0, truth)
            continue
        need = p if 0 < truth < k else 1e-9
        seen = [float(x[columns].sum()) for x in pool]
        if max(seen) - min(seen) >= need:
            found[name] = (min(seen), max(seen), truth)
            continue
        high, point = _bound(solver, columns, highspy.ObjSense.kMaximize)
        if point is not None:
            pool.append(point)
        low, point = _bound(solver, columns, highspy.ObjSense.kMinimize)
        if point is not None:
            pool.append(point)
        found[name] = (low, high, truth)
    return found


def independent_audit(
    tables: Mapping[str, Cube], raw: Mapping[str, Cube], k: int, p: int
) -> dict[str, Any]:
    """The attacker's verdict on the published `tables` (``None`` = ``..``)."""
    start = time.process_time()
    specs = handbu_tables()
    small = [
        f"{table_id}{list(key)}"
        for table_id, cube in tables.items()
        for key, value in cube.values.items()
        if value is not None and 0 < value < k
    ]
    grid = _Grid.build()
    bounds: dict[str, tuple[float, float, int]] = {}
    for _, year in sorted(_unit_cells(specs, tables, raw, grid).items()):
        bounds |= _audit_year(year, k, p)
    determined = [n for n, (lo, hi, t) in bounds.items() if hi - lo <= 1e-6 and not 0 < t < k]
    narrow = [n for n, (lo, hi, t) in bounds.items() if 0 < t < k and hi - lo < p - 1e-6]
    return {
        "what": "independent LP attacker over inner cells (synth truth definitions only)",
        "inner_cells_per_year": len(grid.combos),
        "published_counts_below_k": len(small),
        "suppressed_intervention_cells_audited": len(bounds),
        "primary_intervention_cells": sum(1 for *_, t in bounds.values() if 0 < t < k),
        "primaries_narrower_than_p": len(narrow),
        "secondaries_determined": len(determined),
        "examples": (small + narrow + determined)[:10],
        "passed": not (small or narrow),
        "cpu_seconds": round(time.process_time() - start, 1),
    }
