"""R-PERF-6: the expressions where DuckDB and Spark SQL differ read alike after `transpile`.

Each case runs the same DuckDB-dialect SQL (or the same register step) on both engines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handistat.engines.spark import SparkRunner, staged_rows
from handistat.register.cpr import cpr_birth_date_sql
from handistat.register.genbrug import normalised_sql
from handistat.register.process import HANDBU_EMPTY_COLUMNS, staged_rows_step
from handistat.stores.warehouse import Warehouse

pytestmark = pytest.mark.spark

SPACES = [" ", "\u00a0", "\u2007", "\u3000", "\t", "\n", "\u200b", "\ufeff"]


@pytest.fixture
def engine(spark: Any) -> Iterator[SparkRunner]:
    runner = SparkRunner(spark)
    yield runner
    runner.release()


def both(engine: SparkRunner, sql: str, inputs: dict[str, pa.Table]) -> tuple[list[Any], list[Any]]:
    duck = Warehouse(":memory:").run([], sql, inputs).to_pylist()
    engine.register(inputs)
    return duck, engine.query(sql).to_pylist()


def test_trim_strips_unicode_spaces_like_duckdb(engine: SparkRunner) -> None:
    values = [f"{a}x{b}y{a}{b}" for a in SPACES for b in SPACES] + ["", "x", None]
    table = pa.table({"i": range(len(values)), "v": pa.array(values, pa.string())})
    sql = "SELECT i, trim(v) AS t, ltrim(v) AS l, rtrim(v) AS r FROM s ORDER BY i"
    duck, spark = both(engine, sql, {"s": table})
    assert spark == duck


def genbrug_input(cprs: list[str]) -> pa.Table:
    n = len(cprs)
    return pa.table(
        {
            "delivery_id": [1] * n,
            "kildesystem": ["A"] * n,
            "udtraeksdato": ["2025-01-01"] * n,
            "_row": range(n),
            "indberetningskommune": ["101"] * n,
            "betalingskommune": ["101"] * n,
            "udlaan_id": [f"u{i}" for i in range(n)],
            "hmi_nummer": ["12"] * n,
            "cpr": pa.array(cprs, pa.string()),
            "paragraf": [None] * n,
            "udleveringsdato": pa.array([dt.date(2024, 1, 1)] * n, pa.date32()),
            "indleveringsdato": pa.array([None] * n, pa.date32()),
        }
    )


def test_cpr_form_is_read_alike(engine: SparkRunner) -> None:
    cprs = ["0101101234", "010110-1234", " 0101101234\u00a0", "0101101234\n", "0101101234 x"]
    cprs += ["01011012345", "010110--1234", "١٢٣٤٥٦٧٨٩٠", "010110\u20131234", ""]
    step = normalised_sql()
    sql = "SELECT _row, cpr FROM genbrug_laan ORDER BY _row"
    duck = Warehouse(":memory:").run([step], sql, {"genbrug_input": genbrug_input(cprs)})
    spark = engine.run([step], sql, {"genbrug_input": genbrug_input(cprs)})
    assert spark.to_pylist() == duck.to_pylist()
    assert [r["cpr"] for r in duck.to_pylist()][:3] == ["0101101234"] * 3


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.from_regex(r"[0-3][0-9][01][0-9][0-9]{6}", fullmatch=True), min_size=40))
def test_cpr_birth_date_is_read_alike(spark: Any, values: list[str]) -> None:
    sql = f"SELECT i, {cpr_birth_date_sql('v')} AS born FROM t ORDER BY i"
    table = pa.table({"i": range(len(values)), "v": values})
    runner = SparkRunner(spark)
    try:
        duck, got = both(runner, sql, {"t": table})
    finally:
        runner.release()
    assert got == duck


def test_staged_rows_match_the_duckdb_input_step(engine: SparkRunner, tmp_path: Path) -> None:
    # Two staged files (dates before the Gregorian switch included) and their delivery ids.
    files = []
    for delivery_id, rows in ((7, 2), (9, 3)):
        path = tmp_path / f"{'ab' * 32}{delivery_id}.parquet"
        duckdb.sql(
            f"COPY (SELECT range AS _row, '101' AS kommune, 'i' || range AS indsats_id, "
            f"'0101101234' AS cpr, 'SEL32' AS paragraf, "
            f"DATE '1500-03-01' + CAST(range AS INTEGER) AS startdato, "
            f"CAST(NULL AS DATE) AS slutdato, 'aktiv' AS status FROM range({rows})) "
            f"TO '{path}' (FORMAT parquet)"
        )
        files.append((delivery_id, str(path)))
    tagged = [({"delivery_id": i}, p) for i, p in files]
    step = staged_rows_step("indberetninger", tagged, HANDBU_EMPTY_COLUMNS)
    final = "SELECT * FROM indberetninger ORDER BY delivery_id, _row"
    duck = Warehouse(":memory:").run([step], final).to_pylist()
    empty = staged_rows_step("indberetninger", [], HANDBU_EMPTY_COLUMNS)
    engine.view("indberetninger", staged_rows(engine.spark, tagged, empty), persist=True)
    assert engine.query(final).to_pylist() == duck
    assert duck[0]["startdato"] == dt.date(1500, 3, 1)
    none = staged_rows(engine.spark, [], empty)
    assert none.count() == 0 and none.columns == [c for c in duck[0]]
