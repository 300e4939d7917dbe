"""Danish formatting for pages, mails and the CLI (issue 11 item 12): one place for numbers,
dates, times (always Europe/Copenhagen) and singular/plural, so nobody writes "1 rækker",
"20,000" or a UTC time again; the public pages (issue 12 item 5) use the same functions.
Pure functions; the Jinja filters are registered in `web.templating` and `web.portal_pages`.
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

NOUNS = {
    "række": "rækker",
    "rapport": "rapporter",
    "kommune": "kommuner",
    "leverance": "leverancer",
    "brev": "breve",
    "modtager": "modtagere",
    "påmindelse": "påmindelser",
    "måned": "måneder",
    "fejl": "fejl",
    "sag": "sager",
    "udgivelse": "udgivelser",
    "liste": "lister",
    "person": "personer",
    "bopælsperiode": "bopælsperioder",
    "enhed": "enheder",
    "udlån": "udlån",
    "tabel": "tabeller",
    "celle": "celler",
}
"""Singular → plural of the nouns our texts count."""


def tal(value: int | float | None, decimals: int = 1) -> str:
    """`9412` → `9.412`, `1234.5` → `1.234,5`; None → `–`."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}" if isinstance(value, float) else f"{value:,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def antal(n: int, singular: str, plural: str | None = None) -> str:
    """`1 række`, `2 rækker`, `9.412 rækker` (plural from `NOUNS` unless given)."""
    word = singular if n == 1 else (plural or NOUNS.get(singular, singular))
    return f"{tal(n)} {word}"


def dato(day: dt.date | str | None) -> str:
    """`2026-12-01` → `1. december 2026`; None → empty."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    if isinstance(day, dt.datetime):
        day = tidspunkt_lokalt(day).date()
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def tidspunkt_lokalt(moment: dt.datetime) -> dt.datetime:
    """A stored time (naive from SQLite means UTC) in Copenhagen time."""
    aware = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    return aware.astimezone(COPENHAGEN)


def tidspunkt(moment: dt.datetime | str | None) -> str:
    """`2026-12-01T07:00Z` → `1. december 2026 kl. 08:00` (Copenhagen time)."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    local = tidspunkt_lokalt(moment)
    return f"{dato(local.date())} kl. {local:%H:%M}"


def periode(value: str | None) -> str:
    """`2025-03` → `marts 2025`; `""` (a whole year) stays empty."""
    if not value:
        return ""
    year, month = value.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def opremsning(items: list[str]) -> str:
    """`a`, `a og b`, `a, b og c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]
