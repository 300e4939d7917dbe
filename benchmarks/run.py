"""GENBRUG benchmarks, side by side in one run (R-PERF-1, R-PERF-2, R-PERF-3, R-PERF-5).

    uv run python -m benchmarks.run                      # 250k, 500k, 1M rows (a few minutes)
    uv run python -m benchmarks.run --large              # 1, 2, 4, 8M rows
    uv run python -m benchmarks.run --rows 2M,16M --out benchmarks/results/big.json

For each size, on the same CSV files (see `benchmarks/data.py`), each contender in its own
subprocess (wall time measured inside it, peak RSS from `wait4`):

* ``scan``: DuckDB's bare scan, every column read as text and aggregated (R-PERF-1's yardstick);
  ``scan_typed`` the same with the dates parsed as dates (for information);
* the pipeline, one subprocess per stage, on a fresh data directory: ``population`` (load the
  population register and the HMI catalogue, declare the system switch), ``intake``
  (`receive_full_load` of every file), ``process`` (`process_genbrug`), ``tables`` (`compute`
  of HJALP1-5);
* ``pandas``: `benchmarks.pandas_reference` from the same files to HJALP1 and HJALP2.

The HJALP1 and HJALP2 cells of the pipeline and of pandas are compared at every size; a
difference fails the run. Then R-PERF-3: one HANDBU delivery of 1M rows through
`IntakeService.receive`, streamed from disk, and the memory it adds; then the same file
POSTed over HTTP to the real app under uvicorn (``handbu_http``).

    uv run python -m benchmarks.run --national DIR       # a `handistat synth --scale national`
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import datetime as dt
import hashlib
import io
import json
import os
import platform
import pstats
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.data import handbu_file, label, parse_rows, scaled_world

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
DEFAULT_ROWS = ("250k", "500k", "1M")
LARGE_ROWS = ("1M", "2M", "4M", "8M")
YEARS = (2022, 2023, 2024, 2025)
NOW = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
"""The synthetic world's "today" (the generator's TODAY)."""
GENBRUG_TABLES = ("HJALP1", "HJALP2", "HJALP3", "HJALP4", "HJALP5")
COMPARED = ("HJALP1", "HJALP2")
COLUMNS = (
    "indberetningskommune", "betalingskommune", "udlaan_id", "hmi_nummer", "cpr", "paragraf",
    "udleveringsdato", "indleveringsdato",
)  # fmt: skip
PIPELINE_STAGES = ("population", "intake", "process", "tables")
TIMED_STAGES = PIPELINE_STAGES[1:]
"""The stages R-PERF-1 times from files to tables (the population is loaded before)."""
MEMORY_LIMIT_ENV = "BENCH_DUCKDB_MEMORY_LIMIT"  # not HANDISTAT_*: Settings reads those

# -- the stages (each runs in its own subprocess) ---------------------------------------------

Stage = Callable[[Path, Path, bool], dict[str, Any]]
STAGES: dict[str, Stage] = {}


def stage(name: str) -> Callable[[Stage], Stage]:
    def register(function: Stage) -> Stage:
        STAGES[name] = function
        return function

    return register


class Clock:
    """Wall and CPU time (all threads of this process) since it was started.

    The CPU time is split into user and kernel (`sys`) time as well: the kernel's share of a
    stage that writes a database swings with the state of the page cache (the process stage
    spent 1.5 to 7 CPU s in the kernel for the same work, issue 15), so a change of a few
    CPU seconds is judged on the user time, or on medians of alternating runs."""

    def __init__(self) -> None:
        self.wall, self.cpu, self.times = time.perf_counter(), time.process_time(), os.times()

    def read(self, **extra: Any) -> dict[str, Any]:
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        times = os.times()
        return {
            "seconds": wall,
            "cpu_seconds": cpu,
            "user_seconds": times.user - self.times.user,
            "sys_seconds": times.system - self.times.system,
            **extra,
        }


def _files(world: Path) -> list[Path]:
    return sorted((world / "deliveries" / "genbrug").glob("*.csv"))


def _scan_sql(files: Sequence[Path], typed: bool) -> str:
    dates = ("udleveringsdato", "indleveringsdato") if typed else ()
    types = ", ".join(f"'{c}': '{'DATE' if c in dates else 'VARCHAR'}'" for c in COLUMNS)
    listed = ", ".join(f"'{f}'" for f in files)
    aggregates = ", ".join(f"max({c})" for c in COLUMNS)
    return (
        f"SELECT count(*), {aggregates} FROM read_csv([{listed}], delim=';', header=true, "
        f"auto_detect=false, columns={{{types}}})"
    )


def _scan(world: Path, typed: bool) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(":memory:")
    clock = Clock()
    row = con.execute(_scan_sql(_files(world), typed)).fetchone()
    assert row is not None
    return clock.read(rows=int(row[0]), threads=_duckdb_threads(con))


def _duckdb_threads(con: Any) -> int:
    return int(con.execute("SELECT current_setting('threads')").fetchone()[0])


@stage("scan")
def scan(world: Path, work: Path, profile: bool) -> dict[str, Any]:
    """DuckDB's bare scan: every column of every file, as text, into one aggregate row."""
    return _scan(world, typed=False)


