"""Packaged code lists (R-GEN-6): municipalities, landsdele, HANDBU and GENBRUG paragraphs,
ISO 9999 classes and depot collaborations, read from `data/*.csv`. Imports nothing of
handistat; imported by `intake`, `register`, `tables`, `approval`, `accounts`, `api`, `web`."""

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
