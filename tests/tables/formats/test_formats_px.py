"""PX: pyaxis reads back the same values, codes and Danish texts; the keywords are in place."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import Any

import pytest
from formats_cubes import TID, cubes, handbu04_like, two_by_two
from hypothesis import HealthCheck, assume, given, settings
from pyaxis import pyaxis

from handistat.tables.cube import Code, Cube, CubeDimension
from handistat.tables.formats import PX, render
from handistat.tables.formats.px import stub_and_heading


def codepage(data: bytes) -> str:
    """What a PX reader does first: find the declared code page."""
    found = re.search(rb'CODEPAGE="([^"]+)"', data)
    assert found is not None
    return found.group(1).decode("ascii")


def parse(data: bytes, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "table.px"
    path.write_bytes(data)
    return pyaxis.parse(str(path), encoding=codepage(data))  # type: ignore[no-any-return]


def px_order_values(cube: Cube) -> list[int | None]:
    stub, heading = stub_and_heading(cube)
    position = {d.id: i for i, d in enumerate(cube.dimensions)}
    order = [position[d.id] for d in (*stub, *heading)]
    values = []
    for combination in itertools.product(*(cube.dimensions[i].code_ids() for i in order)):
        key = [""] * len(order)
        for i, code in zip(order, combination, strict=True):
            key[i] = code
        values.append(cube.values[tuple(key)])
    return values


def as_count(cell: object) -> int | None:
    if isinstance(cell, float) and math.isnan(cell):
        return None
    return int(str(cell))


def check_round_trip(cube: Cube, data: bytes, tmp_path: Path) -> None:
    parsed = parse(data, tmp_path)
    meta, frame = parsed["METADATA"], parsed["DATA"]
    stub, heading = stub_and_heading(cube)
    assert meta.get("STUB", []) == [d.text for d in stub]
    assert meta["HEADING"] == [d.text for d in heading]
    for dim in cube.dimensions:
        assert meta[f"VALUES({dim.text})"] == [c.text for c in dim.codes]
        assert meta[f"CODES({dim.text})"] == list(dim.code_ids())
        assert meta[f"VARIABLECODE({dim.text})"] == [dim.id]
    assert list(frame.columns) == [d.text for d in (*stub, *heading)] + ["DATA"]
    assert [as_count(v) for v in frame["DATA"]] == px_order_values(cube)


def test_two_by_two_reads_back(tmp_path: Path) -> None:
    data = render(two_by_two(), "px")
    check_round_trip(two_by_two(), data, tmp_path)


def test_keywords_of_a_statbank_px_file(tmp_path: Path) -> None:
    data = PX.write(handbu04_like())
    text = data.decode("windows-1252")
    assert text.startswith('CHARSET="ANSI";\r\n')
    for line in (
        'CODEPAGE="windows-1252";',
        "DECIMALS=0;",
        'MATRIX="HANDBU04";',
        'CONTENTS="Handicapindsatser til børn og unge mellem 0-17 år";',
        'TITLE="Handicapindsatser til børn og unge mellem 0-17 år efter indsats, køn og tid";',
        'UNITS="Antal";',
        'STUB="indsats","køn";',
        'HEADING="tid";',
        'TIMEVAL("tid")=TLIST(A1),"2022","2023";',
        'VARIABLECODE("køn")="KØN";',
        "NOTE=\"Særlige dagtilbud: ændret lov i 2024.#Tal under 3 vises som '..'.\";",
    ):
        assert line in text.splitlines(), line
    assert text.endswith(
        'DATA=\r\n0 10 \r\n20 30 \r\n40 50 \r\n60 70 \r\n80 ".." \r\n100 ".." ;\r\n'
    )
    meta = parse(data, tmp_path)["METADATA"]
    assert meta["CONTENTS"] == ["Handicapindsatser til børn og unge mellem 0-17 år"]
    assert meta["DECIMALS"] == "0"


def test_english_texts(tmp_path: Path) -> None:
    data = render(two_by_two(), "PX", lang="en")
    meta = parse(data, tmp_path)["METADATA"]
    assert meta["LANGUAGE"] == ["en"]
    assert meta["VALUES(municipality)"] == ["All Denmark", "Copenhagen"]
    assert meta["CODES(municipality)"] == ["000", "101"]


def test_text_outside_windows_1252_switches_to_utf8(tmp_path: Path) -> None:
    dim = CubeDimension("ALDER", "alder", (Code("IALT", "Alder i alt ≥ 0"), Code("999", "Uoplyst")))
    cube = Cube(
        "HANDBU02",
        "Børn",
        "Antal",
        (dim, TID),
        {k: 1 for k in itertools.product(dim.code_ids(), TID.code_ids())},
    )
    data = render(cube, "px")
    assert codepage(data) == "utf-8"
    assert not data.startswith(b'CHARSET="ANSI"')
    check_round_trip(cube, data, tmp_path)


def test_quarters_get_a_q1_timeval() -> None:
    tid = CubeDimension("Tid", "tid", (Code("2024K1", "2024K1"), Code("2024K2", "2024K2")), True)
    cube = Cube("T1", "T", "Antal", (tid,), {("2024K1",): 1, ("2024K2",): 2})
    assert 'TIMEVAL("tid")=TLIST(Q1),"20241","20242";' in PX.write(cube).decode("cp1252")


def test_long_lists_break_after_a_comma(tmp_path: Path) -> None:
    codes = tuple(Code(f"{i:03d}", f"Kommune nummer {i} med et langt navn") for i in range(40))
    dim = CubeDimension("KOMMUNEDK", "kommune", codes)
    cube = Cube(
        "HJALP1",
        "Udlån",
        "Antal",
        (dim, TID),
        dict.fromkeys(itertools.product(dim.code_ids(), TID.code_ids()), 3),
    )
    data = PX.write(cube)
    assert max(len(line) for line in data.split(b"\r\n")) <= 256
    check_round_trip(cube, data, tmp_path)


def test_no_variables_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one variable"):
        PX.write(Cube("T1", "T", "Antal", (), {(): 1}))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cube=cubes())
def test_round_trip_through_pyaxis(cube: Cube, tmp_path: Path) -> None:
    # pyaxis finds `VALUES("<variable>")` with a pattern that stops at a parenthesis, so a
    # variable text with "(" or ")" cannot be read back by pyaxis (the file itself is valid PX)
    assume(not any(c in d.text for d in cube.dimensions for c in "()"))
    check_round_trip(cube, render(cube, "px"), tmp_path)
