"""Dates as Danish readers write them (issue 12 item 5): ``1. december 2026 kl. 08:00``.

Times are stored in UTC and shown in Europe/Copenhagen; month names are spelled out in
Danish (no locale is needed on the server).
"""

from __future__ import annotations

import datetime as dt

from handistat.clock import COPENHAGEN

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def danish_date(moment: dt.datetime | dt.date) -> str:
    """``1. december 2026`` (an aware time is first moved to Copenhagen)."""
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(COPENHAGEN).date()
    return f"{moment.day}. {MONTHS[moment.month - 1]} {moment.year}"


def danish_time(moment: dt.datetime) -> str:
    """``1. december 2026 kl. 08:00`` in Copenhagen time."""
    local = moment.astimezone(COPENHAGEN)
    return f"{danish_date(local.date())} kl. {local:%H:%M}"
