"""BULK: the Statbank API's streaming CSV (statbank_api.md §5.5-5.6).

Same layout as CSV, sent in chunks (`BulkFormat.stream`). Statbank leaves out rows that have
no stored value and readers take those as tableinfo's ``suppressedDataValue``; our cubes store
every combination (zeros included), so every row is written unless ``omit_zeros`` is set, in
which case tableinfo must say ``"suppressedDataValue": "0"``. Suppressed cells stay as ``..``.
Elimination, ``timeOrder`` and calculations are refused for BULK by the API layer, not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from handistat.tables.cube import Cube

from .statbank_csv import CsvFormat


@dataclass(frozen=True)
class BulkFormat(CsvFormat):
    name: str = "BULK"
    omit_zeros: bool = False

    def rows(self, cube: Cube) -> Iterator[tuple[tuple[str, ...], int | None]]:
        if not self.omit_zeros:
            return cube.cells()
        return ((key, value) for key, value in cube.cells() if value != 0)


BULK = BulkFormat()
