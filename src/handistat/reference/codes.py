"""Packaged reference data (R-GEN-6): municipalities, landsdele, paragraphs, ISO 9999 classes.

The CSV files in `data/` are copies of `shared/reference/` (sources noted in
docs/reference-data.md); they are read from the installed package, never from the repository.
Code lists carry validity dates where the source has them.
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


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Kommune:
    kode: str
    navn: str
    landsdel_kode: str
    landsdel_navn: str
    region_kode: str
    region_navn: str


@dataclass(frozen=True)
class HandbuParagraf:
    paragraf: str
    lov: str
    bestemmelse: str
    indsats_kode: str
    gyldig_fra: dt.date | None
    gyldig_til: dt.date | None


@dataclass(frozen=True)
class GenbrugParagraf:
    paragraf: str
    lov: str
    bestemmelse: str
    tekst_da: str
    tekst_en: str


@dataclass(frozen=True)
class IsoKlasse:
    iso_kode: str
    niveau: int
    tekst_da: str
    tekst_en: str


@dataclass(frozen=True)
class Samarbejde:
    indberetningskommune: str
    medlemskommune: str
    navn: str
    gyldig_fra: dt.date | None
    gyldig_til: dt.date | None


@cache
def kommuner() -> tuple[Kommune, ...]:
    """The 98 municipalities and Christiansø, in the classification's order."""
    return tuple(
        Kommune(
            r["kommune_kode"],
            r["kommune_navn"],
            r["landsdel_kode"],
            r["landsdel_navn"],
            r["region_kode"],
            r["region_navn"],
        )
        for r in _rows("kommuner.csv")
    )


@cache
def kommune_koder() -> frozenset[str]:
    return frozenset(k.kode for k in kommuner())


@cache
def landsdele() -> tuple[tuple[str, str], ...]:
    """(code, name) of the 11 landsdele, sorted by code."""
    return tuple(sorted({(k.landsdel_kode, k.landsdel_navn) for k in kommuner()}))


@cache
def handbu_paragraffer() -> tuple[HandbuParagraf, ...]:
    return tuple(
        HandbuParagraf(
            r["paragraf"],
            r["lov"],
            r["bestemmelse"],
            r["indsats_kode"],
            _date(r["gyldig_fra"]),
            _date(r["gyldig_til"]),
        )
        for r in _rows("handbu_paragraffer.csv")
    )


@cache
def genbrug_paragraffer() -> tuple[GenbrugParagraf, ...]:
    return tuple(
        GenbrugParagraf(r["paragraf"], r["lov"], r["bestemmelse"], r["tekst_da"], r["tekst_en"])
        for r in _rows("genbrug_paragraffer.csv")
    )


@cache
def iso_klasser() -> tuple[IsoKlasse, ...]:
    return tuple(
        IsoKlasse(r["iso_kode"], int(r["niveau"]), r["tekst_da"], r["tekst_en"])
        for r in _rows("iso9999_klasser.csv")
    )


@cache
def samarbejder() -> tuple[Samarbejde, ...]:
    return tuple(
        Samarbejde(
            r["indberetningskommune"],
            r["medlemskommune"],
            r["navn"],
            _date(r["gyldig_fra"]),
            _date(r["gyldig_til"]),
        )
        for r in _rows("samarbejder.csv")
    )


@cache
def genbrug_paragraf_iso() -> tuple[tuple[str, str], ...]:
    """(paragraf, ISO level-1 class) pairs judged plausible (R-GB-6); our working rules,
    see docs/decisions/genbrug-paragraph-plausibility.md."""
    return tuple((r["paragraf"], r["iso_niveau1"]) for r in _rows("genbrug_paragraf_iso.csv"))
