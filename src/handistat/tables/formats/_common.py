"""What every format shares: the `Format` protocol, value layouts, languages and labels.

A format reads a `Cube` and nothing else; the texts it shows come from here so that CSV, PX,
JSON-stat and XLSX word a table the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol, TypeVar

from handistat.errors import UsageError
from handistat.tables.cube import Code, Cube, CubeDimension

F = TypeVar("F")


class FormatError(UsageError, ValueError):
    """A format, option, language or value layout that does not exist, or a cube a format
    cannot hold. A `ValueError`, and a `UsageError` so the CLI and API report it as such."""


class Format(Protocol):
    """One output format: its name, HTTP media type, file extension and writer."""

    @property
    def name(self) -> str: ...

    @property
    def media_type(self) -> str: ...

    @property
    def extension(self) -> str: ...

    def write(self, cube: Cube, *, lang: str = "da", value_layout: str = "code") -> bytes:
        """The whole cube in this format, as the bytes of a file or an HTTP body.

        Formats showing one form of a value default to codes (XLSX to texts); PX and
        JSON-stat always carry codes and texts, so they accept any layout and ignore it.
        """
        ...


class ValueLayout(StrEnum):
    """How a dimension value is shown in a cell (the Statbank API's `valuePresentation`)."""

    CODE = "code"
    TEXT = "text"
    CODE_AND_TEXT = "code_and_text"


# Our names and the Statbank API's `valuePresentation` values, compared case-insensitively.
# `Default` and `Value` both show texts in Statbank's CSV/BULK (statbank_api.md §5.6).
_LAYOUT_NAMES = {
    "code": ValueLayout.CODE,
    "text": ValueLayout.TEXT,
    "value": ValueLayout.TEXT,
    "default": ValueLayout.TEXT,
    "code_and_text": ValueLayout.CODE_AND_TEXT,
    "codeandvalue": ValueLayout.CODE_AND_TEXT,
}

LANGUAGES = ("da", "en")


def parse_value_layout(name: str | ValueLayout) -> ValueLayout:
    """`code`, `text`, `code_and_text` or a Statbank `valuePresentation`, in any letter case."""
    key = str(name).strip().casefold()
    if key == "valueandcode":
        raise FormatError(
            "valuePresentation ValueAndCode was withdrawn from the Statbank API in 2015; "
            "use CodeAndValue (code_and_text)"
        )
    try:
        return _LAYOUT_NAMES[key]
    except KeyError:
        accepted = "code, text, code_and_text (or Code, Value, Default, CodeAndValue)"
        raise FormatError(f"unknown value layout {name!r}; use one of {accepted}") from None


def parse_lang(lang: str) -> str:
    """`da` or `en`, in any letter case."""
    key = lang.strip().casefold()
    if key not in LANGUAGES:
        raise FormatError(f"unknown language {lang!r}; use 'da' or 'en'")
    return key


def in_lang(lang: str, text: str, text_en: str) -> str:
    """The English text when asked for and present, else the Danish one."""
    return text_en if lang == "en" and text_en else text


def code_text(code: Code, lang: str) -> str:
    return in_lang(lang, code.text, code.text_en)


def dimension_text(dim: CubeDimension, lang: str) -> str:
    return in_lang(lang, dim.text, dim.text_en)


def code_label(code: Code, layout: ValueLayout, lang: str) -> str:
    """A value as a cell shows it: the code, its text, or `"<code> <text>"` (one space)."""
    if layout is ValueLayout.CODE:
        return code.code
    if layout is ValueLayout.TEXT:
        return code_text(code, lang)
    return f"{code.code} {code_text(code, lang)}"


def cell_labels(cube: Cube, layout: ValueLayout, lang: str) -> list[dict[str, str]]:
    """For each dimension, code → how a cell shows it."""
    return [{c.code: code_label(c, layout, lang) for c in d.codes} for d in cube.dimensions]


# Dimensions that are geography in the published tables (Statbank's `map`, JSON-stat's
# `role.geo`); the cube does not say so itself.
GEO_DIMENSION_IDS = frozenset({"KOMMUNEDK", "LANDSDEL", "OMRÅDE", "REGION"})


def geo_dimension_ids(cube: Cube) -> list[str]:
    return [d.id for d in cube.dimensions if d.id.upper() in GEO_DIMENSION_IDS]


CONTENTS_ID = "ContentsCode"
"""The synthetic one-category dimension Statbank's JSON-stat carries for the table itself."""

_CONNECTORS = {"da": (" efter ", " og "), "en": (" by ", " and ")}
CONTENTS_TEXT = {"da": "Indhold", "en": "Indhold"}  # Statbank leaves it Danish in English too
SOURCE_TEXT = {"da": "Danmarks Statistik", "en": "Statistics Denmark"}
UNIT_TEXT_EN = {"Antal": "Number"}


def table_text(cube: Cube, lang: str) -> str:
    """The table's short text: its title without the ``efter ...`` (``by ...``) list."""
    title = in_lang(lang, cube.title, cube.title_en)
    english = lang == "en" and bool(cube.title_en)
    by = _CONNECTORS["en" if english else "da"][0]
    head, found, _ = title.partition(by)
    return head if found and head else title


def unit_text(cube: Cube, lang: str) -> str:
    return UNIT_TEXT_EN.get(cube.unit, cube.unit) if lang == "en" else cube.unit


def join_words(words: Iterable[str], lang: str) -> str:
    """``a, b og c`` (``a, b and c``)."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + _CONNECTORS[lang][1] + items[-1]


def with_contents(cube: Cube, lang: str) -> list[str]:
    """Dimension texts in order with ``Indhold`` just before time (at the end without time)."""
    texts = [dimension_text(d, lang) for d in cube.dimensions]
    at = next((i for i, d in enumerate(cube.dimensions) if d.time), len(texts))
    return [*texts[:at], CONTENTS_TEXT[lang], *texts[at:]]


def table_label(cube: Cube, lang: str, *, include_contents: bool = False) -> str:
    """``<table text> efter <dimension texts>``, rebuilt from the dimensions the cube has.

    The cube's title names every variable of the table; after elimination fewer are left, so
    the label is rebuilt as Statbank does rather than copied.
    """
    texts = (
        with_contents(cube, lang)
        if include_contents
        else [dimension_text(d, lang) for d in cube.dimensions]
    )
    if not texts:
        return table_text(cube, lang)
    return table_text(cube, lang) + _CONNECTORS[lang][0] + join_words(texts, lang)


def with_options(fmt: F, **options: object) -> F:
    """A copy of a dataclass format with some of its fields changed; unknown names raise."""
    if not dataclasses.is_dataclass(fmt) or isinstance(fmt, type):
        raise FormatError(f"the format {fmt!r} takes no options")
    fields = {f.name for f in dataclasses.fields(fmt)} - {"name", "media_type", "extension"}
    unknown = sorted(set(options) - fields)
    if unknown:
        accepted = ", ".join(sorted(fields)) or "none"
        raise FormatError(
            f"unknown option(s) {', '.join(unknown)} for this format; accepted: {accepted}"
        )
    return dataclasses.replace(fmt, **options)
