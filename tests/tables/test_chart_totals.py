"""A chart never draws a total next to its own parts (one bar would dwarf the rest)."""

from __future__ import annotations

from handistat.dissemination.chart import chart_data
from handistat.tables.cube import Code, Cube, CubeDimension


def _cube(codes: tuple[Code, ...]) -> Cube:
    sex = CubeDimension("KØN", "køn", codes, total_codes=("0",))
    year = CubeDimension("Tid", "tid", (Code("2025", "2025"),), time=True)
    values = {(c.code, "2025"): v for c, v in zip(codes, (30, 10, 20), strict=False)}
    return Cube("T", "t", "Antal", (sex, year), values)


def test_total_left_out_when_parts_are_shown() -> None:
    data = chart_data(_cube((Code("0", "I alt"), Code("D", "Drenge"), Code("P", "Piger"))))
    assert data is not None
    assert [(c, v) for c, _, v in data.rows] == [("Drenge", 10), ("Piger", 20)]


def test_total_alone_is_drawn() -> None:
    sex = CubeDimension("KØN", "køn", (Code("0", "I alt"),), total_codes=("0",))
    years = CubeDimension("Tid", "tid", (Code("2024", "2024"), Code("2025", "2025")), time=True)
    cube = Cube("T", "t", "Antal", (sex, years), {("0", "2024"): 5, ("0", "2025"): 7})
    data = chart_data(cube)
    assert data is not None
    assert [(c, v) for c, _, v in data.rows] == [("2024", 5), ("2025", 7)]
