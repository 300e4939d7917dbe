"""When a release goes public: `--at` as staff write it, in Europe/Copenhagen (R-GEN-5)."""

from __future__ import annotations

import datetime as dt

from handistat.clock import COPENHAGEN, Clock
from handistat.errors import UsageError

PUBLICATION_TIME = dt.time(8, 0)
"""Statistics are published at 08:00 on the announced day (seed 004 §8.3, R-PUB-2)."""

FIRST_YEAR = 2022
"""Both statistics start in 2022; a release never covers an earlier year."""


def parse_schedule(text: str, clock: Clock) -> dt.datetime:
    """``now``, ``YYYY-MM-DD`` (08:00 that day) or ``YYYY-MM-DDTHH:MM`` → an aware UTC time."""
    value = text.strip()
    if value.casefold() == "now":
        return clock().astimezone(dt.UTC)
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            local = dt.datetime.combine(day, PUBLICATION_TIME)
        else:
            local = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"tidspunktet {text!r} er ikke gyldigt; skriv YYYY-MM-DDTHH:MM, YYYY-MM-DD "
            "(kl. 08:00) eller now"
        ) from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=COPENHAGEN)
    return local.astimezone(dt.UTC)


def release_years(reference_year: int) -> list[int]:
    """The reference year and the two before it (R-PUB-3), never before 2022."""
    if reference_year < FIRST_YEAR:
        raise UsageError(
            f"statistikkerne begynder i {FIRST_YEAR}; {reference_year} kan ikke udgives"
        )
    return [y for y in range(reference_year - 2, reference_year + 1) if y >= FIRST_YEAR]


def local_text(moment: dt.datetime) -> str:
    """``30.09.2026 kl. 08:00`` as Danish readers write it."""
    return moment.astimezone(COPENHAGEN).strftime("%d.%m.%Y kl. %H:%M")
