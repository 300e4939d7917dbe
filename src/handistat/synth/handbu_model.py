"""The HANDBU row as the generator sends it, and a row with its delivery date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Content:
    """What one row of a HANDBU delivery says (CPR as 10 digits; formatted when written)."""

    cpr: str
    paragraf: str
    start: dt.date
    slut: dt.date | None
    status: str = "aktiv"


@dataclass(frozen=True)
class Sent:
    """One row in the delivery of ``kommune`` on ``delivery``."""

    delivery: dt.date
    kommune: str
    indsats_id: str
    content: Content
