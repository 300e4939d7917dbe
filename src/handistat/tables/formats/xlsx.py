"""XLSX: the table layout users know from Statistikbanken on the first sheet
(`xlsx_table`), and the same figures in long format on a second sheet named ``Data``.

The long sheet reads back into a data frame: row 1 the title, row 2 the header (variable
texts, then the unit), then one row per cell with the values' texts and the count, ``..`` as
text for a suppressed cell, then an empty row and the notes. Both sheets end with the source
and the notes. The bytes do not depend on the clock.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from handistat.publisher import DEFAULT_PUBLISHER, Publisher
from handistat.tables.cube import SUPPRESSED, Cube
from handistat.tables.formats.xlsx_table import write_table_sheet

from ._common import (
    cell_labels,
    dimension_text,
    parse_lang,
    parse_value_layout,
    table_label,
    unit_text,
)

LONG_SHEET = "Data"
"""The long-format sheet (one row per cell), for machines."""
TITLE_ROW = 1
HEADER_ROW = 2
FIRST_CELL_ROW = 3
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_UNKNOWN_TIME = datetime(*_ZIP_TIME)  # without `updated`: a fixed time, not the clock
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_NOTES_HEADING = {"da": "Noter", "en": "Notes"}
_SOURCE_HEADING = {"da": "Kilde", "en": "Source"}
_CONTACT_HEADING = {"da": "Kontakt", "en": "Contact"}


@dataclass(frozen=True)
class XlsxFormat:
    name: str = "XLSX"
    media_type: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension: str = "xlsx"
    updated: datetime | None = None
    publisher: Publisher = DEFAULT_PUBLISHER

    def write(self, cube: Cube, *, lang: str = "da", value_layout: str = "text") -> bytes:
        """Texts by default (a sheet is for reading); `code` and `code_and_text` also work."""
        lang = parse_lang(lang)
        labels = cell_labels(cube, parse_value_layout(value_layout), lang)
        book = Workbook()
        table = book.active
        table.title = cube.table_id.upper().translate(_SHEET_NAME_FORBIDDEN)[:31] or "Tabel"
        last = write_table_sheet(table, cube, lang, value_layout)
        self.write_notes(table, cube, lang, last + 2)
        sheet = book.create_sheet(LONG_SHEET)
        sheet.cell(TITLE_ROW, 1, f"{cube.table_id.upper()}: {table_label(cube, lang)}")
        sheet.cell(TITLE_ROW, 1).font = Font(bold=True)
        header = [dimension_text(d, lang) for d in cube.dimensions] + [unit_text(cube, lang)]
        for column, text in enumerate(header, start=1):
            sheet.cell(HEADER_ROW, column, text).font = Font(bold=True)
        row = FIRST_CELL_ROW
        for row, (key, value) in enumerate(cube.cells(), start=FIRST_CELL_ROW):
            for column, code in enumerate(key, start=1):
                sheet.cell(row, column, labels[column - 1][code])
            sheet.cell(row, len(key) + 1, SUPPRESSED if value is None else value)
        self.write_notes(sheet, cube, lang, row + 2)
        book.properties.creator = self.publisher.name
        stamp = _naive_utc(self.updated) if self.updated is not None else _UNKNOWN_TIME
        book.properties.created = stamp
        book.properties.modified = stamp
        return _save(book)

    def write_notes(self, sheet: Any, cube: Cube, lang: str, row: int) -> None:
        publisher = self.publisher
        lines = [f"{_SOURCE_HEADING[lang]}: {publisher.source(lang)}"]
        lines.append(f"{_CONTACT_HEADING[lang]}: {publisher.contact_line()}")
        if cube.notes:
            lines += [f"{_NOTES_HEADING[lang]}:", *cube.notes]
        for offset, line in enumerate(lines):
            sheet.cell(row + offset, 1, line)


def _naive_utc(moment: datetime) -> datetime:
    """openpyxl writes document times as naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _save(book: Workbook) -> bytes:
    """The workbook's bytes with fixed zip times (openpyxl's `save` stamps the clock)."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


XLSX = XlsxFormat()
