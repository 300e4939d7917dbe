"""Synthetic CPR numbers: unique, valid per R-CPR-2, and deliberately broken variants.

A CPR is ``DDMMYY`` + 4 digits whose first digit (the 7th) encodes the century. Modulus 11
is not used (not guaranteed since 2007), so the 4 digits are any serial the century allows.
"""

from __future__ import annotations

import datetime as dt
import random

_STEP = 7919
"""A prime above 6,000: stepping by it visits every serial of a date exactly once."""


def century_digits(year: int) -> tuple[int, ...]:
    """The 7th digits that make ``YY`` decode to ``year`` (R-CPR-2)."""
    if 1858 <= year <= 1899:
        return (5, 6, 7, 8)
    if 1900 <= year <= 1936:
        return (0, 1, 2, 3)
    if 1937 <= year <= 1999:
        return (0, 1, 2, 3, 4, 9)
    if 2000 <= year <= 2036:
        return (4, 5, 6, 7, 8, 9)
    if 2037 <= year <= 2057:
        return (5, 6, 7, 8)
    raise ValueError(f"no CPR century for {year}")


def cpr_from_serial(birth: dt.date, serial: int) -> str:
    """The CPR of the ``serial``-th number available for ``birth`` (0 ≤ serial < 1000·digits)."""
    return _cpr(birth, century_digits(birth.year), serial)


def _cpr(birth: dt.date, digits: tuple[int, ...], serial: int) -> str:
    seventh = digits[serial // 1000]
    return f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}{seventh}{serial % 1000:03d}"


class CprAllocator:
    """Hands out distinct CPR numbers per birth date, in a seeded scrambled order."""

    def __init__(self, salt: int) -> None:
        self._salt = salt
        self._used: dict[int, int] = {}

    def next(self, birth: dt.date) -> str:
        ordinal = birth.toordinal()
        k = self._used.get(ordinal, 0)
        self._used[ordinal] = k + 1
        digits = century_digits(birth.year)
        capacity = 1000 * len(digits)
        if k >= capacity:
            raise ValueError(f"CPR serials exhausted for {birth}")
        start = (ordinal * 104_729 + self._salt) % capacity
        return _cpr(birth, digits, (start + k * _STEP) % capacity)


def birth_date(cpr: str) -> dt.date:
    """The birth date a well-formed CPR encodes (R-CPR-2); ValueError if there is none."""
    yy, seventh = int(cpr[4:6]), int(cpr[6])
    for year in (1800 + yy, 1900 + yy, 2000 + yy):
        if 1858 <= year <= 2057 and seventh in century_digits(year):
            return dt.date(year, int(cpr[2:4]), int(cpr[:2]))
    raise ValueError("no century")


def with_dash(cpr: str) -> str:
    """``DDMMYYSSSS`` → ``DDMMYY-SSSS``."""
    return f"{cpr[:6]}-{cpr[6:]}"


def typo(cpr: str, rng: random.Random) -> str:
    """A mistyped CPR whose date cannot exist: day 32 or 00, month 13 or 00, or 30 February."""
    kind = rng.randrange(5)
    if kind == 0:
        return "32" + cpr[2:]
    if kind == 1:
        return cpr[:2] + "13" + cpr[4:]
    if kind == 2:
        return "00" + cpr[2:]
    if kind == 3:
        return cpr[:2] + "00" + cpr[4:]
    return "3002" + cpr[4:]
