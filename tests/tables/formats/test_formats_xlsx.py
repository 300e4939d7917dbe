"""XLSX: the table-layout sheet (issue 12 item 7) and the long ``Data`` sheet; openpyxl and
pandas read back the title, header, cells (``..`` as text) and notes."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pandas as pd
from formats_cubes import cubes, handbu04_like, two_by_two
from hypothesis import given, settings
from hypothesis import strategies as st

from handistat.tables.cube import Cube
from handistat.tables.formats import XLSX, render


def sheet_rows(data: bytes, sheet: str = "Data") -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert [s.title for s in book.worksheets][1:] == ["Data"]
    return list(book[sheet].iter_rows(values_only=True))


def test_first_sheet_in_table_layout() -> None:
    """Rows: the variables other than time, an outer label only where it changes; periods
    across; the unit above; source and notes below (as Statistikbanken's download)."""
    rows = sheet_rows(render(handbu04_like(), "xlsx"), "HANDBU04")
    assert rows[0][0] == (
        "HANDBU04: Handicapindsatser til børn og unge mellem 0-17 år efter indsats, køn og tid"
    )
    assert rows[1][0] == "Enhed: Antal"
    assert rows[2] == ("Indsats", "Køn", "2022", "2023")
    assert [r[:2] for r in rows[3:9]] == [
        ("Handicapindsatser i alt", "I alt"),
        (None, "Drenge"),
        (None, "Piger"),
        ("Særlige dagtilbud til børn (SEL § 32 / BL § 82.1)", "I alt"),
        (None, "Drenge"),
        (None, "Piger"),
    ]
    # Cells in key order are 0, 10, 20, ...: (100, I alt) holds 0 and 10.
    assert rows[3][2:] == (0, 10)
    assert rows[7][2:] == (80, "..") and rows[8][2:] == (100, "..")
    cube = handbu04_like()
    assert openpyxl.load_workbook(io.BytesIO(XLSX.write(cube))).worksheets[0].freeze_panes == "C4"


def test_two_by_two_sheet() -> None:
    rows = sheet_rows(render(two_by_two(), "xlsx"))
    assert rows[0][0] == (
        "HANDBU01: Handicapindsatser til børn og unge mellem 0-17 år efter kommune og tid"
    )
    assert rows[1] == ("kommune", "tid", "Antal")
    assert rows[2:6] == [
        ("Hele landet", "2022", 12345),
        ("Hele landet", "2023", ".."),
        ("København", "2022", 0),
        ("København", "2023", 7),
    ]
    notes = [r[0] for r in rows[6:] if r[0] is not None]
    assert notes == [
        "Kilde: Danmarks Statistik",
        "Kontakt: Danmarks Statistik, Sociale forhold, +45 39 17 39 17, dst@dst.dk",
        "Noter:",
        *two_by_two().notes,
    ]


def test_english_and_codes() -> None:
    rows = sheet_rows(render(two_by_two(), "XLSX", lang="en", value_layout="code"))
    assert rows[1] == ("municipality", "time", "Number")
    assert rows[2] == ("000", "2022", 12345)


def test_pandas_reads_the_cells() -> None:
    cube = handbu04_like()
    n = len(list(cube.keys()))
    frame = pd.read_excel(io.BytesIO(XLSX.write(cube)), sheet_name="Data", header=1, nrows=n)
    assert list(frame.columns) == ["indsats", "køn", "tid", "Antal"]
    assert frame["Antal"].tolist() == [".." if v is None else v for _, v in cube.cells()]


def test_same_cube_same_bytes() -> None:
    """No clock in the file, so a published table's bytes (and ETag) never change."""
    published = datetime(2026, 3, 1, 8, tzinfo=UTC)
    first = render(handbu04_like(), "xlsx", updated=published)
    assert render(handbu04_like(), "xlsx", updated=published) == first
    assert XLSX.write(two_by_two()) == XLSX.write(two_by_two())
    book = openpyxl.load_workbook(io.BytesIO(first))
    assert book.properties.modified == datetime(2026, 3, 1, 8)


@settings(max_examples=30, deadline=None)
@given(cube=cubes(), layout=st.sampled_from(["code", "text"]))
def test_round_trip(cube: Cube, layout: str) -> None:
    rows = sheet_rows(render(cube, "xlsx", value_layout=layout))
    cells = rows[2 : 2 + len(list(cube.keys()))]
    lookup = [
        {(c.code if layout == "code" else c.text): c.code for c in d.codes} for d in cube.dimensions
    ]
    got = [
        (
            tuple(lookup[i][str(v)] for i, v in enumerate(row[:-1])),
            None if row[-1] == ".." else row[-1],
        )
        for row in cells
    ]
    assert got == list(cube.cells())
    assert rows[1] == (*(d.text for d in cube.dimensions), "Antal")
