"""R-PERF-6: the HANDBU and GENBRUG pipelines give identical registers and tables on Spark.

The `small` synthetic data goes through intake as in tests/test_ground_truth.py; the same
steps then run on DuckDB (`register.process`) and on Spark (`engines.spark`), and every kept
register table and every cell of every declared table is compared.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.test_ground_truth import NOW, YEARS, _deliver_everything

from handistat.app import App
from handistat.clock import fixed_clock
from handistat.engines import spark as on_spark
from handistat.engines.spark import SparkRunner
from handistat.intake.policies import HANDBU_POLICY
from handistat.register import genbrug, handbu
from handistat.register.genbrug_process import process_genbrug
from handistat.register.hmi import load_hmi_catalogue
from handistat.register.population import load_population
from handistat.register.process import process_handbu
from handistat.settings import load_settings
from handistat.stores.warehouse import Warehouse
from handistat.synth import generate
from handistat.tables.registry import TABLES, compute

pytestmark = pytest.mark.spark

REGISTER = ("indberetninger", *handbu.KEEP, *genbrug.KEEP)
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, runner: SparkRunner) -> Iterator[App]:
    """The small data delivered once, then processed on DuckDB and on Spark."""
    root = tmp_path_factory.mktemp("spark")
    generate("small", 1, root / "synth")
    app = App(load_settings(data_dir=root / "data"), fixed_clock(NOW))
    app.init()
    load_population(app.warehouse, root / "synth" / "population")
    load_hmi_catalogue(app.warehouse, root / "synth" / "hmi_katalog.csv")
    _deliver_everything(app, root / "synth")
    start = time.perf_counter()
    process_handbu(app.intake, app.warehouse, HANDBU_POLICY, YEARS)
    process_genbrug(app.intake, app.warehouse, YEARS, NOW.date())
    TIMINGS["duckdb"] = time.perf_counter() - start
    start = time.perf_counter()
    on_spark.process_handbu(runner, app.intake, app.warehouse, HANDBU_POLICY, YEARS)
    on_spark.process_genbrug(runner, app.intake, app.warehouse, YEARS, NOW.date())
    TIMINGS["spark"] = time.perf_counter() - start
    print(f"\nsmall pipeline: duckdb {TIMINGS['duckdb']:.1f} s, spark {TIMINGS['spark']:.1f} s")
    yield app
    app.catalogue.dispose()


def _plain(value: Any) -> Any:
    """One Python form per value, whichever engine produced it (HUGEINT → Decimal, arrays)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value


def _rows(table: Any, columns: list[str]) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(_plain(r[c]) for c in columns) for r in table.to_pylist())


@pytest.mark.parametrize("name", REGISTER)
def test_register_table_is_identical(both: App, runner: SparkRunner, name: str) -> None:
    duck = both.warehouse.query(f"SELECT * FROM {name}")
    spark = runner.fetch(name)
    assert sorted(spark.column_names) == sorted(duck.column_names)
    expected, got = _rows(duck, duck.column_names), _rows(spark, duck.column_names)
    only_duckdb, only_spark = list((expected - got).elements()), list((got - expected).elements())
    assert (only_duckdb[:5], only_spark[:5]) == ([], [])
    if name in ("indberetninger", "handbu_forloeb", "genbrug_udlaan", "genbrug_enheder"):
        assert duck.num_rows > 0  # the comparison is not vacuous


def test_dates_and_lists_keep_their_types(both: App, runner: SparkRunner) -> None:
    row = runner.fetch("handbu_forloeb").to_pylist()[0]
    assert isinstance(row["startdato"], dt.date)
    assert isinstance(row["indsats_ids"], list) and row["indsats_ids"] == sorted(row["indsats_ids"])


@pytest.mark.parametrize("table_id", sorted(TABLES))
def test_every_cell_is_identical(both: App, runner: SparkRunner, table_id: str) -> None:
    spec = TABLES[table_id]
    duck = compute(both.warehouse, spec, YEARS)
    spark = runner.compute(spec, YEARS)
    assert spark.values == duck.values
    assert sum(v or 0 for v in duck.values.values()) > 0


def test_spark_register_can_replace_the_duckdb_one(
    both: App, runner: SparkRunner, tmp_path: Path
) -> None:
    # The Spark result saved into a fresh warehouse computes the same table there.
    target = Warehouse(tmp_path / "register.duckdb")
    runner.save(target, ["handbu_enheder"])
    spec = TABLES["HANDBU01"]
    assert compute(target, spec, YEARS).values == compute(both.warehouse, spec, YEARS).values
