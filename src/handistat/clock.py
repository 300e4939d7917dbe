"""An injectable clock (R-GEN-5): times are stored in UTC and shown in Europe/Copenhagen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

Clock = Callable[[], dt.datetime]
"""Returns the current time as an aware UTC datetime."""

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def fixed_clock(at: dt.datetime) -> Clock:
    """A clock that always says `at` (for tests and reproducible runs)."""
    if at.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime")
    moment = at.astimezone(dt.UTC)
    return lambda: moment


def today_copenhagen(clock: Clock) -> dt.date:
    return clock().astimezone(COPENHAGEN).date()


def show(moment: dt.datetime) -> str:
    """A stored UTC time as users see it."""
    return moment.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M")
