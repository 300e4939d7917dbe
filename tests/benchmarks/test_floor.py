"""`benchmarks/floor.py` (issue 15 item 1): the cheapest form of counting persons counts the
same persons as the tables' `COUNT(DISTINCT)`, and the floor's parts are all measured.
No timing is asserted here; the figures are in `benchmarks/README.md`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from benchmarks import floor, run
from handistat.synth import generate


def _loan_years(rows: list[tuple[int, str, int]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE genbrug_enheder (aar INTEGER, kommune VARCHAR, person_id BIGINT, "
        "iso1 VARCHAR, iso2 VARCHAR, paragraf VARCHAR)"
    )
    con.executemany(
        "INSERT INTO genbrug_enheder VALUES (?, ?, ?, 'x', 'y', 'z')", [list(r) for r in rows]
    )
    return con


def test_persons_per_year_and_cell_by_hand() -> None:
    # 2023, 101: person 1 (two loans) and 2 -> 2 persons; 2023, 147: person 1 -> 1;
    # 2024, 101: person 3101010101 (a ten-digit CPR as an integer) -> 1; 2021 is outside.
    con = _loan_years(
        [
            (2023, "101", 1),
            (2023, "101", 1),
            (2023, "101", 2),
            (2023, "147", 1),
            (2024, "101", 3101010101),
            (2021, "147", 5),
        ]
    )
    codes = {"101": 1, "147": 2}  # `k`: the codes in order, from 1
    expected = {2023 * 10000 + codes["101"]: 2, 2023 * 10000 + codes["147"]: 1}
    expected[2024 * 10000 + codes["101"]] = 1
    assert dict(con.execute(floor.packed_counts_sql("kommune")).fetchall()) == expected
    assert dict(con.execute(floor.plain_counts_sql("kommune")).fetchall()) == expected
    assert dict(con.execute(floor.PER_YEAR_SQL).fetchall()) == {2023: 2, 2024: 1}


def test_the_floor_of_the_small_world(tmp_path: Path) -> None:
    world = tmp_path / "synth"
    generate("small", 1, world)
    for stage in ("population", "intake", "process"):
        run.STAGES[stage](world, tmp_path, False)
    result = floor.measure(world, tmp_path / "data", rounds=1)
    assert result["counts_same_as_count_distinct"] is True
    assert result["kept_loans"] > 0
    parts = result["parts_cpu_seconds"]
    assert set(parts) == {
        "read",
        "validate_as_typed_read",
        "raw_store",
        "person_join",
        "persist_kept_loans",
        "count_persons",
    }
    assert result["floor_cpu_seconds"] == pytest.approx(sum(parts.values()))
    assert result["floor_over_scan"] >= 1  # the floor reads the files at least once
