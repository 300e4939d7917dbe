"""Dimensions shared by several tables (geography, sex), built from the packaged code lists."""

from __future__ import annotations

from handistat.reference import kommuner, landsdele
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
