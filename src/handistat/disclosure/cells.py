"""Logical cells (R-SDC-2): one key per count, whichever tables show it.

A published cell counts the units (or distinct persons) of a fact table in one year that meet
one predicate per dimension it does not total over. Its key is therefore the fact, the measure,
the year and the set of leaf predicates, taken from the table declarations: HANDBU01
[101, 100, 0] and HANDBU02 [101, 100, IALT] both count interventions with ``kommune = 101``
and are one cell with one status. No list of shared margins is kept by hand.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from handistat.tables.cube import Cube
from handistat.tables.spec import DimCode, Dimension, TableSpec

Constraint = tuple[str, str]
"""(fact column, value) of a leaf; ("", SQL predicate) for a leaf declared by `where`."""


@dataclass(frozen=True, order=True)
class CellKey:
    fact: str
    measure: str
    year: str
    constraints: tuple[Constraint, ...]

    def label(self) -> str:
        """Readable key for reports: ``handbu_enheder/enheder/2025[kommune=101,koen=D]``."""
        inner = ",".join(f"{c}={v}" if c else v for c, v in self.constraints)
        return f"{self.fact}/{self.measure}/{self.year}[{inner}]"

    def without(self, column: str) -> tuple[Constraint, ...]:
        return tuple(c for c in self.constraints if c[0] != column)

    def value_of(self, column: str) -> str | None:
        return next((v for c, v in self.constraints if c == column), None)


def leaf_constraint(dim: Dimension, code: DimCode) -> Constraint:
    if code.where is not None:
        return ("", code.where)
    return (dim.column or dim.id, code.value or code.code)


def measure_of(spec: TableSpec, codes: Sequence[DimCode]) -> str:
    """The measure a combination of codes counts (a total code may override the table's)."""
    return next((c.measure for c in codes if c.measure is not None), spec.measure)


def cell_key(spec: TableSpec, codes: Sequence[DimCode], year: str) -> CellKey:
    constraints = tuple(
        sorted(
            leaf_constraint(dim, code)
            for dim, code in zip(spec.dimensions, codes, strict=True)
            if not code.total
        )
    )
    return CellKey(spec.fact, measure_of(spec, codes), year, constraints)


def table_cells(spec: TableSpec, cube: Cube) -> Iterator[tuple[tuple[str, ...], CellKey]]:
    """Every cube key of the table with its logical cell."""
    years = next(d.code_ids() for d in cube.dimensions if d.time)
    for combo in itertools.product(*(d.codes for d in spec.dimensions)):
        for year in years:
            yield (*(c.code for c in combo), year), cell_key(spec, combo, year)


class InconsistentCells(ValueError):
    """Two tables give one logical cell different values: a declaration is wrong."""


@dataclass
class CellSet:
    """The joint cells of a release: keys, raw values and where each appears."""

    keys: list[CellKey] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    index: dict[CellKey, int] = field(default_factory=dict)
    places: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)
    """(table id, cube key) → cell index."""

    def add(self, key: CellKey, value: int) -> int:
        found = self.index.get(key)
        if found is None:
            found = len(self.keys)
            self.keys.append(key)
            self.values.append(value)
            self.index[key] = found
        elif self.values[found] != value:
            raise InconsistentCells(f"{key.label()}: {self.values[found]} og {value} i to tabeller")
        return found

    def __len__(self) -> int:
        return len(self.keys)


def collect(tables: Sequence[tuple[TableSpec, Cube]]) -> CellSet:
    """The logical cells of the given tables (raw cubes, every value an int), numbered in key
    order so that the order of the tables changes nothing."""
    found = CellSet()
    for spec, cube in sorted(tables, key=lambda t: t[0].id):
        for cube_key, key in table_cells(spec, cube):
            value = cube.values[cube_key]
            if value is None:
                raise InconsistentCells(f"{spec.id} {cube_key}: a raw table has no '..'")
            found.places[(spec.id, cube_key)] = found.add(key, value)
    cells = CellSet()
    for key in sorted(found.keys):
        cells.add(key, found.values[found.index[key]])
    cells.places = {place: cells.index[found.keys[i]] for place, i in found.places.items()}
    return cells
