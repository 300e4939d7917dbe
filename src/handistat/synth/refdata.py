"""The packaged reference code lists the generator and its truth need, read as plain rows.

Read through importlib.resources from ``handistat.reference``'s ``data`` folder, so the
installed package is used, never the repository's ``shared/`` copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("handistat.reference").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@dataclass(frozen=True)
class KommuneRef:
    kode: str
    landsdel: str


@dataclass(frozen=True)
class HandbuParagrafRef:
    paragraf: str
    indsats: int
    barnets_lov: bool


@cache
def kommuner() -> tuple[KommuneRef, ...]:
    """All 99 rows of kommuner.csv (98 municipalities and Christiansø), in file order."""
    return tuple(KommuneRef(r["kommune_kode"], r["landsdel_kode"]) for r in _rows("kommuner.csv"))


@cache
def landsdel_af_kommune() -> dict[str, str]:
    return {k.kode: k.landsdel for k in kommuner()}


@cache
def landsdele() -> tuple[str, ...]:
    return tuple(sorted({k.landsdel for k in kommuner()}))


@cache
def handbu_paragraffer() -> tuple[HandbuParagrafRef, ...]:
    return tuple(
        HandbuParagrafRef(r["paragraf"], int(r["indsats_kode"]), r["paragraf"].startswith("BL"))
        for r in _rows("handbu_paragraffer.csv")
    )


@cache
def indsats_af_paragraf() -> dict[str, int]:
    return {p.paragraf: p.indsats for p in handbu_paragraffer()}


@cache
def genbrug_paragraffer() -> tuple[str, ...]:
    return tuple(r["paragraf"] for r in _rows("genbrug_paragraffer.csv"))


@cache
def iso_niveau2() -> tuple[str, ...]:
    """The level-2 ISO 9999 classes (4 digits) of iso9999_klasser.csv."""
    return tuple(r["iso_kode"] for r in _rows("iso9999_klasser.csv") if r["niveau"] == "2")


@cache
def samarbejder() -> dict[str, tuple[str, ...]]:
    """Reporting municipality → its member municipalities (the reporter included)."""
    members: dict[str, list[str]] = {}
    for r in _rows("samarbejder.csv"):
        members.setdefault(r["indberetningskommune"], []).append(r["medlemskommune"])
    return {k: tuple(v) for k, v in members.items()}


@cache
def samarbejde_perioder() -> dict[str, tuple[tuple[str, dt.date, dt.date | None], ...]]:
    """Reporting municipality → (member, first day, last day or None) of every membership
    period in the packaged list (R-GB-4); a missing first day is the period start 2022-07-01,
    as seeded into the catalogue."""
    periods: dict[str, list[tuple[str, dt.date, dt.date | None]]] = {}
    for r in _rows("samarbejder.csv"):
        fra = dt.date.fromisoformat(r["gyldig_fra"] or "2022-07-01")
        til = dt.date.fromisoformat(r["gyldig_til"]) if r["gyldig_til"] else None
        periods.setdefault(r["indberetningskommune"], []).append((r["medlemskommune"], fra, til))
    return {k: tuple(v) for k, v in periods.items()}
