"""SDMX-CSV 1.0: DATAFLOW, dimensions, TIME_PERIOD, OBS_VALUE, OBS_STATUS/CONF_STATUS."""

from __future__ import annotations

import csv
import io

import pandas as pd
from formats_cubes import cubes, handbu04_like, two_by_two
from hypothesis import given, settings

from handistat.tables.cube import Code, Cube, CubeDimension
from handistat.tables.formats import render
from handistat.tables.formats.sdmx_csv import sdmx_id, sdmx_period


def test_two_by_two_known_answer() -> None:
    assert render(two_by_two(), "sdmxcsv") == (
        b"DATAFLOW,KOMMUNEDK,TIME_PERIOD,OBS_VALUE,OBS_STATUS,CONF_STATUS\r\n"
        b"HANDISTAT:HANDBU01(1.0),000,2022,12345,A,F\r\n"
        b"HANDISTAT:HANDBU01(1.0),000,2023,,Q,C\r\n"
        b"HANDISTAT:HANDBU01(1.0),101,2022,0,A,F\r\n"
        b"HANDISTAT:HANDBU01(1.0),101,2023,7,A,F\r\n"
    )


def test_labels_both_with_texts() -> None:
    text = render(handbu04_like(), "SDMXCSV", value_layout="text").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["DATAFLOW", "INDSATSER:indsats", "KOEN:køn", "TIME_PERIOD"]
    assert rows[1][:4] == [
        "HANDISTAT:HANDBU04(1.0): Handicapindsatser til børn og unge mellem 0-17 år",
        "100: Handicapindsatser i alt",
        "0: I alt",
        "2022",
    ]


def test_ids_and_periods_follow_sdmx() -> None:
    assert sdmx_id("KØN") == "KOEN"
    assert sdmx_id("OMRÅDE") == "OMRAADE"
    assert sdmx_id("Tid x") == "TID_X"
    assert [sdmx_period(c) for c in ("2024", "2024K1", "2024M01", "2024H2", "2024U05")] == [
        "2024",
        "2024-Q1",
        "2024-01",
        "2024-S2",
        "2024-W05",
    ]


def test_quarter_codes_become_periods() -> None:
    tid = CubeDimension("Tid", "tid", (Code("2024K1", "2024K1"),), time=True)
    data = render(Cube("T1", "T", "Antal", (tid,), {("2024K1",): 4}), "sdmxcsv")
    assert data.splitlines()[1] == b"HANDISTAT:T1(1.0),2024-Q1,4,A,F"


@settings(max_examples=40, deadline=None)
@given(cube=cubes())
def test_round_trip(cube: Cube) -> None:
    frame = pd.read_csv(io.BytesIO(render(cube, "sdmxcsv")), dtype=str, keep_default_na=False)
    columns = ["TIME_PERIOD" if d.time else sdmx_id(d.id) for d in cube.dimensions]
    assert list(frame.columns) == ["DATAFLOW", *columns, "OBS_VALUE", "OBS_STATUS", "CONF_STATUS"]
    assert set(frame["DATAFLOW"]) == {f"HANDISTAT:{cube.table_id}(1.0)"}
    got = [
        (tuple(row[c] for c in columns), None if row["OBS_VALUE"] == "" else int(row["OBS_VALUE"]))
        for _, row in frame.iterrows()
    ]
    assert got == list(cube.cells())
    suppressed = frame["OBS_VALUE"] == ""
    assert set(frame.loc[suppressed, "OBS_STATUS"]) <= {"Q"}
    assert set(frame.loc[suppressed, "CONF_STATUS"]) <= {"C"}
    assert set(frame.loc[~suppressed, "OBS_STATUS"]) <= {"A"}
