"""R-PERF-6 / R-HB-4 as a property: random spell sets give the same episodes on Spark as on
DuckDB, including ties, nested and open spells and a delivered 9999-12-31 end.

Few examples: every one starts Spark jobs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handistat.engines.spark import SparkRunner
from handistat.register.handbu import episode_numbers_sql, episode_starts_sql, episodes_sql
from handistat.stores.warehouse import Warehouse

pytestmark = pytest.mark.spark

BASE = dt.date(2022, 1, 1)
FAR = dt.date(9999, 12, 31)
STEPS = [episode_starts_sql(14), episode_numbers_sql(), episodes_sql()]
FINAL = "SELECT * FROM handbu_forloeb"

spell = st.tuples(
    st.sampled_from(["c1", "c2"]),
    st.sampled_from(["1", "2"]),
    st.integers(0, 120),
    st.one_of(st.none(), st.just(-1), st.integers(0, 40)),  # open, 9999-12-31, a length
)


def records(spells: list[tuple[str, str, int, int | None]]) -> pa.Table:
    def end(start: int, length: int | None) -> dt.date | None:
        if length is None:
            return None
        return FAR if length < 0 else BASE + dt.timedelta(start + length)

    return pa.table(
        {
            "cpr": [s[0] for s in spells],
            "indsats": [s[1] for s in spells],
            "kommune": ["101"] * len(spells),
            "indsats_id": [f"r{i}" for i in range(len(spells))],
            "startdato": pa.array([BASE + dt.timedelta(s[2]) for s in spells], pa.date32()),
            "slutdato": pa.array([end(s[2], s[3]) for s in spells], pa.date32()),
        }
    )


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    return tuple(value) if isinstance(value, list) else value


def rows(table: pa.Table) -> Counter[tuple[Any, ...]]:
    columns = sorted(table.column_names)
    return Counter(tuple(plain(r[c]) for c in columns) for r in table.to_pylist())


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(spell, min_size=1, max_size=10))
def test_spark_episodes_equal_duckdb(
    spark: Any, spells: list[tuple[str, str, int, int | None]]
) -> None:
    table = records(spells)
    duck = Warehouse(":memory:").run(STEPS, FINAL, {"records_known": table})
    runner = SparkRunner(spark)
    try:
        on_spark = runner.run(STEPS, FINAL, {"records_known": table})
    finally:
        runner.release()
    assert rows(on_spark) == rows(duck)
