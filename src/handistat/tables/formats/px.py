"""PX (PC-Axis): the time variable in HEADING, the others in STUB, ``..`` for suppressed cells.

Written in Windows-1252 with ``CHARSET="ANSI"`` as Statbank does (statbank_api.md §5.5), which
holds æ, ø and å; a table with a text Windows-1252 cannot hold is written in UTF-8 and says so in
``CODEPAGE`` instead of losing characters. Each variable carries VALUES (texts), CODES and
Statbank's ``VARIABLECODE`` (its id); the time variable also carries TIMEVAL.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from handistat.publisher import DEFAULT_PUBLISHER, Publisher
from handistat.tables.cube import SUPPRESSED, Cube, CubeDimension

from ._common import (
    FormatError,
    code_text,
    dimension_text,
    parse_lang,
    parse_value_layout,
    table_label,
    table_text,
    unit_text,
)

LINE_END = "\r\n"
# PC-Axis lines stay under 256 characters: lists break after a comma once a line holds about
# 200 characters of values (leaving room for the keyword), long texts go into 200-character parts.
_LIST_LINE = 200
_TEXT_PART = 200

# Statbank time codes → PX time scale and TIMEVAL form (CCYY, CCYYQ, CCYYMM, ...).
_TIME_SCALES = (
    (re.compile(r"^(\d{4})$"), "A1"),
    (re.compile(r"^(\d{4})H([12])$"), "H1"),
    (re.compile(r"^(\d{4})K([1-4])$"), "Q1"),
    (re.compile(r"^(\d{4})M(\d{2})$"), "M1"),
    (re.compile(r"^(\d{4})U(\d{2})$"), "W1"),
)


def quote(text: str) -> str:
    """A PX string: PX has no escape for ``"`` so it becomes ``'``; line breaks become spaces."""
    clean = text.replace('"', "'").replace("\r", " ").replace("\n", " ")
    return f'"{clean}"'


def text_value(text: str) -> str:
    """A long text as several quoted parts on their own lines (readers join them)."""
    parts = [text[i : i + _TEXT_PART] for i in range(0, len(text), _TEXT_PART)] or [""]
    return LINE_END.join(quote(part) for part in parts)


def list_value(items: Sequence[str]) -> str:
    """Quoted items separated by commas, a line break after a comma where a line gets long."""
    lines: list[str] = []
    line = ""
    for item in (quote(i) for i in items):
        if line and len(line) + len(item) + 1 > _LIST_LINE:
            lines.append(line)
            line = ""
        line += ("," if line else "") + item
    lines.append(line)
    return ("," + LINE_END).join(lines)


def time_values(dim: CubeDimension) -> tuple[str, list[str]] | None:
    """TIMEVAL's scale and values, or None when the codes are not all of one Statbank form."""
    for pattern, scale in _TIME_SCALES:
        matches = [pattern.match(code) for code in dim.code_ids()]
        if all(matches):
            return scale, ["".join(m.groups()) for m in matches if m]
    return None


def keyword(name: str, value: str, variable: str | None = None) -> str:
    target = "" if variable is None else f"({quote(variable)})"
    return f"{name}{target}={value};"


