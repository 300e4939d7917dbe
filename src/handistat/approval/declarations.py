"""The approval workflow as data (R-VAL-1..5): states, report kinds, reminder schedules, flags.

A report kind says which statistic it is for, whether it is yearly or monthly, how its figures
are computed and which part of them a municipality approves (the fingerprinted part). Adding
a statistic is adding a `ReportKind`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from handistat.reference import Kommune, kommuner
from handistat.stores.warehouse import Warehouse


class State(StrEnum):
    """R-VAL-3, in the words the municipalities see."""

    IKKE_SENDT = "ikke sendt"
    SENDT = "sendt"
    GODKENDT = "godkendt"
    AFVIST = "afvist"
    FORAELDET = "forældet"


AWAITING = frozenset({State.SENDT, State.FORAELDET})
"""States in which the municipality owes an answer (reminders run)."""


class Decision(StrEnum):
    """R-VAL-5: a municipality at release time (the words of `release.decisions`)."""

    GODKENDT = "godkendt"
    IKKE_GODKENDT = "ikke godkendt"
    UDELADT = "udeladt"


@dataclass(frozen=True)
class ReminderStep:
    code: str
    title: str
    days_after_deadline: int
    written: bool
    """Written: an e-mail text is generated, stored and sent; otherwise staff log it."""


@dataclass(frozen=True)
class Schedule:
    answer_days: int
    """Days from sending (or asking again) to the deadline."""
    steps: tuple[ReminderStep, ...]


STANDARD_SCHEDULE = Schedule(
    answer_days=21,
    steps=(
        ReminderStep("paamindelse_1", "1. skriftlige påmindelse", 1, True),
        ReminderStep("paamindelse_2", "2. skriftlige påmindelse", 8, True),
        ReminderStep("telefon", "telefonisk påmindelse", 15, False),
        ReminderStep("eskalering", "eskalering til ministeriet", 22, False),
    ),
)


@dataclass(frozen=True)
class Flagging:
    """When a change or a rate is large enough to ask the municipality to look again."""

    change_pct: float = 25.0
    change_min: int = 5
    rate_ratio: float = 2.0


FLAGGING = Flagging()

FiguresFn = Callable[[Warehouse, int, dt.date], Mapping[tuple[str, str], dict[str, Any]]]
"""(warehouse, year, today) → {(kommune, period): figures}; figures["tal"] is approved."""


@dataclass(frozen=True)
class ReportKind:
    statistic: str
    title: str
    monthly: bool
    schedule: Schedule
    figures: FiguresFn
    available: Callable[[Warehouse], bool]
    first_year: int = 2022
    first_month: int = 1

    def periods(self, year: int, today: dt.date) -> list[str]:
        """`[""]` for a yearly report; the ended months of `year` for a monthly one."""
        if not self.monthly:
            return [""]
        start = self.first_month if year == self.first_year else 1
        return [
            f"{year}-{m:02d}" for m in range(start, 13) if (year, m) < (today.year, today.month)
        ]


def municipalities() -> tuple[Kommune, ...]:
    """The 98 municipalities that report (Christiansø, 411, has no administration)."""
    return tuple(k for k in kommuner() if k.kode != "411")


def kommune_navn(kode: str) -> str:
    return next((k.navn for k in kommuner() if k.kode == kode), kode)
