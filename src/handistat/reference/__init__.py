"""Packaged code lists (R-GEN-6)."""

from handistat.reference.codes import (
    GenbrugParagraf,
    HandbuParagraf,
    IsoKlasse,
    Kommune,
    Samarbejde,
    genbrug_paragraf_iso,
    genbrug_paragraffer,
    handbu_paragraffer,
    iso_klasser,
    kommune_koder,
    kommuner,
    landsdele,
    samarbejder,
)

__all__ = [
    "GenbrugParagraf",
    "HandbuParagraf",
    "IsoKlasse",
    "Kommune",
    "Samarbejde",
    "genbrug_paragraf_iso",
    "genbrug_paragraffer",
    "handbu_paragraffer",
    "iso_klasser",
    "kommune_koder",
    "kommuner",
    "landsdele",
    "samarbejder",
]
