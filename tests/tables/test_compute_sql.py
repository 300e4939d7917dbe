"""The table query after issue 15: grouped leaves, COUNT(*) for units unique per year,
distinct rows first when only distinct counts are shown. Hand-counted answers (R-TAB-1)."""

from __future__ import annotations

import duckdb

from handistat.tables.compute import assemble, table_sql
from handistat.tables.spec import ENHEDER, PERSONER, DimCode, Dimension, TableSpec

PLACE = Dimension(
    "STED",
    "sted",
    (
        DimCode("0", "I alt", total=True),
        DimCode("A", "a"),
        DimCode("B", "b"),
        DimCode("AB", "a igen", where="sted IN ('A', 'B')"),  # never reached: A and B first
        DimCode("C", "c"),
        DimCode("Q", "q", value="q"),  # value differs from the code
        DimCode("R", "resten", where="sted NOT IN ('A', 'B', 'C', 'q')"),
    ),
    column="sted",
)
FACT = [  # aar, enhed_id, person_id, sted
    (2024, "u1", 1, "A"),
    (2024, "u2", 1, "A"),
    (2024, "u3", 2, "B"),
    (2024, "u4", 3, "q"),
    (2024, "u5", 3, "Z"),
    (2024, "u6", 4, "Z"),
    (2023, "u1", 1, "C"),
]


def _spec(measure: str, unique: bool) -> TableSpec:
    return TableSpec("T", "t", "t", "fakta", measure, (PLACE,), units_unique_per_year=unique)


def _cells(spec: TableSpec) -> dict[tuple[str, ...], int | None]:
    con = duckdb.connect(":memory:")
    con.execute(
        "CREATE TABLE fakta (aar INTEGER, enhed_id VARCHAR, person_id BIGINT, sted VARCHAR)"
    )
    con.executemany("INSERT INTO fakta VALUES (?, ?, ?, ?)", FACT)
    rows = con.sql(table_sql(spec, [2023, 2024])).to_arrow_table().to_pylist()
    return dict(assemble(spec, [2023, 2024], rows).values)


def test_units_unique_per_year_are_counted_with_count_star() -> None:
    spec = _spec(ENHEDER, unique=True)
    sql = table_sql(spec, [2024])
    assert "COUNT(*)" in sql and "DISTINCT" not in sql
    cells = _cells(spec)
    assert [cells[(c, "2024")] for c in ("0", "A", "B", "AB", "C", "Q", "R")] == [
        6,
        2,
        1,
        0,
        0,
        1,
        2,
    ]
    assert [cells[(c, "2023")] for c in ("0", "A", "C")] == [1, 0, 1]


def test_plain_leaves_share_one_in_and_first_match_still_wins() -> None:
    sql = table_sql(_spec(ENHEDER, unique=True), [2024])
    assert "WHEN sted IN ('A', 'B') THEN sted" in sql  # A, B grouped; AB breaks the run
    assert "WHEN sted = 'q' THEN 'Q'" in sql  # a value other than the code keeps its branch


def test_persons_only_reads_distinct_rows_and_counts_each_person_once() -> None:
    spec = _spec(PERSONER, unique=False)
    assert "SELECT DISTINCT aar, person_id" in table_sql(spec, [2024])
    cells = _cells(spec)
    # 2024: persons 1 (A twice), 2 (B), 3 (q and Z), 4 (Z) → total 4; R holds 3 and 4
    assert [cells[(c, "2024")] for c in ("0", "A", "B", "Q", "R")] == [4, 1, 1, 1, 2]


def test_units_not_declared_unique_are_still_distinct_counted() -> None:
    spec = _spec(ENHEDER, unique=False)
    assert "COUNT(DISTINCT enhed_id)" in table_sql(spec, [2024])
    assert _cells(spec)[("0", "2024")] == 6
