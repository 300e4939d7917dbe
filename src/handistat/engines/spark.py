"""The register pipelines on Apache Spark (R-GEN-2, R-PERF-6): the same `Step`s as on DuckDB.

Every step is the DuckDB-dialect SQL of `handistat.register`, carried to Spark SQL by
`handistat.register.sql.transpile` and run in order: each becomes a temporary view, persisted
and counted at once, as DuckDB materialises each step as a (temporary) table. Arrow tables
(reference data, the population register) become views under their names. Only the input
step, reading the staged Parquet of the deliveries, is written twice: `staged_rows` here is
the twin of `register.process.staged_rows_step` and `register.genbrug_process.input_step`.

Needs the optional `spark` dependency group and Java 17 (docs/decisions/spark-path.md).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from handistat.intake.genbrug import genbrug_policy
from handistat.intake.service import IntakeService, Policy
from handistat.register import genbrug_process, process
from handistat.register.genbrug import genbrug_steps
from handistat.register.handbu import handbu_steps
from handistat.register.sql import Step, transpile
from handistat.stores.catalogue import Delivery
from handistat.stores.warehouse import Warehouse
from handistat.tables.compute import assemble, table_sql
from handistat.tables.cube import Cube
from handistat.tables.spec import TableSpec

_FILE = "_handistat_file"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]+")
"""File names Spark reports unchanged in `_metadata.file_name` (it URL-encodes the rest)."""


if TYPE_CHECKING:
    from handistat.app import App


class SparkStepError(RuntimeError):
    """A step that Spark refused or failed on, with the Spark SQL it was given."""

    def __init__(self, step: str, sql: str, cause: Exception) -> None:
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        super().__init__(f"step {step!r} failed on Spark: {first}\n{sql}")
        self.step = step
        self.sql = sql


def local_session(
    cores: int = 2, shuffle_partitions: int = 4, conf: Mapping[str, str] | None = None
) -> SparkSession:
    """A local-mode session on the loopback interface, without UI or console noise.

    Many small staged files are listed on the driver and packed into few partitions (the
    defaults start a listing job above 32 paths and open a task per few files).
    """
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("handistat")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "true")  # a bad cast fails, as in DuckDB
        .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000")
        .config("spark.sql.files.openCostInBytes", str(64 * 1024))
        # DuckDB writes proleptic Gregorian dates; read them as written (not Spark 2's calendar)
        .config("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInRead", "CORRECTED")
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkRunner:
    """Runs `Step` lists on a SparkSession; results are fetched as Arrow."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark
        self._persisted: list[DataFrame] = []
        self._views: set[str] = set()

    def register(self, inputs: Mapping[str, pa.Table]) -> None:
        """Arrow tables as views under their names (`Warehouse.materialise`'s `inputs`)."""
        for name, table in inputs.items():
            self.view(name, self.spark.createDataFrame(table))

    def view(self, name: str, frame: DataFrame, *, persist: bool = False) -> None:
        """`frame` under `name`; `persist` materialises it now, as DuckDB does a table, and
        cuts its lineage (a local checkpoint): later steps plan from the stored rows, not from
        every step before (the pairing rounds of R-IN-8 ran out of heap without it)."""
        if persist:
            frame = frame.localCheckpoint(eager=True)
            self._persisted.append(frame)
        frame.createOrReplaceTempView(name)
        self._views.add(name)

    def materialise(
        self, steps: Sequence[Step], *, inputs: Mapping[str, pa.Table] | None = None
    ) -> None:
        """Run `steps` in order; each becomes a persisted view that later steps read by name
        (a `Step.view` stays a plain view, computed by its readers, as in DuckDB)."""
        self.register(inputs or {})
        for step in steps:
            sql = transpile(step.sql)
            try:
                self.view(step.name, self.spark.sql(sql), persist=not step.view)
            except Exception as exc:  # AnalysisException, ParseException, Java errors
                raise SparkStepError(step.name, sql, exc) from exc

    def run(
        self, steps: Sequence[Step], final: str, inputs: Mapping[str, pa.Table] | None = None
    ) -> pa.Table:
        """`Warehouse.run` on Spark: the steps, then one final (DuckDB-dialect) query."""
        self.materialise(steps, inputs=inputs)
        return self.query(final)

    def query(self, sql: str) -> pa.Table:
        """A DuckDB-dialect query over the views, transpiled, as Arrow."""
        return self.spark.sql(transpile(sql)).toArrow()

    def fetch(self, name: str) -> pa.Table:
        return self.spark.table(name).toArrow()

    def compute(self, spec: TableSpec, years: Sequence[int]) -> Cube:
        """A declared table's cells from the fact view (`tables.registry.compute` on Spark)."""
        return assemble(spec, years, self.query(table_sql(spec, years)).to_pylist())

    def save(self, warehouse: Warehouse, names: Sequence[str]) -> None:
        """Replace the named register tables in the DuckDB warehouse atomically."""
        inputs = {f"spark_{name}": self.fetch(name) for name in names}
        steps = [Step(name, f"SELECT * FROM spark_{name}") for name in names]
        warehouse.materialise(steps, keep=tuple(names), inputs=inputs)

    def release(self) -> None:
        """Drop every view and cached step of this runner (the session stays up)."""
        for frame in self._persisted:
            frame.unpersist()
        for name in self._views:
            self.spark.catalog.dropTempView(name)
        self._persisted.clear()
        self._views.clear()


