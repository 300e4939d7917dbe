"""Compute a declared table from the register: one GROUPING SETS query, then the code lists.

Distinct counts are never summed: every total is its own grouping set with COUNT(DISTINCT),
so a child in two municipalities counts once nationally (R-HB-7, R-TAB-2).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from handistat.register.sql import quote_literal
from handistat.tables.cube import Code, Cube, CubeDimension
from handistat.tables.spec import ENHEDER, PERSONER, DimCode, Dimension, TableSpec

TIME_ID = "Tid"


def _plain(dim: Dimension, code: DimCode) -> bool:
    """A leaf whose units are those with the column equal to the code itself."""
    return code.where is None and (code.value is None or code.value == code.code)


def _branch(dim: Dimension, run: list[DimCode]) -> str:
    if len(run) > 1 and all(_plain(dim, c) for c in run):
        listed = ", ".join(quote_literal(c.code) for c in run)
        return f"WHEN {dim.column} IN ({listed}) THEN {dim.column}"
    code = run[0]
    if code.where is not None:
        predicate = code.where
    else:
        predicate = f"{dim.column} = {quote_literal(code.value or code.code)}"
    return f"WHEN {predicate} THEN {quote_literal(code.code)}"


def _runs(dim: Dimension) -> list[list[DimCode]]:
    """The leaves in order, consecutive plain ones grouped: one `IN` instead of a branch per
    code (98 municipalities were 98 comparisons per row; issue 15). First match wins as
    before, since a group keeps its place in the order."""
    runs: list[list[DimCode]] = []
    for code in dim.leaves:
        if runs and _plain(dim, code) and all(_plain(dim, c) for c in runs[-1]):
            runs[-1].append(code)
        else:
            runs.append([code])
    return runs


def _leaf_sql(dim: Dimension, index: int) -> str:
    branches = [_branch(dim, run) for run in _runs(dim)]
    return f"CASE {' '.join(branches)} END AS d_{index}" if branches else f"NULL AS d_{index}"


def _grouping_sets(spec: TableSpec, rolled: set[int] | None = None) -> list[tuple[str, ...]]:
    options: list[list[str | None]] = []
    for i, dim in enumerate(spec.dimensions):
        choice: list[str | None] = []
        if dim.leaves:
            choice.append(f"d_{i}")
        if dim.totals and i not in (rolled or set()):
            choice.append(None)
        options.append(choice)
    return [("aar", *(c for c in combo if c is not None)) for combo in itertools.product(*options)]


def table_sql(spec: TableSpec, years: Sequence[int]) -> str:
    """The one query for a table: grouped counts of units and of distinct persons."""
    if spec.fact_by_unit is not None:
        return by_unit_sql(spec, years)
    dims = ", ".join(_leaf_sql(d, i) for i, d in enumerate(spec.dimensions))
    years_list = ", ".join(str(int(y)) for y in years)
    used = measures_used(spec)
    counts = ", ".join(f"{_count_sql(spec, m)} AS {m}" for m in used)
    carried = ", ".join(MEASURE_COLUMN[m] for m in used if _count_sql(spec, m) != "COUNT(*)")
    # Only distinct counts: equal rows of `f` count once anyway, so drop them first (HJALP2:
    # 1.0 M fact rows are 0.18 M person-years at 1 M loans; 1.09 → 0.72 CPU-s).
    distinct = "DISTINCT " if "COUNT(*)" not in counts else ""
    facts = (
        f"WITH f AS (SELECT {distinct}aar{', ' + carried if carried else ''}"
        f"{', ' + dims if dims else ''} "
        f"FROM {spec.fact_person_years or spec.fact} WHERE aar IN ({years_list}))\n"
    )
    rolled = _rolled_up(spec)
    if not rolled:
        return facts + _grouped_sql(spec, set(), counts, "f")
    # Persons have one value of a person attribute (sex, age) per year: their counts add up
    # over its leaves, so its totals are sums of the leaf counts, not distinct counts of
    # their own (HJALP2: 2 distinct-count grouping sets instead of 8; issue 15).
    inner = _grouped_sql(spec, rolled, counts, "f")
    return facts + f", fine AS (\n{inner}\n)\n" + _rolled_sql(spec, rolled, used)


def _year_bit(year: int, base: int) -> int:
    """The bit of `year` in a year mask starting at `base`; 0 (no unit has it) for a year
    the mask cannot hold, which then counts nothing, as in the unit-years."""
    return 1 << (year - base) if 0 <= year - base < 62 else 0


def by_unit_sql(spec: TableSpec, years: Sequence[int]) -> str:
    """The table counted from `spec.fact_by_unit`, one row per unit with its years as bits:
    the same rows as `table_sql` gives from the unit-years (`aar`, `d_i`, `g_i` and the
    measures), also with zero counts.

    Per grouping set and person, `BIT_OR` of the years of the person's units in the cell
    (and how many units count in each year); then per cell, the persons with a year's bit
    and the sum of that year's units. So each person and cell is hashed once, not once per
    year: ~1 CPU-s instead of 1.8-2.4 for HJALP3-5 nationally (issue 15)."""
    assert spec.fact_by_unit is not None
    bits = [(int(y), _year_bit(int(y), spec.mask_base_year)) for y in years]
    wanted = sum(bit for _, bit in bits)
    dims = "".join(", " + _leaf_sql(d, i) for i, d in enumerate(spec.dimensions))
    leaves = [f"d_{i}" for i, d in enumerate(spec.dimensions) if d.leaves]
    flags = [f"g_{i}" for i in range(len(spec.dimensions))]
    sets = ", ".join(
        "(" + ", ".join(["person_id", *grouping[1:]]) + ")" for grouping in _grouping_sets(spec)
    )
    per_year = "".join(
        f", SUM(CASE WHEN (m & {bit}) <> 0 THEN 1 ELSE 0 END) AS n_{y}" for y, bit in bits
    )
    persons = "".join(
        f", SUM(n_{y}) AS e_{y}, SUM(CASE WHEN (pm & {bit}) <> 0 THEN 1 ELSE 0 END) AS p_{y}"
        for y, bit in bits
    )
    column = {ENHEDER: "e", PERSONER: "p"}
    picked = ", ".join(
        "CASE y.aar " + " ".join(f"WHEN {y} THEN {column[m]}_{y}" for y, _ in bits) + f" END AS {m}"
        for m in measures_used(spec)
    )
    cells = ", ".join([*leaves, *flags])
    years_list = ", ".join(f"({y})" for y, _ in bits)
    return (
        f"WITH f AS (SELECT person_id, aar_maske AS m{dims} FROM {spec.fact_by_unit} "
        f"WHERE (aar_maske & {wanted}) <> 0),\n"
        f"per_person AS (SELECT {', '.join([*leaves, *_flags(spec, set())])}, BIT_OR(m) AS pm"
        f"{per_year}\nFROM f GROUP BY GROUPING SETS ({sets})),\n"
        f"per_cell AS (SELECT {cells}{persons} FROM per_person GROUP BY {cells})\n"
        f"SELECT y.aar, {cells}, {picked}\n"
        f"FROM per_cell CROSS JOIN (SELECT * FROM (VALUES {years_list}) AS t(aar)) AS y"
    )


def _rolled_up(spec: TableSpec) -> set[int]:
    """The dimensions whose totals are summed over their leaves: person attributes with leaves
    and totals."""
    return {
        i for i, d in enumerate(spec.dimensions) if d.person_attribute and d.leaves and d.totals
    }


def _flags(spec: TableSpec, rolled: set[int]) -> list[str]:
    """`g_i`: 1 where the row is dimension i's total (the dimensions in `rolled` get theirs
    one query further out)."""
    return [
        f"GROUPING(d_{i}) AS g_{i}" if d.leaves else f"1 AS g_{i}"
        for i, d in enumerate(spec.dimensions)
        if i not in rolled
    ]


def _grouped_sql(spec: TableSpec, rolled: set[int], counts: str, source: str) -> str:
    """Counts per grouping set; the dimensions in `rolled` at their leaves only."""
    sets = ", ".join("(" + ", ".join(s) + ")" for s in _grouping_sets(spec, rolled))
    leaves = [f"d_{i}" for i, d in enumerate(spec.dimensions) if d.leaves]
    select = ", ".join(["aar", *leaves, *_flags(spec, rolled)])
    return f"SELECT {select}, {counts}\nFROM {source} GROUP BY GROUPING SETS ({sets})"


def _rolled_sql(spec: TableSpec, rolled: set[int], used: Sequence[str]) -> str:
    """The leaf-level counts of `fine`, summed to the totals of the dimensions in `rolled`."""
    kept = [f"d_{i}, g_{i}" for i, d in enumerate(spec.dimensions) if d.leaves and i not in rolled]
    options = [[f"d_{i}", None] for i in sorted(rolled)]
    sets = ", ".join(
        "(" + ", ".join(["aar", *kept, *(c for c in combo if c is not None)]) + ")"
        for combo in itertools.product(*options)
    )
    leaves = [f"d_{i}" for i, d in enumerate(spec.dimensions) if d.leaves]
    flags = [
        f"GROUPING(d_{i}) AS g_{i}" if i in rolled else f"g_{i}" if d.leaves else f"1 AS g_{i}"
        for i, d in enumerate(spec.dimensions)
    ]
    sums = ", ".join(f"SUM({m}) AS {m}" for m in used)
    select = ", ".join(["aar", *leaves, *flags])
    return f"SELECT {select}, {sums}\nFROM fine GROUP BY GROUPING SETS ({sets})"


def _count_sql(spec: TableSpec, measure: str) -> str:
    """Units unique within a year are counted, not distinct-counted (issue 15: a distinct
    count keeps a hash table per grouping set)."""
    if measure == ENHEDER and spec.units_unique_per_year:
        return "COUNT(*)"
    return f"COUNT(DISTINCT {MEASURE_COLUMN[measure]})"


MEASURE_COLUMN = {ENHEDER: "enhed_id", PERSONER: "person_id"}


def measures_used(spec: TableSpec) -> tuple[str, ...]:
    """The measures a table shows: its own and any a code overrides it with. Counting only
    these halves the cost of a person table (a distinct count is the expensive part)."""
    used = {spec.measure} | {c.measure for d in spec.dimensions for c in d.codes if c.measure}
    return tuple(m for m in MEASURE_COLUMN if m in used)


def _measure_of(spec: TableSpec, codes: Iterable[DimCode]) -> str:
    for code in codes:
        if code.measure is not None:
            return code.measure
    return spec.measure


def _codes_for(
    index: int, leaves: Mapping[str, DimCode], totals: tuple[DimCode, ...], row: Mapping[str, Any]
) -> tuple[DimCode, ...]:
    if row[f"g_{index}"]:
        return totals
    leaf = row.get(f"d_{index}")
    return (leaves[leaf],) if leaf is not None else ()


def assemble(spec: TableSpec, years: Sequence[int], rows: Iterable[Mapping[str, Any]]) -> Cube:
    """The grouped rows → every cell of the table (zeros where no unit falls)."""
    values: dict[tuple[str, ...], int | None] = {}
    # code lists once per table, not once per row (`Dimension.leaves` builds a tuple)
    lists = [({c.code: c for c in d.leaves}, d.totals) for d in spec.dimensions]
    for row in rows:
        per_dim = [_codes_for(i, leaves, totals, row) for i, (leaves, totals) in enumerate(lists)]
        for combo in itertools.product(*per_dim):
            key = (*(c.code for c in combo), str(row["aar"]))
            values[key] = int(row[_measure_of(spec, combo)])
    cube_dims = (*(_cube_dimension(d) for d in spec.dimensions), time_dimension(years))
    cube = Cube(spec.id, spec.title, spec.unit, cube_dims, {}, spec.notes, spec.title_en)
    full = {key: values.get(key, 0) for key in cube.keys()}  # noqa: SIM118 (not a dict)
    return Cube(spec.id, spec.title, spec.unit, cube_dims, full, spec.notes, spec.title_en)


def _cube_dimension(dim: Dimension) -> CubeDimension:
    return CubeDimension(
        dim.id,
        dim.text,
        tuple(Code(c.code, c.text, c.text_en) for c in dim.codes),
        eliminable=dim.eliminable,
        text_en=dim.text_en,
        total_codes=tuple(c.code for c in dim.totals),
    )


def time_dimension(years: Sequence[int]) -> CubeDimension:
    return CubeDimension(
        TIME_ID, "tid", tuple(Code(str(y), str(y)) for y in years), time=True, text_en="time"
    )
