"""Does a text state a suppressed figure? (R-SDC-5: the Nyt article, staff edits included.)

A figure is *stated* when the text gives a count of something ("7 børn", "1.234 udlån",
"2 drenge i alderen 0-5 år") or a number of ten or more that is not a year. It is refused when
it equals the raw value of a suppressed cell and no published cell of the release has that
value: a number the tables already show reveals nothing, and text written from the published
cells (shares, changes) cannot reveal a cell the audit keeps undetermined.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

COUNTED = (
    "børn",
    "barn",
    "unge",
    "drenge",
    "piger",
    "indsatser",
    "indsats",
    "forløb",
    "modtagere",
    "modtager",
    "personer",
    "person",
    "udlån",
    "hjælpemidler",
    "mænd",
    "kvinder",
)
_NUMBER = r"(\d{1,3}(?:\.\d{3})+|\d+)(?![\d,])(?!\.\d)"
_COUNT = re.compile(_NUMBER + r"\s+(?:\w+\s+){0,2}?(" + "|".join(COUNTED) + r")\b", re.IGNORECASE)
_ANY = re.compile(r"(?<![\d.,])" + _NUMBER)


def _value(text: str) -> int:
    return int(text.replace(".", ""))


def stated_figures(text: str) -> set[int]:
    counts = {_value(m.group(1)) for m in _COUNT.finditer(text)}
    large = {_value(m.group(1)) for m in _ANY.finditer(text)}
    return counts | {v for v in large if v >= 10 and not 1990 <= v <= 2100}


def revealed(text: str, hidden: Iterable[int], published: Iterable[int]) -> list[int]:
    """The suppressed values the text states (sorted; empty when the text may go out)."""
    return sorted(stated_figures(text) & (set(hidden) - set(published)))
