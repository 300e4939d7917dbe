"""The domain model of a published table: dimensions with code lists and a cell per combination.

Formats (CSV, PX, JSON-stat, XLSX, SDMX-CSV) read this model and nothing else, so a table
computed by DuckDB, Spark or the slow reference is written the same way (sdmx1's split of
model and formats).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

SUPPRESSED = ".."
"""The marker a suppressed cell is published as (R-SDC-4, the Statbank API's own marker)."""


@dataclass(frozen=True)
class Code:
    """One value of a dimension as users see it: the code and its Danish/English text."""

    code: str
    text: str
    text_en: str = ""


@dataclass(frozen=True)
class CubeDimension:
    """A variable of a table: `id` as in Statistikbanken (e.g. ``KOMMUNEDK``, ``Tid``)."""

    id: str
    text: str
    codes: tuple[Code, ...]
    time: bool = False
    eliminable: bool = False
    text_en: str = ""
    total_codes: tuple[str, ...] = ()
    """The codes that are totals over the others (e.g. `000`, `IALT`; `100` and `110`)."""

    def code_ids(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)

    def parts_shown(self) -> bool:
        """True when at least one code is not a total (so totals and parts are mixed)."""
        return any(c.code not in self.total_codes for c in self.codes)


@dataclass(frozen=True)
class Cube:
    """A table's cells: one value per combination of codes, in dimension order.

    ``values[(c1, c2, ..., year)]`` is an int, or ``None`` for a suppressed cell. Every
    combination of codes has a value (zeros included).
    """

    table_id: str
    title: str
    unit: str
    dimensions: tuple[CubeDimension, ...]
    values: Mapping[tuple[str, ...], int | None]
    notes: tuple[str, ...] = field(default=())
    title_en: str = ""
    contact: str = "handistat"

    def keys(self) -> Iterator[tuple[str, ...]]:
        """Every combination of codes in the declared order (the last dimension varies fastest)."""
        return itertools.product(*(d.code_ids() for d in self.dimensions))

    def cells(self) -> Iterator[tuple[tuple[str, ...], int | None]]:
        for key in self.keys():
            yield key, self.values[key]

    def dimension(self, dim_id: str) -> CubeDimension:
        for d in self.dimensions:
            if d.id.casefold() == dim_id.casefold():
                return d
        raise KeyError(dim_id)
