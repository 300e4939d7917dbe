"""Dimensions shared by several tables (geography, sex), built from the packaged code lists,
and the nestings between code lists of different tables (`hierarchies`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from handistat.reference import iso_klasser, kommuner, landsdele
from handistat.tables.spec import DimCode, Dimension


def kommunedk(column: str = "kommune") -> Dimension:
    """KOMMUNEDK: `000` Hele landet, then every municipality of the classification."""
    codes = [DimCode("000", "Hele landet", "All Denmark", total=True)]
    codes += [DimCode(k.kode, k.navn, k.navn) for k in kommuner()]
    return Dimension("KOMMUNEDK", "kommune", tuple(codes), column=column, text_en="municipality")


def landsdel(column: str = "landsdel") -> Dimension:
    codes = [DimCode("000", "Hele landet", "All Denmark", total=True)]
    codes += [DimCode(kode, f"Landsdel {navn}", f"Province {navn}") for kode, navn in landsdele()]
    return Dimension("LANDSDEL", "landsdel", tuple(codes), column=column, text_en="province")


@dataclass(frozen=True)
class Hierarchy:
    """A code list nested in a coarser one across tables: each `fine` code lies in one
    `coarse` code (a municipality in its landsdel, an ISO class in its group). Disclosure
    control derives the relations between such cells from this (R-SDC-2)."""

    fine: str
    coarse: str
    parent_of: Mapping[str, str]

    def children(self, coarse_code: str) -> tuple[str, ...]:
        return tuple(f for f, c in self.parent_of.items() if c == coarse_code)


def hierarchies() -> tuple[Hierarchy, ...]:
    """The nestings the declared tables use: kommune → landsdel, ISO level 2 → level 1."""
    iso = [k for k in iso_klasser() if k.iso_kode != "UKENDT"]
    tops = {k.iso_kode for k in iso if k.niveau == 1}
    return (
        Hierarchy("kommune", "landsdel", {k.kode: k.landsdel_kode for k in kommuner()}),
        Hierarchy(
            "iso2",
            "iso1",
            {k.iso_kode: k.iso_kode[:2] for k in iso if k.niveau == 2 and k.iso_kode[:2] in tops},
        ),
    )
