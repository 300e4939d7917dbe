"""XLSX's first sheet in table layout, as Statistikbanken's downloads look (issue 12 item 7):
the title, the unit, then the row variables down the left and the periods across. A row
label is written only where it changes (grouped, as PxWeb shows it), panes are frozen at the
first figure and ``..`` marks a suppressed cell. The long sheet beside it is for machines.
"""

from __future__ import annotations

import itertools
from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from handistat.tables.cube import SUPPRESSED, Code, Cube, CubeDimension

from ._common import code_label, dimension_text, parse_value_layout, table_label, unit_text

TITLE_ROW = 1
UNIT_ROW = 2
HEADER_ROW = 3
FIRST_ROW = 4
_UNIT = {"da": "Enhed", "en": "Unit"}
_RIGHT = Alignment(horizontal="right")


def _split(cube: Cube) -> tuple[list[CubeDimension], CubeDimension | None]:
    head = next((d for d in cube.dimensions if d.time), None)
    return [d for d in cube.dimensions if d is not head], head


def _key(cube: Cube, chosen: dict[str, str]) -> tuple[str, ...]:
    return tuple(chosen[d.id] for d in cube.dimensions)


def write_table_sheet(sheet: Any, cube: Cube, lang: str, value_layout: str) -> int:
    """Fill `sheet`; returns the last row written."""
    layout = parse_value_layout(value_layout)
    stub, head = _split(cube)
    columns: tuple[Code, ...] = head.codes if head else (Code("", unit_text(cube, lang)),)
    sheet.cell(TITLE_ROW, 1, f"{cube.table_id.upper()}: {table_label(cube, lang)}").font = Font(
        bold=True, size=12
    )
    sheet.cell(UNIT_ROW, 1, f"{_UNIT[lang]}: {unit_text(cube, lang)}")
    for place, dim in enumerate(stub, start=1):
        sheet.cell(HEADER_ROW, place, dimension_text(dim, lang).capitalize()).font = Font(bold=True)
    for offset, code in enumerate(columns):
        text = code_label(code, layout, lang) if head else code.text
        cell = sheet.cell(HEADER_ROW, len(stub) + 1 + offset, text)
        cell.font = Font(bold=True)
        cell.alignment = _RIGHT
    row = HEADER_ROW
    previous: tuple[str, ...] = ()
    for row, combination in enumerate(itertools.product(*(d.codes for d in stub)), FIRST_ROW):
        codes = tuple(c.code for c in combination)
        for i, code in enumerate(combination):
            changed = codes[: i + 1] != previous[: i + 1]
            if changed or i == len(stub) - 1:
                sheet.cell(row, i + 1, code_label(code, layout, lang))
        previous = codes
        chosen = {d.id: c for d, c in zip(stub, codes, strict=True)}
        for offset, column in enumerate(columns):
            if head is not None:
                chosen[head.id] = column.code
            value = cube.values[_key(cube, chosen)]
            cell = sheet.cell(row, len(stub) + 1 + offset, SUPPRESSED if value is None else value)
            cell.alignment = _RIGHT
            cell.number_format = "#,##0"
    sheet.freeze_panes = sheet.cell(FIRST_ROW, len(stub) + 1)
    for place in range(1, len(stub) + 1):
        sheet.column_dimensions[get_column_letter(place)].width = 34
    return row