def staged_rows(
    spark: SparkSession, files: Sequence[tuple[Mapping[str, object], str]], empty: Step
) -> DataFrame:
    """The engine-specific input step on Spark: every staged row, after its delivery's tags.

    `files` pairs each staged Parquet file with the columns that tag its rows (`delivery_id`,
    …); `empty` is the DuckDB step used when there are none. Rows meet their tags by file
    name, which is the content hash of the delivery and so unique.
    """
    if not files:
        return spark.sql(transpile(empty.sql))
    names = [Path(path).name for _, path in files]
    if len(set(names)) != len(names) or not all(_PLAIN_NAME.fullmatch(n) for n in names):
        raise ValueError(f"staged files need distinct plain names: {names}")
    tags = spark.createDataFrame(
        pa.Table.from_pylist(
            [{**tag, _FILE: name} for (tag, _), name in zip(files, names, strict=True)]
        )
    )
    rows = spark.read.parquet(*(path for _, path in files))
    columns = rows.columns
    tagged = rows.withColumn(_FILE, F.col("_metadata.file_name")).join(F.broadcast(tags), _FILE)
    return tagged.select(*(c for c in tags.columns if c != _FILE), *columns)


def warehouse_tables(warehouse: Warehouse, *names: str) -> dict[str, pa.Table]:
    """Register tables kept in DuckDB (the population, the HMI catalogue) as Spark inputs."""
    return {name: warehouse.query(f"SELECT * FROM {name}") for name in names}


def process_handbu(
    runner: SparkRunner,
    intake: IntakeService,
    warehouse: Warehouse,
    policy: Policy,
    years: Sequence[int],
) -> int:
    """`register.process.process_handbu` on Spark; the register stays in `runner`'s views.

    Returns the number of deliveries read.
    """
    deliveries = process.accepted_deliveries(intake, "handbu")
    files = [({"delivery_id": d.id}, process.ensure_staged(intake, policy, d)) for d in deliveries]
    empty = process.staged_rows_step("indberetninger", [], process.HANDBU_EMPTY_COLUMNS)
    runner.view("indberetninger", staged_rows(runner.spark, files, empty), persist=True)
    inputs = {**process.reference_inputs(), **warehouse_tables(warehouse, "personer")}
    steps = handbu_steps(years, intake.settings.handbu_merge_gap_days)
    runner.materialise(steps, inputs=inputs)
    return len(deliveries)


def _load_tags(delivery: Delivery) -> dict[str, object]:
    return {
        "delivery_id": delivery.id,
        "kildesystem": delivery.kildesystem or "",
        "udtraeksdato": delivery.udtraeksdato or "",
    }


def process_genbrug(
    runner: SparkRunner,
    intake: IntakeService,
    warehouse: Warehouse,
    years: Sequence[int],
    today: dt.date,
) -> int:
    """`register.genbrug_process.process_genbrug` on Spark; returns the number of loads read."""
    genbrug_process.require_population(warehouse)
    genbrug_process.ensure_hmi_catalogue(warehouse)
    loads = genbrug_process.current_loads(process.accepted_deliveries(intake, "genbrug"))
    files = [
        (_load_tags(d), process.ensure_staged(intake, genbrug_policy(d.report["header"]), d))
        for d in loads
    ]
    empty = genbrug_process.input_step([])
    runner.view("genbrug_input", staged_rows(runner.spark, files, empty), persist=True)
    inputs = {
        **genbrug_process.reference_inputs(intake, today),
        **warehouse_tables(warehouse, "personer", "bopael", "hmi_katalog"),
    }
    settings = intake.settings
    steps = genbrug_steps(
        years, settings.genbrug_duplicate_days, settings.genbrug_exclude_unknown_hmi
    )
    runner.materialise(steps, inputs=inputs)
    return len(loads)


def process_on_spark(application: App, statistic: str) -> process.ProcessSummary:
    """Rebuild a register on a local Spark session and store it in the DuckDB register, so
    tables, reports and the web read it as usual (`handistat process X --engine spark`)."""
    from handistat.clock import today_copenhagen
    from handistat.intake.policies import HANDBU_POLICY
    from handistat.register import genbrug, handbu

    runner = SparkRunner(local_session())
    years = application.default_years()
    try:
        if statistic == "handbu":
            kept: tuple[str, ...] = (*handbu.KEEP, "indberetninger")
            read = process_handbu(
                runner, application.intake, application.warehouse, HANDBU_POLICY, years
            )
        else:
            kept = genbrug.KEEP
            read = process_genbrug(
                runner,
                application.intake,
                application.warehouse,
                years,
                today_copenhagen(application.clock),
            )
        runner.save(application.warehouse, kept)
    finally:
        runner.release()
    counts = {
        name: int(application.warehouse.query(f"SELECT count(*) AS n FROM {name}")["n"][0].as_py())
        for name in kept
    }
    return process.ProcessSummary(read, counts)