@stage("scan_typed")
def scan_typed(world: Path, work: Path, profile: bool) -> dict[str, Any]:
    return _scan(world, typed=True)


def _app(work: Path) -> Any:
    from handistat.app import App
    from handistat.clock import fixed_clock
    from handistat.settings import load_settings

    app = App(load_settings(data_dir=work / "data"), fixed_clock(NOW))
    limit = os.environ.get(MEMORY_LIMIT_ENV)
    if limit:  # --memory-limit: the Warehouse's own knob (not exposed in Settings)
        from handistat.stores.warehouse import Warehouse

        app.warehouse = Warehouse(app.settings.duckdb_file, memory_limit=limit)
    return app


@stage("population")
def population(world: Path, work: Path, profile: bool) -> dict[str, Any]:
    """Stores, population register, HMI catalogue, the declared system switch."""
    from handistat.intake.genbrug import declare_system_switch
    from handistat.register.hmi import load_hmi_catalogue
    from handistat.register.population import load_population

    app = _app(work)
    clock = Clock()
    app.init()
    summary = load_population(app.warehouse, world / "population")
    load_hmi_catalogue(app.warehouse, world / "hmi_katalog.csv")
    with (world / "systemskifter.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            declare_system_switch(app.intake, actor="benchmark", **row)
    return clock.read(persons=summary.personer, spells=summary.bopael)


@stage("intake")
def intake(world: Path, work: Path, profile: bool) -> dict[str, Any]:
    """Every full load through `receive_full_load`, in name order, streamed from disk."""
    from handistat.intake.genbrug import receive_full_load
    from handistat.intake.rawzone import read_chunks
    from handistat.intake.service import Sender

    app = _app(work)
    sender = Sender("benchmark", None)
    accepted = 0
    clock = Clock()
    with _profiled(profile, work / "intake.prof"):
        for path in _files(world):
            kommune, system, day = path.stem.split("_")
            report = receive_full_load(
                app.intake,
                read_chunks(path),
                sender,
                kommune=kommune,
                kildesystem=system,
                udtraeksdato=day,
            )
            accepted += int(report["rows_accepted"])
    return clock.read(files=len(_files(world)), rows_accepted=accepted)


@stage("process")
def process(world: Path, work: Path, profile: bool) -> dict[str, Any]:
    from handistat.register.genbrug_process import process_genbrug

    app = _app(work)
    steps: dict[str, float] = {}
    clock = Clock()
    with _profiled(profile, work / "process.prof"), _timed_steps(profile, steps):
        summary = process_genbrug(app.intake, app.warehouse, YEARS, NOW.date())
    result = clock.read(**summary.counts)
    if steps:
        result["steps"] = steps
    return result


@stage("tables")
def tables(world: Path, work: Path, profile: bool) -> dict[str, Any]:
    """Every GENBRUG table; HJALP1 and HJALP2 cells are written for the comparison."""
    from handistat.tables.registry import compute, table_spec

    app = _app(work)
    per_table: dict[str, float] = {}
    cubes = {}
    clock = Clock()
    with _profiled(profile, work / "tables.prof"):
        for table_id in GENBRUG_TABLES:
            begun = time.perf_counter()
            cubes[table_id] = compute(app.warehouse, table_spec(table_id), YEARS).values
            per_table[table_id] = time.perf_counter() - begun
    result = clock.read(per_table=per_table)
    result["cells_sha256"] = _write_cells(
        work / "pipeline-cells.json", {t: cubes[t] for t in COMPARED}
    )
    return result


@stage("pandas")
def pandas_reference(world: Path, work: Path, profile: bool) -> dict[str, Any]:
    from benchmarks.pandas_reference import run

    clock = Clock()
    with _profiled(profile, work / "pandas.prof"):
        result = run(world, YEARS, NOW.date())
    found = clock.read(parts=result.timings, loans_kept=result.loans)
    found["cells_sha256"] = _write_cells(
        work / "pandas-cells.json", {"HJALP1": result.hjalp1, "HJALP2": result.hjalp2}
    )
    return found


def _intake_result(
    result: dict[str, Any], report: dict[str, Any], world: Path, before: int
) -> dict[str, Any]:
    """A timed intake's figures: rows, bytes and the growth of peak RSS during it."""
    peak = _proc_status("VmHWM")
    return {
        **result,
        "rows_total": report.get("rows_total"),
        "rows_accepted": report.get("rows_accepted"),
        "bytes": world.stat().st_size,
        "rss_before_mib": before / 1024,
        "peak_rss_mib": peak / 1024,
        "growth_mib": (peak - before) / 1024,
    }


@stage("handbu_intake")
def handbu_intake(world: Path, work: Path, profile: bool) -> dict[str, Any]:
    """R-PERF-3: one large HANDBU delivery through `IntakeService.receive`, streamed; the
    growth of resident memory from just before to the peak during the call."""
    from handistat.errors import DeliveryRejected
    from handistat.intake.policies import HANDBU_POLICY
    from handistat.intake.rawzone import read_chunks
    from handistat.intake.service import Sender

    app = _app(work)
    app.init()
    sender = Sender("benchmark", None)
    with world.open("rb") as handle:  # warm up: lazy imports, caches, the stores
        head = b"".join(handle.readline() for _ in range(1000))
    app.intake.receive(HANDBU_POLICY, [head], sender)
    before = _reset_peak()
    clock = Clock()
    try:
        report = app.intake.receive(HANDBU_POLICY, read_chunks(world), sender)
    except DeliveryRejected as exc:
        report = exc.details.get("report", {})
    return _intake_result(clock.read(), report, world, before)


@stage("handbu_http")
def handbu_http(world: Path, work: Path, profile: bool) -> dict[str, Any]:
    """R-PERF-3 through the HTTP layer: the real app under uvicorn in this process, the file
    POSTed to `/api/v1/leverancer/handbu` with chunked transfer encoding in 1 MiB pieces by
    a client thread (its few MiB count against us). The growth of this process's resident
    memory from just before the upload to the peak during it."""
    import http.client
    import threading

    import uvicorn

    from handistat.accounts.resolve import accounts
    from handistat.api.app import create_app
    from handistat.reference import kommune_koder

    app = _app(work)
    app.init()
    token = accounts(app).create_token(sorted(kommune_koder()), "benchmark", "benchmark")[0]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(app), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    port = int(server.servers[0].sockets[0].getsockname()[1])

    def post(chunks: Iterator[bytes]) -> dict[str, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
        connection.request(
            "POST", "/api/v1/leverancer/handbu", body=chunks, headers=headers, encode_chunked=True
        )
        response = connection.getresponse()
        body = json.loads(response.read())
        connection.close()
        return {"status": response.status, **body}

    with world.open("rb") as handle:  # warm up: lazy imports, caches, the stores
        head = b"".join(handle.readline() for _ in range(1000))
    post(iter([head]))
    before = _reset_peak()
    clock = Clock()
    report = post(_file_chunks(world))
    result = _intake_result(clock.read(), report, world, before)
    server.should_exit = True
    thread.join(timeout=10)
    return {**result, "http_status": report.get("status")}


def _file_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def _proc_status(field: str) -> int:
    """A value in KiB from /proc/self/status (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _reset_peak() -> int:
    """Reset the peak-RSS counter (Linux ``clear_refs`` 5); returns the current RSS in KiB."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _proc_status("VmRSS")


@contextlib.contextmanager
def _profiled(enabled: bool, path: Path) -> Iterator[None]:
    if not enabled:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)


@contextlib.contextmanager
def _timed_steps(enabled: bool, steps: dict[str, float]) -> Iterator[None]:
    """With profiling on: a wall clock around each statement `Warehouse.materialise` runs.

    It wraps the warehouse's own `_create`, so a view stays a view and the compression
    setting holds (a copy of `materialise` here had turned the view `genbrug_enheder` back
    into a 3 s table); `COMMIT` is what remains of `materialise` after the last step."""
    if not enabled:
        yield
        return
    from handistat.stores import warehouse

    original_create, original_materialise = warehouse._create, warehouse.Warehouse.materialise

    def create(con: Any, step: Any, *, kept: bool) -> None:
        begun = time.perf_counter()
        original_create(con, step, kept=kept)
        steps[step.name] = time.perf_counter() - begun

    def materialise(self: Any, *args: Any, **kwargs: Any) -> None:
        def spent() -> float:
            return sum(seconds for name, seconds in steps.items() if name != "COMMIT")

        begun, before = time.perf_counter(), spent()
        original_materialise(self, *args, **kwargs)
        rest = time.perf_counter() - begun - (spent() - before)
        steps["COMMIT"] = steps.get("COMMIT", 0.0) + rest

    warehouse._create = create  # type: ignore[assignment]
    warehouse.Warehouse.materialise = materialise  # type: ignore[method-assign]
    try:
        yield
    finally:
        warehouse._create = original_create
        warehouse.Warehouse.materialise = original_materialise  # type: ignore[method-assign]


def _write_cells(path: Path, cubes: dict[str, Any]) -> str:
    rows = {t: sorted([*k, v] for k, v in cells.items()) for t, cells in cubes.items()}
    text = json.dumps(rows, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()


def _preimport() -> None:
    """Import before any clock starts. The environment may forbid writing byte code
    (PYTHONDONTWRITEBYTECODE), so every import compiles from source; pyarrow imports pandas
    lazily on first use, which would otherwise land inside a timed stage."""
    import duckdb  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    import sqlalchemy.dialects.sqlite  # noqa: F401

    import handistat.app
    import handistat.intake.genbrug
    import handistat.register.genbrug_process
    import handistat.tables.registry  # noqa: F401


def _stage_main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.run _stage")
    parser.add_argument("name", choices=sorted(STAGES))
    parser.add_argument("world", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    _preimport()
    result = STAGES[args.name](args.world, args.work, args.profile)
    args.result.write_text(json.dumps(result), encoding="utf-8")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # the result is written; no teardown of server threads and DuckDB handles


# -- the parent: subprocesses, comparison, report ---------------------------------------------


QUIET = {"max_load": None, "max_wait": 0.0}
"""--max-load/--max-wait: wait for the machine to quieten down before each stage."""


def wait_for_quiet() -> float:
    """Sleep until the 1-minute load average is under ``max_load`` (at most ``max_wait`` s)."""
    limit = QUIET["max_load"]
    if limit is None:
        return 0.0
    started = time.perf_counter()
    while os.getloadavg()[0] > limit and time.perf_counter() - started < QUIET["max_wait"]:
        time.sleep(5)
    return time.perf_counter() - started


PYCACHE: list[Path] = []
"""Where the children cache byte code (set from --data-dir)."""


def child_environment() -> dict[str, str]:
    """The stage's environment. Byte code is cached outside the repository and the virtual
    environment (PYTHONPYCACHEPREFIX), so a stage does not spend seconds compiling pandas,
    DuckDB and handistat from source each time when PYTHONDONTWRITEBYTECODE is set."""
    env = dict(os.environ)
    if PYCACHE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE[0])
    return env


def run_stage(name: str, world: Path, work: Path, profile: bool = False) -> dict[str, Any]:
    """Run one stage in a fresh interpreter; adds its outer wall time and peak RSS."""
    waited = wait_for_quiet()
    result_file = work / f"{name}.result.json"
    log = (work / f"{name}.log").open("wb")
    command = [sys.executable, "-m", "benchmarks.run", "_stage", name, str(world), str(work),
               str(result_file), *(["--profile"] if profile else [])]  # fmt: skip
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=child_environment()
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    outer = time.perf_counter() - started
    log.close()
    if child.returncode != 0:
        tail = (work / f"{name}.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"stage {name} failed ({child.returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    result["process_seconds"] = outer
    result["process_cpu_seconds"] = usage.ru_utime + usage.ru_stime
    result["peak_rss_mib"] = usage.ru_maxrss / 1024  # KiB on Linux
    result["load_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    result["waited_for_quiet_seconds"] = round(waited, 1)
    return result


def warm_page_cache(paths: Sequence[Path]) -> None:
    """Read every input once so that every contender reads from the page cache."""
    for path in paths:
        with path.open("rb") as handle:
            while handle.read(8 << 20):
                pass


def compare_cells(work: Path) -> dict[str, Any]:
    mine = json.loads((work / "pipeline-cells.json").read_text(encoding="utf-8"))
    theirs = json.loads((work / "pandas-cells.json").read_text(encoding="utf-8"))
    found: dict[str, Any] = {"identical": mine == theirs}
    for table in COMPARED:
        a = {tuple(r[:-1]): r[-1] for r in mine[table]}
        b = {tuple(r[:-1]): r[-1] for r in theirs[table]}
        differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        found[table] = {
            "cells": len(a),
            "differing": len(differing),
            "examples": [[*k, a.get(k), b.get(k)] for k in differing[:5]],
            "total_latest_year": a.get(("000", str(YEARS[-1])))
            or a.get(("000", "0", "TOT", str(YEARS[-1]))),
        }
    return found


def measure_size(
    rows: int, data_dir: Path, *, pandas: bool, profile: bool, keep: bool
) -> dict[str, Any]:
    started = time.perf_counter()
    world = scaled_world(rows, data_dir)
    prepared = time.perf_counter() - started
    info = {k: v for k, v in world.__dict__.items() if k != "path"}
    found = measure_world(
        world.path, label(rows), data_dir, info, pandas=pandas, profile=profile, keep=keep
    )
    return {"rows": rows, "data_seconds": prepared, **found}


def national_world(path: Path) -> dict[str, Any]:
    """What a world written by `handistat synth --scale national` holds (item 3 of issue 15)."""
    files = _files(path)
    with (path / "population" / "personer.csv").open("rb") as handle:
        persons = sum(1 for _ in handle) - 1
    return {
        "source": "handistat synth --scale national",
        "files": len(files),
        "kommuner": len({f.stem.split("_")[0] for f in files}),
        "persons": persons,
        "bytes": sum(f.stat().st_size for f in files),
    }


def measure_national(
    path: Path, data_dir: Path, *, pandas: bool, profile: bool, keep: bool
) -> dict[str, Any]:
    """The stages on the GENBRUG files of a national synthetic world (`--national DIR`)."""
    info = national_world(path)
    found = measure_world(
        path, "national", data_dir, info, pandas=pandas, profile=profile, keep=keep
    )
    rows = int(found["stages"]["scan"]["rows"])
    found["world"]["rows"] = rows
    return {"rows": rows, "data_seconds": 0.0, **found}


def measure_world(
    path: Path,
    name: str,
    data_dir: Path,
    info: dict[str, Any],
    *,
    pandas: bool,
    profile: bool,
    keep: bool,
) -> dict[str, Any]:
    work = data_dir / f"run-{name}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    population = path / "population"
    warm_page_cache([*_files(path), population / "personer.csv", population / "bopael.csv"])
    _say(f"{name}: {info['files']} files, {info['bytes'] / 2**20:.0f} MiB; scanning")
    stages: dict[str, Any] = {}
    for stage_name in ("scan", "scan_typed", *PIPELINE_STAGES):
        stages[stage_name] = run_stage(
            stage_name, path, work, profile and stage_name != "population"
        )
        _say(f"  {stage_name}: {stages[stage_name]['seconds']:.2f} s")
    if pandas:
        stages["pandas"] = run_stage("pandas", path, work, profile)
        _say(f"  pandas: {stages['pandas']['seconds']:.2f} s")
    result = {
        "label": name,
        "world": info,
        "stages": stages,
        "summary": summarise(stages),
    }
    if pandas:
        result["comparison"] = compare_cells(work)
    if profile:
        result["profiles"] = profile_reports(work, name)
    if not keep:
        shutil.rmtree(work / "data", ignore_errors=True)
    return result


def summarise(stages: dict[str, Any]) -> dict[str, Any]:
    """The totals and ratios the requirements speak of (reported, never asserted)."""
    seconds = {name: s["seconds"] for name, s in stages.items()}
    cpu = {name: s["cpu_seconds"] for name, s in stages.items()}
    pipeline = sum(seconds[s] for s in TIMED_STAGES)
    pipeline_cpu = sum(cpu[s] for s in TIMED_STAGES)
    summary: dict[str, Any] = {
        "scan_seconds": seconds["scan"],
        "scan_cpu_seconds": cpu["scan"],
        "pipeline_seconds": pipeline,
        "pipeline_cpu_seconds": pipeline_cpu,
        "pipeline_with_population_seconds": pipeline + seconds["population"],
        "pipeline_peak_rss_mib": max(stages[s]["peak_rss_mib"] for s in PIPELINE_STAGES),
        "r_perf_1_pipeline_over_scan": pipeline / seconds["scan"],
        "r_perf_1_pipeline_over_scan_cpu": pipeline_cpu / cpu["scan"],
        "r_perf_1_target": "<= 6 (CPU; aim 4)",
        "max_load_1min": max(max(s["load_1min"]) for s in stages.values()),
    }
    if all("sys_seconds" in stages[s] for s in ("scan", *TIMED_STAGES)):
        pipeline_sys = sum(stages[s]["sys_seconds"] for s in TIMED_STAGES)
        summary |= {
            "pipeline_sys_cpu_seconds": pipeline_sys,
            "r_perf_1_pipeline_over_scan_user_cpu": (pipeline_cpu - pipeline_sys)
            / stages["scan"]["user_seconds"],
        }
    if "pandas" in stages:
        parts = stages["pandas"]["parts"]
        without_population = seconds["pandas"] - parts["read_population"]
        summary |= {
            "pandas_seconds": seconds["pandas"],
            "pandas_peak_rss_mib": stages["pandas"]["peak_rss_mib"],
            "r_perf_2_pandas_over_pipeline": seconds["pandas"]
            / summary["pipeline_with_population_seconds"],
            "r_perf_2_pandas_over_pipeline_without_population": without_population / pipeline,
            "r_perf_2_pandas_over_pipeline_cpu": cpu["pandas"] / (pipeline_cpu + cpu["population"]),
            "r_perf_2_target": ">= 5 (CPU; aim 10)",
        }
    return summary


def profile_reports(work: Path, name: str) -> dict[str, str]:
    """Top functions by cumulative time of each profiled stage, as text files in results."""
    written = {}
    RESULTS.mkdir(parents=True, exist_ok=True)
    for prof in sorted(work.glob("*.prof")):
        buffer = io.StringIO()
        stats = pstats.Stats(str(prof), stream=buffer)
        stats.strip_dirs().sort_stats("cumulative").print_stats(30)
        target = RESULTS / f"profile-{name}-{prof.stem}.txt"
        target.write_text(buffer.getvalue(), encoding="utf-8")
        written[prof.stem] = str(target.relative_to(REPO))
    return written


def measure_handbu(rows: int, data_dir: Path) -> dict[str, Any]:
    path = handbu_file(rows, data_dir)
    work = data_dir / f"run-handbu-{label(rows)}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    warm_page_cache([path])
    result = run_stage("handbu_intake", path, work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    over_http = run_stage("handbu_http", path, work)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "rows": rows,
        **result,
        "over_http": over_http,
        "r_perf_3_target_growth_mib": "<= 200 (over_http)",
    }


@contextlib.contextmanager
def stamped(module: str, argv: Sequence[str] | None) -> Iterator[dict[str, Any]]:
    """Where a result came from, filled in around its measuring: the command, when it
    started, the machine and the 1-minute load before and after (every figure's JSON
    carries the load beside it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    started, load_before = dt.datetime.now(dt.UTC), os.getloadavg()[0]
    stamp: dict[str, Any] = {}
    yield stamp
    stamp |= {
        "command": shlex.join(["python", "-m", module, *args]),
        "started_at": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "load_1min": [load_before, os.getloadavg()[0]],
    }


def machine() -> dict[str, Any]:
    import duckdb
    import numpy
    import pandas
    import pyarrow

    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "numpy": numpy.__version__,
        "git": _git(),
    }


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def _git() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def table(results: dict[str, Any]) -> str:
    """The results as a Markdown table (printed at the end of a run; ``--report FILE``).

    Times are wall seconds with CPU seconds (all threads) in brackets; ratios likewise."""
    head = (
        "| rows | scan s | intake s | process s | tables s | pipeline s | pipeline / scan "
        "| pipeline peak MiB | pandas s | pandas / pipeline | pandas peak MiB | identical "
        "| load |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|---:|\n"
    )
    lines = []

    def t(stage: dict[str, Any], digits: int = 1) -> str:
        return f"{stage['seconds']:.{digits}f} ({stage['cpu_seconds']:.{digits}f})"

    for size in results["sizes"]:
        s, st = size["summary"], size["stages"]
        pandas = (
            f"{t(st['pandas'])} | {s['r_perf_2_pandas_over_pipeline']:.2f}× "
            f"({s['r_perf_2_pandas_over_pipeline_cpu']:.2f}×) | "
            f"{s['pandas_peak_rss_mib']:.0f} | "
            f"{'yes' if size['comparison']['identical'] else 'NO'}"
            if "pandas_seconds" in s
            else "– | – | – | –"
        )
        lines.append(
            f"| {size['label']} | {t(st['scan'], 2)} | "
            f"{t(st['intake'])} | {t(st['process'])} | {t(st['tables'])} | "
            f"{s['pipeline_seconds']:.1f} ({s['pipeline_cpu_seconds']:.1f}) | "
            f"{s['r_perf_1_pipeline_over_scan']:.0f}× "
            f"({s['r_perf_1_pipeline_over_scan_cpu']:.0f}×) | "
            f"{s['pipeline_peak_rss_mib']:.0f} | {pandas} | {s['max_load_1min']:.1f} |"
        )
    return head + "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_stage"]:
        return _stage_main(argv[1:])
    args = _parser().parse_args(argv)
    if args.report:
        print(table(json.loads(args.report.read_text(encoding="utf-8"))))
        return 0
    listed = args.rows or ",".join(LARGE_ROWS if args.large else DEFAULT_ROWS)
    if args.national and not args.rows and not args.large:
        listed = ""  # --national alone: only the national world
    sizes = [parse_rows(r) for r in listed.split(",") if r]
    QUIET.update(max_load=args.max_load, max_wait=args.max_wait)
    if args.memory_limit:
        os.environ[MEMORY_LIMIT_ENV] = args.memory_limit
    data_dir = args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    PYCACHE[:] = [data_dir / "pycache"]
    results: dict[str, Any] = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": shlex.join(["python", "-m", "benchmarks.run", *argv]),
        "machine": machine(),
        "years": list(YEARS),
        "load_1min_at_start": round(os.getloadavg()[0], 2),
        "duckdb_memory_limit": args.memory_limit or "default (80% of RAM)",
        "sizes": [],
    }
    if args.national:
        results["sizes"].append(
            measure_national(
                args.national.resolve(),
                data_dir,
                pandas=not args.skip_pandas,
                profile=args.profile,
                keep=args.keep,
            )
        )
    for rows in sizes:
        results["sizes"].append(
            measure_size(
                rows, data_dir, pandas=not args.skip_pandas, profile=args.profile, keep=args.keep
            )
        )
        _write_results(args.out, results)  # a long run keeps what it has measured so far
    if args.handbu_rows:
        _say(f"HANDBU intake of {args.handbu_rows} rows")
        results["handbu_intake"] = measure_handbu(parse_rows(args.handbu_rows), data_dir)
    results["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    _write_results(args.out, results)
    print(table(results))
    failed = [
        s["label"] for s in results["sizes"] if not s.get("comparison", {}).get("identical", True)
    ]
    if failed:
        _say(f"pandas and the pipeline differ at {', '.join(failed)}: see {args.out}")
        return 1
    return 0


def _write_results(out: Path, results: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(out)
    _say(f"results: {out}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--rows", help=f"comma-separated GENBRUG row counts (default {','.join(DEFAULT_ROWS)})"
    )
    parser.add_argument(
        "--large", action="store_true", help=f"the R-PERF-5 curve: {','.join(LARGE_ROWS)}"
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="results JSON")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "handistat-bench",
        help="where benchmark data and run directories go (not in the repository)",
    )
    parser.add_argument(
        "--handbu-rows", default="1M", help="R-PERF-3 HANDBU delivery size ('' to skip)"
    )
    parser.add_argument(
        "--skip-pandas", action="store_true", help="no pandas reference (large sizes)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile each stage; per-step SQL times"
    )
    parser.add_argument(
        "--national",
        type=Path,
        help="also measure the GENBRUG files of a world from `handistat synth --scale national`",
    )
    parser.add_argument("--keep", action="store_true", help="keep each size's data directory")
    parser.add_argument("--report", type=Path, help="print the table of a results file and stop")
    parser.add_argument(
        "--memory-limit", help="DuckDB memory_limit of the register database, e.g. 3GB"
    )
    parser.add_argument(
        "--max-load",
        type=float,
        help="before each stage wait until the 1-minute load average is below this",
    )
    parser.add_argument("--max-wait", type=float, default=900.0, help="longest wait per stage (s)")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
