"""The synthetic population register (R-CPR-1): persons and their residence spells.

Held column-wise in compact arrays so the national scale (about 5.9 M persons) fits in a
few hundred MiB; written as ``personer.csv`` and ``bopael.csv`` by :mod:`.population_io`.
"""

from __future__ import annotations

import datetime as dt
import random
from array import array
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from handistat.synth.config import TODAY, Scale, kommune_weights
from handistat.synth.cpr import CprAllocator

KOEN_M, KOEN_K, KOEN_UKENDT = 0, 1, 2
_YEAR = 365.2425
_TODAY = TODAY.toordinal()
_DEATHS_FROM = dt.date(2015, 1, 1).toordinal()
_MOVES_FROM = dt.date(2016, 1, 1).toordinal()
_RESIDENCE_CAP = dt.date(2014, 12, 31).toordinal()
_BORN_HERE_FROM = dt.date(1995, 1, 1).toordinal()


def _age_weight(age: int) -> float:
    """A Danish-looking age pyramid: about 21 % children, 23 % aged 65 or more."""
    bands = ((18, 1.0), (65, 0.97), (75, 0.95), (80, 0.8), (85, 0.6), (90, 0.35), (95, 0.15))
    for upper, weight in bands:
        if age < upper:
            return weight
    return 0.04 if age < 100 else 0.005


def _death_age_weight(age: int) -> float:
    """Age at death: mostly old, a few young."""
    if age < 50:
        return 0.02
    if age < 70:
        return 0.3
    return 1.0 if age < 95 else 0.3


_AGES = tuple(range(106))
_AGE_CUM = tuple(accumulate(_age_weight(a) for a in _AGES))
_DEATH_AGE_CUM = tuple(accumulate(_death_age_weight(a) for a in _AGES))


@dataclass
class Population:
    """Column-wise persons; index ``i`` is one person. Ordinals are ``date.toordinal()``."""

    kommuner: tuple[str, ...]
    allocator: CprAllocator
    cpr: list[str] = field(default_factory=list)
    birth: array[int] = field(default_factory=lambda: array("i"))
    death: array[int] = field(default_factory=lambda: array("i"))
    """0 = alive."""
    koen: bytearray = field(default_factory=bytearray)
    birth_unknown: bytearray = field(default_factory=bytearray)
    kommune: array[int] = field(default_factory=lambda: array("h"))
    """Index into ``kommuner`` of the last residence; -1 = no residence at all."""
    prev_kommune: array[int] = field(default_factory=lambda: array("h"))
    """Residence before ``move``; -1 = never moved."""
    move: array[int] = field(default_factory=lambda: array("i"))
    fra: array[int] = field(default_factory=lambda: array("i"))
    """First day of the first residence spell."""

    def __len__(self) -> int:
        return len(self.birth)

    def birth_date(self, i: int) -> dt.date:
        return dt.date.fromordinal(self.birth[i])

    def death_date(self, i: int) -> dt.date | None:
        return dt.date.fromordinal(self.death[i]) if self.death[i] else None

    def residence(self, i: int, day: dt.date) -> str | None:
        """The municipality person ``i`` lives in on ``day`` (None if none)."""
        return self.residence_on(i, day.toordinal())

    def residence_on(self, i: int, o: int) -> str | None:
        """:meth:`residence` on the day with ordinal ``o``."""
        if self.kommune[i] < 0 or o < self.fra[i] or (self.death[i] and o > self.death[i]):
            return None
        if self.prev_kommune[i] >= 0 and o < self.move[i]:
            return self.kommuner[self.prev_kommune[i]]
        return self.kommuner[self.kommune[i]]

    def spell_ordinals(self, i: int) -> list[tuple[str, int, int]]:
        """Residence spells (kommune, fra, til) as ordinals; til 0 = current."""
        if self.kommune[i] < 0:
            return []
        here = self.kommuner[self.kommune[i]]
        if self.prev_kommune[i] < 0:
            return [(here, self.fra[i], self.death[i])]
        before = self.kommuner[self.prev_kommune[i]]
        return [(before, self.fra[i], self.move[i] - 1), (here, self.move[i], self.death[i])]


def _sample_birth_death(rng: random.Random, dead_share: float) -> tuple[int, int]:
    if rng.random() < dead_share:
        death = rng.randint(_DEATHS_FROM, _TODAY - 1)
        age = bisect(_DEATH_AGE_CUM, rng.random() * _DEATH_AGE_CUM[-1])
        return death - int((age + rng.random()) * _YEAR), death
    age = bisect(_AGE_CUM, rng.random() * _AGE_CUM[-1])
    return _TODAY - int((age + rng.random()) * _YEAR), 0


def _first_residence(rng: random.Random, birth: int) -> int:
    """Born here when young; older persons' first known spell starts as adults, before 2015."""
    if birth >= _BORN_HERE_FROM:
        return birth
    moved_in = birth + int(rng.uniform(18, 45) * _YEAR)
    return max(birth, min(moved_in, _RESIDENCE_CAP - rng.randrange(3650)))


def _add_person(pop: Population, rng: random.Random, cum: list[float]) -> None:
    birth, death = _sample_birth_death(rng, 0.08)
    pop.birth.append(birth)
    pop.death.append(death)
    pop.cpr.append(pop.allocator.next(dt.date.fromordinal(birth)))
    pop.koen.append(KOEN_UKENDT if rng.random() < 0.0002 else rng.randrange(2))
    pop.birth_unknown.append(1 if rng.random() < 0.0002 else 0)
    home = bisect(cum, rng.random() * cum[-1])
    fra = _first_residence(rng, birth)
    last_day = death or _TODAY
    earliest_move = max(fra + 30, _MOVES_FROM)
    if rng.random() < 0.0005:
        home = -1
    pop.kommune.append(home)
    pop.fra.append(fra)
    if home >= 0 and rng.random() < 0.08 and earliest_move < last_day:
        before = bisect(cum, rng.random() * cum[-1])
        pop.prev_kommune.append(before if before != home else (home + 1) % len(cum))
        pop.move.append(rng.randint(earliest_move, last_day))
    else:
        pop.prev_kommune.append(-1)
        pop.move.append(0)


def generate_population(scale: Scale, seed: int) -> Population:
    """Persons with realistic ages, sexes, deaths and residence spells, unique valid CPRs."""
    rng = random.Random(f"{seed}:population")
    weights = kommune_weights(scale.kommuner)
    total = sum(weights.values())
    floor = scale.min_persons_per_kommune / scale.persons
    shares = [max(weights[k] / total, floor) for k in scale.kommuner]
    cum = list(accumulate(shares))
    pop = Population(kommuner=scale.kommuner, allocator=CprAllocator(rng.randrange(1 << 30)))
    for _ in range(scale.persons):
        _add_person(pop, rng, cum)
    return pop


def kommune_index(pop: Population, kommune: str) -> int:
    return pop.kommuner.index(kommune)
