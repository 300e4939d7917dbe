"""CSV and BULK: the CLI's CSV byte for byte, the Statbank API's options, round trips."""

from __future__ import annotations

import csv
import io
import itertools

import pandas as pd
import pytest
from formats_cubes import cubes, handbu04_like, two_by_two
from hypothesis import given, settings
from hypothesis import strategies as st

from handistat.tables.cube import Code, Cube, CubeDimension
from handistat.tables.formats import BULK, CSV, render
from handistat.tables.formats.statbank_csv import CsvFormat


def read_back(data: bytes, delimiter: str = ";") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_two_by_two_known_answer() -> None:
    lines = [
        "\ufeffKOMMUNEDK;TID;INDHOLD\n",
        "000;2022;12345\n",
        "000;2023;..\n",
        "101;2022;0\n",
        "101;2023;7\n",
    ]
    expected = "".join(lines).encode("utf-8")
    assert expected.startswith(b"\xef\xbb\xbfKOMMUNEDK;")
    assert render(two_by_two(), "csv") == expected
    assert CSV.write(two_by_two()) == expected


def test_text_layout_shows_texts_in_the_language_asked_for() -> None:
    da = render(two_by_two(), "CSV", value_layout="text").decode("utf-8-sig")
    assert da.splitlines()[1] == "Hele landet;2022;12345"
    en = render(two_by_two(), "CSV", value_layout="Value", lang="en").decode("utf-8-sig")
    assert en.splitlines()[0] == "KOMMUNEDK;TID;INDHOLD"  # the header never changes
    assert en.splitlines()[3] == "Copenhagen;2022;0"


def test_statbank_default_presentation_is_text() -> None:
    default = render(two_by_two(), "csv", value_layout="Default")
    assert default == render(two_by_two(), "csv", value_layout="text")


def test_code_and_value_is_code_space_text() -> None:
    lines = render(two_by_two(), "csv", value_layout="CodeAndValue").decode("utf-8-sig")
    assert lines.splitlines()[3] == "101 København;2022 2022;0"


def test_statbank_api_options_tab_crlf_no_bom() -> None:
    data = render(two_by_two(), "CSV", delimiter="Tab", line_end="\r\n", bom=False)
    assert data == b"KOMMUNEDK\tTID\tINDHOLD\r\n000\t2022\t12345\r\n000\t2023\t..\r\n" + (
        b"101\t2022\t0\r\n101\t2023\t7\r\n"
    )


def test_code_override_in_column_names_shows_variable_texts() -> None:
    data = render(two_by_two(), "csv", value_layout="text", code_override_in_column_names=True)
    assert data.decode("utf-8-sig").splitlines()[0] == "kommune;tid;INDHOLD"


def test_danish_upper_case_ids_and_texts_with_delimiters_are_quoted() -> None:
    dim = CubeDimension("KØN", "køn", (Code("0", 'I alt; "både" drenge og piger'),))
    cube = Cube("T1", "T", "Antal", (dim,), {("0",): 5})
    data = render(cube, "csv", value_layout="text")
    assert read_back(data) == [["KØN", "INDHOLD"], ['I alt; "både" drenge og piger', "5"]]


def test_cube_without_variables_is_one_value() -> None:
    cube = Cube("T1", "T", "Antal", (), {(): 42})
    assert render(cube, "csv") == "\ufeffINDHOLD\n42\n".encode()


def test_bad_options_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="delimiter"):
        render(two_by_two(), "csv", delimiter="Comma")
    with pytest.raises(ValueError, match="ValueAndCode was withdrawn"):
        render(two_by_two(), "csv", value_layout="ValueAndCode")
    with pytest.raises(ValueError, match="language"):
        render(two_by_two(), "csv", lang="de")


@settings(max_examples=60, deadline=None)
@given(cube=cubes(), layout=st.sampled_from(["code", "text", "code_and_text"]))
def test_round_trip_gives_the_same_cells(cube: Cube, layout: str) -> None:
    rows = read_back(render(cube, "csv", value_layout=layout))
    assert rows[0] == [d.id.upper() for d in cube.dimensions] + ["INDHOLD"]
    shown = {
        "code": lambda c: c.code,
        "text": lambda c: c.text,
        "code_and_text": lambda c: f"{c.code} {c.text}",
    }[layout]
    expected = [
        [*(shown(code) for code in codes), ".." if (v := cube.values[key]) is None else str(v)]
        for codes, key in zip(
            itertools.product(*(d.codes for d in cube.dimensions)), cube.keys(), strict=True
        )
    ]
    assert rows[1:] == expected


@settings(max_examples=30, deadline=None)
@given(cube=cubes())
def test_pandas_reads_the_codes_and_counts(cube: Cube) -> None:
    """As dstapi and danstat read it: `;`, the BOM handled, ``..`` left as text."""
    frame = pd.read_csv(io.BytesIO(render(cube, "csv")), sep=";", dtype=str, keep_default_na=False)
    assert list(frame.columns) == [d.id.upper() for d in cube.dimensions] + ["INDHOLD"]
    got = [(tuple(row[:-1]), row[-1]) for row in frame.itertuples(index=False)]
    assert got == [(k, ".." if v is None else str(v)) for k, v in cube.cells()]


def test_stream_chunks_join_to_write() -> None:
    cube = handbu04_like()
    chunks = list(CSV.stream(cube, rows_per_chunk=5))
    assert len(chunks) > 2
    assert b"".join(chunks) == CSV.write(cube)


def test_bulk_is_csv_layout_and_can_leave_out_zeros() -> None:
    cube = two_by_two()
    assert BULK.write(cube) == CSV.write(cube)
    assert BULK.media_type.startswith("text/csv")
    sparse = render(cube, "bulk", omit_zeros=True).decode("utf-8-sig").splitlines()
    assert sparse == ["KOMMUNEDK;TID;INDHOLD", "000;2022;12345", "000;2023;..", "101;2023;7"]


def test_csv_format_rejects_other_line_ends() -> None:
    with pytest.raises(ValueError, match="line_end"):
        CsvFormat(line_end="\r")
