"""Parquet: string dimension columns, nullable INDHOLD, STATUS, and the table's codebook."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from formats_cubes import cubes, handbu04_like, two_by_two
from hypothesis import given, settings

from handistat.tables.cube import Cube
from handistat.tables.formats import render


def read(data: bytes) -> pa.Table:
    return pq.read_table(io.BytesIO(data))


def test_two_by_two_columns_and_types() -> None:
    table = read(render(two_by_two(), "parquet"))
    assert table.column_names == ["KOMMUNEDK", "Tid", "INDHOLD", "STATUS"]
    assert table.schema.field("KOMMUNEDK").type == pa.string()
    assert table.schema.field("INDHOLD").type == pa.int64()
    assert table.to_pylist() == [
        {"KOMMUNEDK": "000", "Tid": "2022", "INDHOLD": 12345, "STATUS": None},
        {"KOMMUNEDK": "000", "Tid": "2023", "INDHOLD": None, "STATUS": ".."},
        {"KOMMUNEDK": "101", "Tid": "2022", "INDHOLD": 0, "STATUS": None},
        {"KOMMUNEDK": "101", "Tid": "2023", "INDHOLD": 7, "STATUS": None},
    ]


def test_codebook_in_the_schema_metadata() -> None:
    table = read(render(handbu04_like(), "PARQUET"))
    codebook = json.loads(table.schema.metadata[b"handistat"])
    assert codebook["table_id"] == "HANDBU04"
    assert codebook["unit"] == "Antal"
    assert codebook["dimensions"][1]["codes"] == {"0": "I alt", "D": "Drenge", "P": "Piger"}
    assert codebook["notes"] == list(handbu04_like().notes)


def test_duckdb_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_bytes(render(handbu04_like(), "parquet"))
    total = duckdb.sql(f"select sum(INDHOLD), count(STATUS) from '{path}'").fetchall()[0]
    values = [v for _, v in handbu04_like().cells()]
    assert total == (sum(v for v in values if v is not None), values.count(None))


@settings(max_examples=40, deadline=None)
@given(cube=cubes())
def test_round_trip(cube: Cube) -> None:
    rows = read(render(cube, "parquet")).to_pylist()
    got = [(tuple(row[d.id] for d in cube.dimensions), row["INDHOLD"]) for row in rows]
    assert got == list(cube.cells())
    assert [row["STATUS"] for row in rows] == [".." if v is None else None for _, v in cube.cells()]
