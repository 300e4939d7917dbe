"""CSV as the Statbank API writes it, and as ``handistat table --format csv`` writes it.

UTF-8 with a BOM, `;`-separated, a header of the upper-cased variable ids followed by
``INDHOLD``, one row per cell in the cube's order (the last variable varies fastest) and ``..``
for a suppressed cell (statbank_api.md §5.6).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from handistat.tables.cube import SUPPRESSED, Cube

from ._common import (
    FormatError,
    ValueLayout,
    cell_labels,
    dimension_text,
    parse_lang,
    parse_value_layout,
)

VALUE_COLUMN = "INDHOLD"
BOM = "\ufeff"

# The Statbank API's `delimiter` values, and the characters themselves.
DELIMITERS = {"semicolon": ";", "tab": "\t", ";": ";", "\t": "\t"}
LINE_ENDS = ("\n", "\r\n")


def parse_delimiter(name: str) -> str:
    """`Semicolon` or `Tab` (any letter case), or the character itself."""
    try:
        return DELIMITERS[name if name in DELIMITERS else name.strip().casefold()]
    except KeyError:
        raise FormatError(f"unknown delimiter {name!r}; use Semicolon or Tab") from None


def format_value(value: int | None) -> str:
    """A count as Statbank writes it: digits only (no thousands separator), ``..`` if None."""
    return SUPPRESSED if value is None else str(value)


@dataclass(frozen=True)
class CsvFormat:
    """Statbank CSV; the options mirror the API's (`delimiter`, BOM, line ends, headers).

    ``code_override_in_column_names`` is the API's ``allowCodeOverrideInColumnNames``: with a
    text layout the header shows the variables' texts instead of their ids.
    """

    name: str = "CSV"
    media_type: str = "text/csv; charset=utf-8"
    extension: str = "csv"
    delimiter: str = ";"
    bom: bool = True
    line_end: str = "\n"
    code_override_in_column_names: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "delimiter", parse_delimiter(self.delimiter))
        if self.line_end not in LINE_ENDS:
            raise FormatError(f"line_end must be '\\n' or '\\r\\n', not {self.line_end!r}")

    def write(self, cube: Cube, *, lang: str = "da", value_layout: str = "code") -> bytes:
        return b"".join(self.stream(cube, lang=lang, value_layout=value_layout))

    def stream(
        self,
        cube: Cube,
        *,
        lang: str = "da",
        value_layout: str = "code",
        rows_per_chunk: int = 5000,
    ) -> Iterator[bytes]:
        """The same bytes as `write`, in chunks of rows (for a chunked HTTP response)."""
        lang = parse_lang(lang)
        layout = parse_value_layout(value_layout)
        labels = cell_labels(cube, layout, lang)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.line_end)
        buffer.write(BOM if self.bom else "")
        writer.writerow(self.header(cube, layout, lang))
        for n, (key, value) in enumerate(self.rows(cube), start=1):
            writer.writerow([*(labels[i][code] for i, code in enumerate(key)), format_value(value)])
            if n % rows_per_chunk == 0:
                yield _drain(buffer)
        yield _drain(buffer)

    def header(self, cube: Cube, layout: ValueLayout, lang: str) -> list[str]:
        if self.code_override_in_column_names and layout is ValueLayout.TEXT:
            names = [dimension_text(d, lang) for d in cube.dimensions]
        elif self.code_override_in_column_names and layout is ValueLayout.CODE_AND_TEXT:
            names = [f"{d.id.upper()} {dimension_text(d, lang)}" for d in cube.dimensions]
        else:
            names = [d.id.upper() for d in cube.dimensions]
        return [*names, VALUE_COLUMN]

    def rows(self, cube: Cube) -> Iterator[tuple[tuple[str, ...], int | None]]:
        """The cells to write: every cell, in the cube's order."""
        return cube.cells()


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


CSV = CsvFormat()
