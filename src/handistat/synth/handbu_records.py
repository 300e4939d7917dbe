"""HANDBU records that compose the true episodes, in the ways municipalities report (R-SYN-2).

Each true episode is cut into records (one long record, many short contiguous ones,
overlapping or nested ones, a SEL record followed by a Barnets lov record at the 2024
reform). Some records are first sent wrong and corrected later; some records exist only to
be annulled, mistyped or sent for unknown children - they never reach the truth.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from handistat.synth import refdata
from handistat.synth.config import BARNETS_LOV_FRA, TODAY
from handistat.synth.handbu_episodes import TrueEpisode
from handistat.synth.handbu_model import Content

DAY = dt.timedelta(days=1)
_FIRST_DELIVERY = dt.date(2022, 1, 3)
_PATTERNS = ("long", "short", "overlap", "nested", "reform")
_PRACTICE = {"long": (70, 10, 5, 5, 10), "short": (15, 55, 10, 10, 10)}


Piece = tuple[dt.date, dt.date | None]


def paragraf_for(indsats: int, start: dt.date) -> str:
    """The SEL code before the 2024 reform, the Barnets lov code from it."""
    barnets_lov = start >= BARNETS_LOV_FRA or indsats == 8
    for p in refdata.handbu_paragraffer():
        if p.indsats == indsats and p.barnets_lov == barnets_lov:
            return p.paragraf
    raise ValueError(f"no paragraph for type {indsats}")


def _horizon(slut: dt.date | None) -> dt.date:
    return min(slut, TODAY) if slut else TODAY


def short_pieces(
    rng: random.Random, start: dt.date, slut: dt.date | None, overlap: bool
) -> list[Piece]:
    """Contiguous records with gaps of 0-14 days, or records overlapping by 1-20 days."""
    horizon = _horizon(slut)
    pieces: list[Piece] = []
    cur = start
    while True:
        length = rng.randint(30, 180)
        end = cur + dt.timedelta(days=length)
        if end >= horizon - dt.timedelta(days=20):
            break
        pieces.append((cur, end))
        if overlap:
            cur = end - dt.timedelta(days=rng.randint(1, 20))
        else:
            cur = end + DAY + dt.timedelta(days=0 if rng.random() < 0.6 else rng.randint(1, 14))
    pieces.append((cur, slut))
    return pieces


def nested_pieces(rng: random.Random, start: dt.date, slut: dt.date | None) -> list[Piece]:
    """One record for the whole episode and one or two records inside it."""
    pieces: list[Piece] = [(start, slut)]
    span = (_horizon(slut) - start).days
    for _ in range(rng.randint(1, 2) if span > 10 else 0):
        inner = start + dt.timedelta(days=rng.randint(0, span - 1))
        rest = (_horizon(slut) - inner).days
        pieces.append((inner, inner + dt.timedelta(days=rng.randint(0, rest))))
    return pieces


def reform_pieces(start: dt.date, slut: dt.date | None) -> list[Piece] | None:
    """A SEL record closed at the reform and a Barnets lov record from 2024-01-01."""
    if start >= BARNETS_LOV_FRA or (slut is not None and slut < BARNETS_LOV_FRA):
        return None
    return [(start, BARNETS_LOV_FRA - DAY), (BARNETS_LOV_FRA, slut)]


def pieces_for(rng: random.Random, practice: str, episode: TrueEpisode) -> tuple[str, list[Piece]]:
    pattern = rng.choices(_PATTERNS, _PRACTICE[practice])[0]
    s, e = episode.start, episode.slut
    if pattern == "reform":
        pieces = reform_pieces(s, e)
        if pieces:
            return pattern, pieces
        pattern = "short"
    if pattern in ("short", "overlap"):
        pieces = short_pieces(rng, s, e, overlap=pattern == "overlap")
        return (pattern if len(pieces) > 1 else "long"), pieces
    if pattern == "nested":
        pieces = nested_pieces(rng, s, e)
        return (pattern if len(pieces) > 1 else "long"), pieces
    return "long", [(s, e)]


def base_send(rng: random.Random, start: dt.date) -> dt.date:
    """When the municipality's system first sends a record starting on ``start``."""
    if start < _FIRST_DELIVERY + 7 * DAY:
        return _FIRST_DELIVERY + dt.timedelta(days=rng.randint(0, 45))
    r = rng.random()
    lag = (
        rng.randint(0, 30) if r < 0.8 else rng.randint(31, 120) if r < 0.95 else -rng.randint(1, 20)
    )
    return min(max(start + dt.timedelta(days=lag), _FIRST_DELIVERY), TODAY)


def wrong_version(rng: random.Random, true: Content, indsats: int) -> Content:
    """A first version with the decision date as start, a wrong end, or another type's code."""
    kind = rng.randrange(3)
    if kind == 0:
        return replace(true, start=true.start - dt.timedelta(days=rng.randint(10, 90)))
    if kind == 1:
        if true.slut is None:
            return replace(true, slut=true.start + dt.timedelta(days=rng.randint(30, 300)))
        return replace(true, slut=true.slut + dt.timedelta(days=rng.randint(20, 200)))
    others = [t for t in range(1, 8) if t != indsats]
    return replace(true, paragraf=paragraf_for(rng.choice(others), true.start))
