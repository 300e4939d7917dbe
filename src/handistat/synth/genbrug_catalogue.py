"""The HMI catalogue (an import of Hjælpemiddelbasen, R-GB-3) and numbers outside it.

``hmi_katalog.csv``: ``hmi_nummer;iso_kode`` with a 6-digit ISO 9999 code whose first four
digits are a level-2 class of ``iso9999_klasser.csv`` (so the first two are its level 1).
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from handistat.synth import refdata
from handistat.synth.csvio import write_rows

# How common each level-2 class is among loans (rollators, beds and toilet aids lead).
_CLASS_WEIGHT = {
    "1206": 20, "1812": 14, "0912": 12, "0933": 10, "1222": 9, "1231": 7, "1809": 6,
    "0433": 5, "1203": 5, "2421": 3, "1236": 3, "1818": 2, "1223": 2, "1224": 2, "1830": 1,
}  # fmt: skip

FLEXTRAFIK = 999999
"""A "device" number some municipalities use for a service (flextrafik), not in the database."""


@dataclass(frozen=True)
class Catalogue:
    products: tuple[tuple[int, str], ...]
    """(hmi_nummer, iso_kode) in catalogue order."""
    _cumulative: tuple[float, ...]

    def pick(self, rng: random.Random) -> int:
        """A product number, popular ones more often (Zipf-like)."""
        return self.products[bisect(self._cumulative, rng.random() * self._cumulative[-1])][0]


def make_catalogue(seed: int, size: int) -> Catalogue:
    rng = random.Random(f"{seed}:hmi-katalog")
    classes = [c for c in refdata.iso_niveau2() if c in _CLASS_WEIGHT]
    numbers = rng.sample(range(10_000, 900_000), size)
    products = []
    for number in numbers:
        klasse = rng.choices(classes, [_CLASS_WEIGHT[c] for c in classes])[0]
        products.append((number, f"{klasse}{rng.randrange(3, 40):02d}"))
    popularity = accumulate(1.0 / (rank + 5) for rank in range(size))
    return Catalogue(tuple(products), tuple(popularity))


def local_number(rng: random.Random) -> int:
    """A fictitious or local device number: flextrafik, short local codes, long local ids."""
    kind = rng.randrange(3)
    if kind == 0:
        return FLEXTRAFIK
    if kind == 1:
        return rng.randint(1, 999)
    return rng.randint(900_000_000, 999_999_999)


def write_catalogue(catalogue: Catalogue, out: Path) -> int:
    rows = ((str(n), iso) for n, iso in sorted(catalogue.products))
    return write_rows(out / "hmi_katalog.csv", ("hmi_nummer", "iso_kode"), rows)
