"""GENBRUG loans: who borrows which device from which depot, when, and when it comes back.

Recipients are mostly old. A recipient's loans come in bursts (a need arises, a few
devices are delivered within days), are returned after weeks or years, or are kept until
death (then often returned by the family, sometimes never). Each recipient's loans are drawn
from an RNG of their own, so a municipality's loans can be generated alone (bounded memory).
"""

from __future__ import annotations

import datetime as dt
import random
from functools import cache
from itertools import accumulate
from typing import NamedTuple

from handistat.synth import refdata
from handistat.synth.config import GENBRUG_FRA, NO_PERSONS, SILENT_KOMMUNE, TODAY
from handistat.synth.genbrug_catalogue import FLEXTRAFIK, Catalogue, local_number
from handistat.synth.population import KOEN_UKENDT, Population

HISTORY_FROM = dt.date(2010, 1, 1).toordinal()
_TODAY = TODAY.toordinal()
_PARAGRAF_2023 = dt.date(2023, 1, 1).toordinal()
_YEAR = 365.2425
_VALID_WEIGHTS = {
    "SEL112": 45, "SEL113": 4, "SEL116": 8, "SEL83": 12, "SEL83A": 5, "SEL86": 6,
    "SUL138": 10, "SUL140": 7, "AML15": 1, "SEL114": 1, "SEL128": 1,
}  # fmt: skip
OUTSIDE_VALUE_SET = ("SEL85", "SEL117", "SUL119", "REGIONAL", "SEL112STK3")
# Cumulative weights for rng.choices: the same draws as the weights, without summing them
# again for each of the 9M national loans (issue 15.3).
_VALID = tuple(_VALID_WEIGHTS)
_VALID_CUM = tuple(accumulate(_VALID_WEIGHTS.values()))
_BURST_SIZES = (1, 2, 3, 4, 5, 6)
_BURST_CUM = tuple(accumulate((5, 12, 20, 22, 21, 20)))


class Loan(NamedTuple):
    """One loan row before it is written; dates are ordinals, ``ind`` 0 = not returned."""

    person: int
    cpr: str
    reporter: str
    betaler: str
    hmi: int
    paragraf: str
    ud: int
    ind: int


@cache
def _reporters() -> dict[str, str]:
    """Member → its collaboration's reporter (the first collaboration listing it)."""
    reporters: dict[str, str] = {}
    for reporter, members in refdata.samarbejder().items():
        for member in members:
            reporters.setdefault(member, reporter)
    return reporters


def reporter_of(kommune: str) -> str:
    """The municipality whose depot reports for ``kommune`` (a collaboration's reporter)."""
    return _reporters().get(kommune, kommune)


def _age_weight(age: int) -> float:
    bands = ((25, 0.01), (50, 0.02), (60, 0.05), (65, 0.09), (70, 0.14), (75, 0.22), (80, 0.33))
    for upper, weight in bands:
        if age < upper:
            return weight
    return 0.48 if age < 85 else 0.62 if age < 90 else 0.75


def is_recipient(pop: Population, i: int, rng: random.Random, scale_factor: float) -> bool:
    """Whether person ``i`` ever borrows a device (known sex and birth date only)."""
    if pop.koen[i] == KOEN_UKENDT or pop.birth_unknown[i]:
        return False
    until = pop.death[i] or _TODAY
    if until < HISTORY_FROM + 365:
        return False
    weight = _age_weight(int((until - pop.birth[i]) / _YEAR))
    if pop.death[i]:
        weight = min(0.95, weight * 1.5)
    return rng.random() < weight * scale_factor


def home_kommune(pop: Population, i: int, day: int) -> str | None:
    """Residence on ``day``, else the first spell's municipality (None without any spell)."""
    here = pop.residence_on(i, day)
    if here is None and pop.kommune[i] >= 0:
        first = pop.prev_kommune[i] if pop.prev_kommune[i] >= 0 else pop.kommune[i]
        here = pop.kommuner[first]
    return here


def _paragraf(rng: random.Random, ud: int, hmi: int) -> str:
    if hmi == FLEXTRAFIK:
        return "SEL112" if rng.random() < 0.5 else ""
    if rng.random() < (0.30 if ud < _PARAGRAF_2023 else 0.08):
        return ""
    if rng.random() < 0.015:
        return rng.choice(OUTSIDE_VALUE_SET)
    return rng.choices(_VALID, cum_weights=_VALID_CUM)[0]


def _return_day(rng: random.Random, ud: int, death: int) -> int:
    r = rng.random()
    back = ud + rng.randint(14, 120) if r < 0.4 else ud + rng.randint(120, 900) if r < 0.7 else 0
    if death and (back == 0 or back > death):
        back = death + rng.randint(5, 120) if rng.random() < 0.6 else 0
    return back if back <= _TODAY else 0


def _betaler(rng: random.Random, kommune: str, reporter: str) -> str:
    if rng.random() < 0.01:  # delivered while staying elsewhere, paid by someone else
        return rng.choice([k.kode for k in refdata.kommuner() if k.kode not in NO_PERSONS])
    if kommune != reporter and rng.random() < 0.3:
        return reporter  # the collaboration left its own code as payer
    return kommune


class LoanMaker:
    """Draws every loan of one recipient from the recipient's own RNG."""

    def __init__(self, pop: Population, catalogue: Catalogue, seed: int) -> None:
        self.pop = pop
        self.catalogue = catalogue
        self.seed = seed

    def onset(self, rng: random.Random, i: int) -> int:
        death = self.pop.death[i]
        start = death - rng.randint(60, 8 * 365) if death else _TODAY - rng.randint(0, 15 * 365)
        if start < HISTORY_FROM:  # the depot systems keep history from 2010
            start = HISTORY_FROM + rng.randint(0, 365)
        return max(start, self.pop.birth[i] + 365)

    def device(self, rng: random.Random, taken: set[int]) -> int:
        for _ in range(10):
            hmi = local_number(rng) if rng.random() < 0.02 else self.catalogue.pick(rng)
            if hmi not in taken:
                taken.add(hmi)
                return hmi
        return self.catalogue.pick(rng)

    def loans(self, i: int) -> list[Loan]:
        """All loans of person ``i`` in every municipality (none from the silent one)."""
        rng = random.Random(f"{self.seed}:genbrug-person:{i}")
        death = self.pop.death[i]
        last = death or _TODAY
        day, result = self.onset(rng, i), []
        for _ in range(1 + min(int(rng.expovariate(0.3)), 14)):
            if day > last:
                break
            taken: set[int] = set()  # one device of a kind per burst: no look-alike twins
            for _ in range(rng.choices(_BURST_SIZES, cum_weights=_BURST_CUM)[0]):
                ud = min(day + rng.randint(0, 5), last)
                kommune = home_kommune(self.pop, i, ud) or "661"
                reporter = reporter_of(kommune)
                hmi = self.device(rng, taken)
                loan = Loan(i, self.pop.cpr[i], reporter, _betaler(rng, kommune, reporter), hmi,
                            _paragraf(rng, ud, hmi), ud, _return_day(rng, ud, death))  # fmt: skip
                if reporter != SILENT_KOMMUNE:
                    result.append(loan)
            day += rng.randint(45, 500)
        return result


def in_scope(loan: Loan) -> bool:
    """Not returned before the statistics period starts (R-IN-9)."""
    return loan.ind == 0 or loan.ind >= GENBRUG_FRA.toordinal()
