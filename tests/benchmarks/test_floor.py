"""`benchmarks/floor.py` (issue 15 item 1): the cheapest form of counting persons counts the
same persons as the tables' `COUNT(DISTINCT)`, and the floor's parts are all measured.
No timing is asserted here; the figures are in `benchmarks/README.md`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from benchmarks import floor, run
from handistat.register.genbrug import units_sql
from handistat.synth import generate


def _loans(rows: list[tuple[int, str, str, str | None]]) -> duckdb.DuckDBPyConnection:
    """`genbrug_udlaan` with the given (person, municipality, delivery day, end day) and the
    register's own loan-years view over it."""
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE genbrug_udlaan (indberetningskommune VARCHAR, kildesystem VARCHAR, "
        "udlaan_id VARCHAR, person_id BIGINT, statistikkommune VARCHAR, koen VARCHAR, "
        "foedselsdato DATE, iso_kode VARCHAR, paragraf_kode VARCHAR, "
        "udleveringsdato DATE, indleveringsdato DATE, slutdato DATE)"
    )
    con.executemany(
        "INSERT INTO genbrug_udlaan VALUES (?, 'A', ?, ?, ?, 'K', DATE '2010-01-01', "
        "'120303', '112', ?, ?, ?)",
        [
            [kommune, str(i), person, kommune, day, end, end]
            for i, (person, kommune, day, end) in enumerate(rows)
        ],
    )
    view = units_sql(run.YEARS)
    con.execute(f"CREATE VIEW {view.name} AS {view.sql}")
    return con


def test_persons_per_municipality_and_year_by_hand() -> None:
    con = _loans(
        [
            (1, "101", "2023-03-01", None),  # 2023, 2024, 2025
            (1, "101", "2024-05-01", "2024-06-01"),  # 2024 again: one person
            (2, "101", "2022-01-01", "2022-06-30"),  # ended before the period began
            (3, "101", "2022-01-01", "2022-07-01"),  # 2022, on its first day
            (1, "147", "2025-12-31", None),  # 2025, a second municipality
            (5, "147", "2023-06-01", "2024-02-01"),  # 2023, 2024
            (4, "147", "2026-01-01", None),  # after the last year
        ]
    )
    by_municipality = {
        ("101", 2022): 1,
        ("101", 2023): 1,
        ("101", 2024): 1,
        ("101", 2025): 1,
        ("147", 2023): 1,
        ("147", 2024): 1,
        ("147", 2025): 1,
    }
    per_year = {(None, 2022): 1, (None, 2023): 2, (None, 2024): 2, (None, 2025): 1}
    assert floor.mask_counts(con, "statistikkommune") == by_municipality
    assert floor.plain_counts(con, "kommune") == by_municipality
    assert floor.mask_counts(con, None) == per_year
    assert floor.plain_counts(con, None) == per_year


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
        "validate_rules",
        "raw_store",
        "person_join",
        "persist_kept_loans",
        "count_persons",
    }
    assert result["floor_cpu_seconds"] == pytest.approx(sum(parts.values()))
    assert result["floor_over_scan"] >= 1  # the floor reads the files at least once
    without_rules = result["floor_cpu_seconds"] - parts["validate_rules"]
    assert result["with_typed_read_for_rules_cpu_seconds"] == pytest.approx(
        without_rules + result["validate_as_typed_read"]
    )


def test_the_rules_are_checked_on_every_file(tmp_path: Path) -> None:
    """`rules_validation` runs the one-pass intake's query on each file: a file that query
    refuses (a row error) makes it fail, so the part cannot quietly measure an empty read."""
    world = tmp_path / "synth"
    generate("small", 1, world)
    files = run._files(world)
    assert floor.rules_validation(files, rounds=1) >= 0
    broken = tmp_path / files[0].name
    lines = files[0].read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(";")
    fields[0] = "999"  # not a municipality code
    broken.write_text("\n".join([lines[0], ";".join(fields), *lines[2:]]) + "\n", "utf-8")
    with pytest.raises(duckdb.Error, match="rækken har en fejl"):
        floor.rules_validation([broken], rounds=1)
