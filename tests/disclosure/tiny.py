"""Tiny linked tables built from unit records by plain counting (the tests' reference)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from handistat.tables.compute import time_dimension
from handistat.tables.cube import Code, Cube, CubeDimension
from handistat.tables.spec import ENHEDER, PERSONER, DimCode, Dimension, TableSpec

Record = Mapping[str, str]
"""One unit: ``enhed``, ``person``, ``aar`` and a value per dimension column."""


def dim(column: str, leaves: Sequence[str], *, person_attribute: bool = False) -> Dimension:
    codes = (DimCode("T", "I alt", total=True), *(DimCode(v, v) for v in leaves))
    return Dimension(
        column.upper(), column, codes, column=column, person_attribute=person_attribute
    )


def spec(table_id: str, *dims: Dimension, measure: str = ENHEDER) -> TableSpec:
    return TableSpec(table_id, "tiny", table_id, "tiny_fact", measure, tuple(dims))


def count(spec_: TableSpec, records: Sequence[Record], years: Sequence[str]) -> Cube:
    """Every cell by counting the records that meet its codes (distinct units or persons)."""
    column = "enhed" if spec_.measure == ENHEDER else "person"
    values: dict[tuple[str, ...], int | None] = {}
    for combo in itertools.product(*(d.codes for d in spec_.dimensions)):
        for year in years:
            units = {
                r[column]
                for r in records
                if r["aar"] == year
                and all(
                    c.total or r[d.column or ""] == c.code
                    for d, c in zip(spec_.dimensions, combo, strict=True)
                )
            }
            values[(*(c.code for c in combo), year)] = len(units)
    dims = tuple(
        CubeDimension(d.id, d.text, tuple(Code(c.code, c.text) for c in d.codes))
        for d in spec_.dimensions
    )
    return Cube(
        spec_.id, spec_.title, "Antal", (*dims, time_dimension([int(y) for y in years])), values
    )


def units(
    rows: Mapping[tuple[str, ...], int], columns: Sequence[str], year: str = "2025"
) -> list[Record]:
    """Unit records from counts per inner cell: ``{("101", "D"): 1, ...}``."""
    found: list[Record] = []
    for key, n in rows.items():
        for _ in range(n):
            i = str(len(found))
            found.append(
                {"enhed": i, "person": i, "aar": year, **dict(zip(columns, key, strict=True))}
            )
    return found


__all__ = ["PERSONER", "count", "dim", "spec", "units"]
