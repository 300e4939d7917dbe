"""Table declarations (R-TAB-1): a table is data, interpreted by `handistat.tables.compute`.

A dimension is a fact column (or predicates over fact columns) and its code list. A code is
a *leaf* (units whose column equals `value`, or for which `where` holds) or a *total* (all
units). A total may count a different measure than the table (INDSATSER 100 counts
interventions, 110 distinct children): `measure` on the code says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENHEDER = "enheder"
PERSONER = "personer"
MEASURES = (ENHEDER, PERSONER)


@dataclass(frozen=True)
class DimCode:
    code: str
    text: str
    text_en: str = ""
    total: bool = False
    value: str | None = None
    """Leaf: the fact column's value (defaults to the code)."""
    where: str | None = None
    """Leaf: an SQL predicate over fact columns instead of equality."""
    measure: str | None = None

    def __post_init__(self) -> None:
        if self.measure is not None and self.measure not in MEASURES:
            raise ValueError(f"{self.code}: unknown measure {self.measure}")


@dataclass(frozen=True)
class Dimension:
    id: str
    text: str
    codes: tuple[DimCode, ...]
    column: str | None = None
    text_en: str = ""
    person_attribute: bool = False
    """True when every person has one value per year (sex, age group, first time): the leaves
    then split a count of persons, so it adds up (R-SDC-2). Municipalities, intervention types
    and device classes do not: one person can be in several."""

    @property
    def leaves(self) -> tuple[DimCode, ...]:
        return tuple(c for c in self.codes if not c.total)

    @property
    def totals(self) -> tuple[DimCode, ...]:
        return tuple(c for c in self.codes if c.total)

    @property
    def eliminable(self) -> bool:
        return len(self.totals) == 1


@dataclass(frozen=True)
class TableSpec:
    id: str
    statistic: str
    title: str
    fact: str
    """The unit-level table with columns `aar`, `enhed_id`, `person_id` and the dimensions'."""
    measure: str
    dimensions: tuple[Dimension, ...]
    unit: str = "Antal"
    title_en: str = ""
    subject: str = ""
    notes: tuple[str, ...] = field(default=())
    published: bool = True
    """False for our own working tables that are not in Statistikbanken."""
    units_unique_per_year: bool = False
    """True when `enhed_id` never repeats within one `aar` of the fact table (GENBRUG: one
    row per loan and year): units are then counted with COUNT(*), not COUNT(DISTINCT)."""
    fact_by_unit: str | None = None
    """The same units once each instead of once per year: `person_id`, the dimensions'
    columns and `aar_maske`, with bit `aar - mask_base_year` set for each year the unit
    counts in. A table whose dimension values do not change with the year (no age) and whose
    units are unique per year is then counted from it: each person and cell is hashed once,
    not once per year (GENBRUG's HJALP3-5; issue 15). Without it (or in a register written
    before it existed) the table is counted from `fact`, to the same cells."""
    mask_base_year: int = 0
    fact_person_years: str | None = None
    """The same persons once per year and cell: `aar`, `person_id` and the dimensions'
    columns. A table that counts only persons, by attributes that may change with the year
    (age), is counted from it: the persons' ~2 M years instead of the 8.8 M unit-years
    (GENBRUG's HJALP2; issue 15). Without it (or in a register written before it existed)
    the table is counted from `fact`, to the same cells. `fact` stays the table's identity,
    which disclosure control links tables by."""

    def __post_init__(self) -> None:
        if self.fact_by_unit is not None and not self.units_unique_per_year:
            raise ValueError(f"{self.id}: fact_by_unit needs units unique per year")
        units = self.measure != PERSONER or any(
            code.measure == ENHEDER for dim in self.dimensions for code in dim.codes
        )
        if self.fact_person_years is not None and units:
            raise ValueError(f"{self.id}: fact_person_years holds persons, not units")