@dataclass(frozen=True)
class PxFormat:
    """PC-Axis; the subject and the update time are not in the cube, so they are options."""

    name: str = "PX"
    media_type: str = "application/x-pcaxis"
    extension: str = "px"
    encoding: str = "windows-1252"
    subject_code: str = ""
    publisher: Publisher = DEFAULT_PUBLISHER
    subject_area: str = ""
    updated: datetime | None = None

    def write(self, cube: Cube, *, lang: str = "da", value_layout: str = "code") -> bytes:
        """Texts and codes are both in PX, so `value_layout` changes nothing."""
        lang = parse_lang(lang)
        parse_value_layout(value_layout)
        if not cube.dimensions:
            raise FormatError("a PX file needs at least one variable; the cube has none")
        names = [dimension_text(d, lang) for d in cube.dimensions]
        if len(set(names)) != len(names):
            raise FormatError(f"PX names variables by their texts, which repeat: {names}")
        try:
            return self.document(cube, lang, self.encoding).encode(self.encoding)
        except UnicodeEncodeError:
            return self.document(cube, lang, "utf-8").encode("utf-8")

    def document(self, cube: Cube, lang: str, codepage: str) -> str:
        lines = [*self.header(cube, lang, codepage), *variables(cube, lang)]
        lines += self.footer(cube, lang)
        lines += ["DATA=", *data_lines(cube)]
        return LINE_END.join(lines) + ";" + LINE_END

    def header(self, cube: Cube, lang: str, codepage: str) -> list[str]:
        stub, heading = stub_and_heading(cube)
        ansi = codepage.casefold().replace("-", "") != "utf8"
        lines = ['CHARSET="ANSI";'] if ansi else []
        lines += [
            keyword("AXIS-VERSION", quote("2013")),
            keyword("CODEPAGE", quote(codepage)),
            keyword("LANGUAGE", quote(lang)),
            keyword("DECIMALS", "0"),
            keyword("SHOWDECIMALS", "0"),
            keyword("MATRIX", quote(cube.table_id.upper())),
            keyword("SUBJECT-CODE", quote(self.subject_code or cube.table_id.upper())),
            keyword("SUBJECT-AREA", text_value(self.subject_area or table_text(cube, lang))),
            keyword("TITLE", text_value(table_label(cube, lang))),
            keyword("CONTENTS", text_value(table_text(cube, lang))),
            keyword("UNITS", quote(unit_text(cube, lang))),
        ]
        if stub:
            lines.append(keyword("STUB", list_value([dimension_text(d, lang) for d in stub])))
        lines.append(keyword("HEADING", list_value([dimension_text(d, lang) for d in heading])))
        return lines

    def footer(self, cube: Cube, lang: str) -> list[str]:
        lines = []
        if self.updated is not None:
            stamp = self.updated.astimezone(UTC) if self.updated.tzinfo else self.updated
            lines.append(keyword("LAST-UPDATED", quote(stamp.strftime("%Y%m%d %H:%M"))))
        lines += [
            keyword("SOURCE", quote(self.publisher.source(lang))),
            keyword("CONTACT", quote(self.publisher.contact_line())),
        ]
        if cube.notes:
            # One NOTE: PX readers keep the last of several; `#` is PX's line break in notes.
            lines.append(keyword("NOTE", text_value("#".join(cube.notes))))
        return lines


def stub_and_heading(cube: Cube) -> tuple[list[CubeDimension], list[CubeDimension]]:
    """Time in HEADING and the rest in STUB; without time, the last variable is the HEADING."""
    dims = list(cube.dimensions)
    heading = [d for d in dims if d.time] or dims[-1:]
    heading_ids = {d.id for d in heading}
    return [d for d in dims if d.id not in heading_ids], heading


def variables(cube: Cube, lang: str) -> Iterator[str]:
    for dim in cube.dimensions:
        name = dimension_text(dim, lang)
        yield keyword("VALUES", list_value([code_text(c, lang) for c in dim.codes]), name)
        timeval = time_values(dim) if dim.time else None
        if timeval is not None:
            scale, stamps = timeval
            yield keyword("TIMEVAL", f"TLIST({scale})," + list_value(stamps), name)
        yield keyword("CODES", list_value(list(dim.code_ids())), name)
        yield keyword("VARIABLECODE", quote(dim.id), name)


def data_lines(cube: Cube) -> Iterator[str]:
    """One line per STUB combination, the HEADING's cells on it, separated by spaces."""
    stub, heading = stub_and_heading(cube)
    position = {d.id: i for i, d in enumerate(cube.dimensions)}
    width = math.prod(len(d.codes) for d in heading)
    order = [position[d.id] for d in (*stub, *heading)]
    cells = []
    for combination in itertools.product(*(cube.dimensions[i].code_ids() for i in order)):
        key = [""] * len(order)
        for i, code in zip(order, combination, strict=True):
            key[i] = code
        value = cube.values[tuple(key)]
        cells.append(f'"{SUPPRESSED}"' if value is None else str(value))
        if len(cells) == width:
            yield " ".join(cells) + " "
            cells = []


PX = PxFormat()
