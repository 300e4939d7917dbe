"""Which notes apply to what is shown (issue 12 item 5).

A note that names years (``2022 dækker perioden 1. juli - 31. december 2022.``, ``Tallene for
2023 blev revideret ...``) is about those years: it is shown only when at least one of them is
among the periods shown. A note without a year (the sum note, suppression) always applies.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from handistat.tables.cube import Cube

_YEAR = re.compile(r"(?<![\w.\-])(20\d\d|19\d\d)(?![\w-])")  # not inside ids or dates


def applicable(notes: Sequence[str], periods: Iterable[str]) -> tuple[str, ...]:
    """The notes that concern one of `periods` (codes such as ``2023`` or ``2023K1``)."""
    shown_years = {p[:4] for p in periods}
    kept = []
    for note in notes:
        years = set(_YEAR.findall(note))
        if not years or years & shown_years:
            kept.append(note)
    return tuple(kept)


def periods(cube: Cube) -> tuple[str, ...]:
    time = next((d for d in cube.dimensions if d.time), None)
    return time.code_ids() if time is not None else ()


def with_applicable_notes(cube: Cube) -> Cube:
    """The cube with only the notes about the periods it holds."""
    kept = applicable(cube.notes, periods(cube))
    return cube if kept == tuple(cube.notes) else dataclasses.replace(cube, notes=kept)
