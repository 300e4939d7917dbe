"""True HANDBU episodes (forløb): who got which intervention type where and when.

Generated first, so the ground truth is known by construction; :mod:`.handbu_records` then
writes records that compose exactly these episodes, plus records that must not count.
Episodes of the same (child, type, handlekommune) are at least 15 days apart (R-HB-4).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from handistat.synth.config import BARNETS_LOV_FRA, SILENT_KOMMUNE, TODAY, Scale
from handistat.synth.population import KOEN_UKENDT, Population

EPISODES_FROM = dt.date(2018, 1, 1)
EPISODES_TO = dt.date(2025, 12, 31)

# Intervention type → (weight, youngest and oldest age at start).
_TYPES: dict[int, tuple[int, int, int]] = {
    5: (52, 0, 17), 1: (14, 0, 6), 4: (9, 0, 17), 3: (7, 10, 17),
    7: (6, 12, 17), 8: (5, 0, 17), 6: (4, 0, 17), 2: (3, 0, 10),
}  # fmt: skip


@dataclass(frozen=True)
class TrueEpisode:
    person: int
    indsats: int
    kommune: str
    start: dt.date
    slut: dt.date | None


def add_years(day: dt.date, years: int) -> dt.date:
    """Same day ``years`` later; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


def _uniform_day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(lo.toordinal(), hi.toordinal()))


class EpisodeMaker:
    """Makes the episodes of one child at a time; ``episodes`` collects them all."""

    def __init__(self, pop: Population, rng: random.Random) -> None:
        self.pop = pop
        self.rng = rng
        self.episodes: list[TrueEpisode] = []

    # -- building blocks -------------------------------------------------------------------
    def start_window(self, i: int, indsats: int) -> tuple[dt.date, dt.date] | None:
        _, youngest, oldest = _TYPES[indsats]
        birth = self.pop.birth_date(i)
        lo = max(add_years(birth, youngest), EPISODES_FROM, dt.date.fromordinal(self.pop.fra[i]))
        if indsats == 8:
            lo = max(lo, BARNETS_LOV_FRA)
        hi = min(add_years(birth, oldest + 1) - dt.timedelta(days=1), EPISODES_TO)
        death = self.pop.death_date(i)
        if death:
            hi = min(hi, death - dt.timedelta(days=1))
        return (lo, hi) if lo <= hi else None

    def duration_end(self, i: int, start: dt.date) -> dt.date | None:
        r = self.rng.random()
        if r < (0.12 if start.year < 2022 else 0.22):
            end = None
        elif r < 0.45:
            end = start + _days(self.rng, 30, 180)
        elif r < 0.75:
            end = start + _days(self.rng, 180, 730)
        else:
            end = start + _days(self.rng, 730, 2500)
        adult = add_years(self.pop.birth_date(i), 18) - dt.timedelta(days=1)
        closes_at_18 = adult >= start and (end is None or end > adult) and adult <= TODAY
        if closes_at_18 and self.rng.random() < 0.7:
            return adult
        return end

    def add(self, i: int, indsats: int, start: dt.date, slut: dt.date | None) -> bool:
        """Add an episode where the child lives on ``start``; False if it cannot be."""
        kommune = self.pop.residence(i, start)
        if kommune is None or kommune == SILENT_KOMMUNE:
            return False
        self.episodes.append(TrueEpisode(i, indsats, kommune, start, slut))
        return True

    def chain(self, i: int, indsats: int, start: dt.date, slut: dt.date | None) -> None:
        """One episode, sometimes followed by more of the same type after a gap ≥ 15 days."""
        while self.add(i, indsats, start, slut) and slut is not None:
            if self.rng.random() >= 0.2:
                return
            short = self.rng.random() < 0.5
            start = slut + _days(self.rng, 16, 31) if short else slut + _days(self.rng, 32, 400)
            if start > EPISODES_TO:
                return
            slut = self.duration_end(i, start)

    def pick_types(self, i: int, count: int) -> list[int]:
        possible = [t for t in _TYPES if self.start_window(i, t)]
        chosen: list[int] = []
        while possible and len(chosen) < count:
            t = self.rng.choices(possible, [_TYPES[p][0] for p in possible])[0]
            chosen.append(t)
            possible.remove(t)
        return chosen

    # -- scenarios: one child each ---------------------------------------------------------
    def regular(self, i: int) -> None:
        count = self.rng.choices((1, 2, 3), (78, 17, 5))[0]
        for indsats in self.pick_types(i, count):
            window = self.start_window(i, indsats)
            assert window
            start = _uniform_day(self.rng, *window)
            self.chain(i, indsats, start, self.duration_end(i, start))

    def several_types(self, i: int) -> None:
        for indsats in self.pick_types(i, 3):
            window = self.start_window(i, indsats)
            assert window
            start = _uniform_day(self.rng, *window)
            self.add(i, indsats, start, self.duration_end(i, start))

    def newborn(self, i: int) -> None:
        """An intervention starting in the child's first weeks (age 0 at year end)."""
        start = self.pop.birth_date(i) + _days(self.rng, 10, 60)
        self.add(i, 5, start, None if self.rng.random() < 0.5 else start + _days(self.rng, 60, 600))

    def turns_18(self, i: int) -> None:
        """Active across the year the child turns 18: counted the year before, not that year."""
        adult = add_years(self.pop.birth_date(i), 18)
        start = max(adult - _days(self.rng, 400, 1500), EPISODES_FROM)
        slut = None if self.rng.random() < 0.5 else adult + _days(self.rng, 10, 300)
        self.add(i, 5, start, slut)

    def died(self, i: int) -> None:
        """An open episode of a child who dies before a reference year; the case never closes."""
        start = _uniform_day(self.rng, dt.date(2019, 1, 1), dt.date(2021, 12, 31))
        start = max(start, self.pop.birth_date(i) + dt.timedelta(days=30))
        if self.add(i, self.rng.choice((5, 4, 6)), start, None):
            death = _uniform_day(self.rng, dt.date(2022, 2, 1), dt.date(2024, 11, 30))
            self.pop.death[i] = death.toordinal()
            if self.pop.move[i] >= self.pop.death[i]:
                self.pop.prev_kommune[i] = -1
                self.pop.move[i] = 0

    def two_kommuner(self, i: int) -> None:
        """The same type first in the old and then in the new municipality after a move."""
        move = dt.date.fromordinal(self.pop.move[i])
        first = max(move - _days(self.rng, 60, 900), EPISODES_FROM, self.pop.birth_date(i))
        self.add(i, 5, first, move - dt.timedelta(days=1))
        second = move + _days(self.rng, 0, 20)
        self.add(i, 5, second, self.duration_end(i, second))


