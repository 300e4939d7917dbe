"""Scales and fixed facts of the synthetic world (R-SYN-1)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from handistat.synth import refdata

TODAY = dt.date(2026, 6, 30)
"""The generator's "today": nothing is delivered, born or dead after this day."""

YEARS = (2022, 2023, 2024, 2025)
"""The reference years the ground truth covers."""

BARNETS_LOV_FRA = dt.date(2024, 1, 1)
HANDBU_FRA = dt.date(2022, 1, 1)
GENBRUG_FRA = dt.date(2022, 7, 1)

SILENT_KOMMUNE = "825"
"""Læsø: has residents but never delivers anything (R-SYN-2)."""

NO_PERSONS = frozenset({"411"})
"""Christiansø: no population, no deliveries."""

SMALL_KOMMUNER = (
    "101",
    "147",
    "157",
    "461",
    "563",
    "661",
    "665",
    "671",
    "751",
    "825",
    "851",
    "860",
)

# Approximate populations of some municipalities; the rest get a seeded weight.
_KNOWN_SIZES = {
    "101": 660_000, "147": 105_000, "151": 52_000, "155": 14_500, "157": 75_000,
    "159": 70_000, "167": 55_000, "173": 57_000, "265": 91_000, "400": 39_000,
    "461": 207_000, "492": 6_000, "550": 37_000, "561": 115_000, "563": 3_500,
    "615": 98_000, "621": 95_000, "630": 120_000, "657": 90_000, "661": 59_000,
    "665": 19_500, "671": 21_000, "730": 100_000, "740": 100_000, "741": 3_700,
    "751": 370_000, "791": 98_000, "825": 1_700, "851": 222_000, "860": 64_000,
}  # fmt: skip


@dataclass(frozen=True)
class Scale:
    """How big the synthetic world is."""

    name: str
    persons: int
    kommuner: tuple[str, ...]
    handbu_children: int
    min_persons_per_kommune: int
    cadences: tuple[tuple[str, int], ...]
    """HANDBU delivery cadence and its weight: daily, weekly, monthly or quarterly."""
    genbrug_factor: float
    """Scales everyone's chance of borrowing devices (calibrates loans per year)."""
    hmi_products: int


def _all_kommuner() -> tuple[str, ...]:
    return tuple(k.kode for k in refdata.kommuner() if k.kode not in NO_PERSONS)


def scale_config(name: str) -> Scale:
    """The named scale: ``small`` (tests, seconds) or ``national`` (minutes)."""
    if name == "small":
        return Scale(
            name="small",
            persons=20_000,
            kommuner=SMALL_KOMMUNER,
            handbu_children=600,
            min_persons_per_kommune=400,
            cadences=(("weekly", 2), ("monthly", 4), ("quarterly", 2)),  # daily: national only
            genbrug_factor=0.75,
            hmi_products=400,
        )
    if name == "national":
        return Scale(
            name="national",
            persons=5_900_000,
            kommuner=_all_kommuner(),
            handbu_children=33_000,
            min_persons_per_kommune=1_000,
            cadences=(("weekly", 3), ("monthly", 5), ("quarterly", 1)),
            genbrug_factor=0.83,
            hmi_products=8_000,
        )
    raise ValueError(f"unknown scale {name!r}: use 'small' or 'national'")


def kommune_weights(kommuner: tuple[str, ...]) -> dict[str, float]:
    """Relative population sizes: known ones, else a stable pseudo-random 15,000-70,000."""
    weights: dict[str, float] = {}
    for kode in kommuner:
        if kode in _KNOWN_SIZES:
            weights[kode] = float(_KNOWN_SIZES[kode])
        else:
            weights[kode] = random.Random(f"kommune-size:{kode}").uniform(15_000, 70_000)
    return weights
