"""When a municipality's system delivers: daily, weekly, monthly or quarterly (seed 000 §3.2).

A row is delivered in the first delivery on or after the day it is sent, and never after
the generator's today.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from handistat.synth.config import TODAY

_QUARTER_MONTHS = (1, 4, 7, 10)


def _next_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _next_month_day(day: dt.date, months: tuple[int, ...], dom: int) -> dt.date:
    year, month = day.year, day.month
    while True:
        candidate = dt.date(year, month, dom)
        if month in months and candidate >= day:
            return candidate
        month += 1
        if month == 13:
            year, month = year + 1, 1


def _monthly(day: dt.date) -> dt.date:
    return _next_month_day(day, tuple(range(1, 13)), 5)


def _quarterly(day: dt.date) -> dt.date:
    return _next_month_day(day, _QUARTER_MONTHS, 15)


_RULES: dict[str, Callable[[dt.date], dt.date]] = {
    "daily": _next_weekday,
    "weekly": _next_monday,
    "monthly": _monthly,
    "quarterly": _quarterly,
}


class Timetable:
    """Each delivering municipality's cadence, drawn once from the scale's weights."""

    def __init__(
        self, rng: random.Random, kommuner: tuple[str, ...], cadences: tuple[tuple[str, int], ...]
    ) -> None:
        names = [name for name, _ in cadences]
        order = list(kommuner)
        rng.shuffle(order)
        # Every cadence is used at least once, then by weight.
        self.cadence = {k: names[n] for n, k in enumerate(order[: len(names)])}
        for k in order[len(names) :]:
            self.cadence[k] = rng.choices(names, [w for _, w in cadences])[0]

    def delivery(self, kommune: str, send: dt.date) -> dt.date:
        """The day the row sent on ``send`` reaches the statistics office."""
        return min(_RULES[self.cadence[kommune]](send), TODAY)