Scenario = Callable[[EpisodeMaker, int], None]


def _is_newborn(pop: Population, i: int) -> bool:
    return dt.date(2022, 1, 1) <= pop.birth_date(i) <= dt.date(2025, 10, 31)


def _turns_18_in_window(pop: Population, i: int) -> bool:
    return 2004 <= pop.birth_date(i).year <= 2007 and not pop.birth_unknown[i]


def _movable(pop: Population, i: int) -> bool:
    if pop.prev_kommune[i] < 0:
        return False
    move = dt.date.fromordinal(pop.move[i])
    young = add_years(pop.birth_date(i), 16) > move
    return dt.date(2019, 1, 1) <= move <= dt.date(2025, 6, 30) and young


def _can_die(pop: Population, i: int) -> bool:
    return pop.birth_date(i) <= dt.date(2018, 6, 30) and not pop.death[i]


_SPECIAL: tuple[tuple[str, Callable[[Population, int], bool], Scenario, float], ...] = (
    ("newborn", _is_newborn, EpisodeMaker.newborn, 0.01),
    ("turns_18", _turns_18_in_window, EpisodeMaker.turns_18, 0.01),
    ("died", _can_die, EpisodeMaker.died, 0.005),
    ("two_kommuner", _movable, EpisodeMaker.two_kommuner, 0.01),
    ("several_types", lambda pop, i: True, EpisodeMaker.several_types, 0.02),
)


def _eligible_children(pop: Population) -> list[int]:
    lo, hi = dt.date(2000, 1, 1).toordinal(), dt.date(2025, 10, 31).toordinal()
    died_early = dt.date(2019, 1, 1).toordinal()
    return [
        i
        for i in range(len(pop))
        if lo <= pop.birth[i] <= hi and pop.kommune[i] >= 0 and not 0 < pop.death[i] < died_early
    ]


def _plant_unknowns(pop: Population, rng: random.Random, children: list[int], n: int) -> None:
    """A few children without sex or birth date in the register (codes 9 and 999)."""
    for i in rng.sample(children, n):
        pop.koen[i] = KOEN_UKENDT
    for i in rng.sample(children, n):
        pop.birth_unknown[i] = 1


def generate_episodes(pop: Population, scale: Scale, seed: int) -> list[TrueEpisode]:
    """The true episodes of ``scale.handbu_children`` children (adjusts a few persons)."""
    rng = random.Random(f"{seed}:handbu-episodes")
    children = rng.sample(_eligible_children(pop), scale.handbu_children)
    maker = EpisodeMaker(pop, rng)
    remaining: list[int] = []
    quota = {name: max(5, int(share * len(children))) for name, _, _, share in _SPECIAL}
    for i in children:
        for name, fits, scenario, _ in _SPECIAL:
            if quota[name] > 0 and fits(pop, i):
                quota[name] -= 1
                scenario(maker, i)
                break
        else:
            remaining.append(i)
    for i in remaining:
        maker.regular(i)
    with_episode = sorted({e.person for e in maker.episodes})
    _plant_unknowns(pop, rng, with_episode, max(3, len(with_episode) // 2000))
    return maker.episodes
