"""R-PERF-2: the plain pandas reference of `benchmarks/` computes the same HJALP1 and HJALP2
cells as the pipeline (and removes the same loans for the same reasons), so the benchmark
compares equal work. No timing here: performance is measured by `python -m benchmarks.run`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import data, pandas_reference
from handistat.app import App
from handistat.clock import fixed_clock
from handistat.intake.genbrug import declare_system_switch, receive_full_load
from handistat.intake.rawzone import read_chunks
from handistat.intake.service import Sender
from handistat.register.genbrug_process import process_genbrug
from handistat.register.hmi import load_hmi_catalogue
from handistat.register.population import load_population
from handistat.settings import load_settings
from handistat.synth import generate
from handistat.tables.registry import compute, table_spec

NOW = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
YEARS = [2022, 2023, 2024, 2025]


def run_pipeline(world: Path, data_dir: Path) -> App:
    """Files → intake → register → tables, as in production (GENBRUG only)."""
    app = App(load_settings(data_dir=data_dir), fixed_clock(NOW))
    app.init()
    load_population(app.warehouse, world / "population")
    load_hmi_catalogue(app.warehouse, world / "hmi_katalog.csv")
    with (world / "systemskifter.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            declare_system_switch(app.intake, actor="test", **row)
    for path in sorted((world / "deliveries" / "genbrug").glob("*.csv")):
        kommune, system, day = path.stem.split("_")
        receive_full_load(
            app.intake,
            read_chunks(path),
            Sender("test", None),
            kommune=kommune,
            kildesystem=system,
            udtraeksdato=day,
        )
    process_genbrug(app.intake, app.warehouse, YEARS, NOW.date())
    return app


Both = tuple[App, pandas_reference.Result]


def _both(world: Path, data_dir: Path) -> Iterator[Both]:
    app = run_pipeline(world, data_dir)
    yield app, pandas_reference.run(world, YEARS, NOW.date())
    app.catalogue.dispose()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Both]:
    root = tmp_path_factory.mktemp("small")
    generate("small", 1, root / "synth")
    yield from _both(root / "synth", root / "data")


def _assert_same_cells(app: App, reference: pandas_reference.Result) -> None:
    for table_id, cells in (("HJALP1", reference.hjalp1), ("HJALP2", reference.hjalp2)):
        pipeline = compute(app.warehouse, table_spec(table_id), YEARS).values
        assert set(cells) == set(pipeline), table_id
        differing = {k: (v, cells[k]) for k, v in pipeline.items() if cells[k] != v}
        assert differing == {}, table_id
        assert sum(cells.values()) > 0  # not vacuous


def test_hjalp1_and_hjalp2_equal_the_pipeline(small: Both) -> None:
    _assert_same_cells(*small)


def test_the_same_loans_are_removed_for_the_same_reasons(small: Both) -> None:
    app, reference = small
    rows = app.warehouse.query(
        "SELECT kommune, fejlkode, antal FROM genbrug_rensning "
        "WHERE handling = 'fjernet' AND fejlkode <> 'UKENDT_HMI'"
    ).to_pylist()
    assert {(r["kommune"], r["fejlkode"]): r["antal"] for r in rows} == reference.removed
    assert {reason for _, reason in reference.removed} == {
        "UGYLDIG_CPR",
        "FIKTIV_CPR",
        "DOED_VED_UDLEVERING",
        "INDLEVERET_FOER_PERIODEN",
        "INDLEVERET_FOER_UDLEVERING",
    }


def test_the_same_system_switch_duplicates_and_kept_loans(small: Both) -> None:
    app, reference = small
    counts = app.warehouse.query(
        "SELECT (SELECT count(*) FROM genbrug_dubletter) AS dubletter, "
        "(SELECT count(*) FROM genbrug_udlaan) AS udlaan"
    ).to_pylist()[0]
    assert reference.switch_duplicates == counts["dubletter"] > 0
    assert reference.loans == counts["udlaan"]


def test_the_scaled_world_keeps_the_format_and_its_invariants(tmp_path: Path) -> None:
    rows = 26_615 + 10_000  # the small world plus part of a second copy
    world = data.scaled_world(rows, tmp_path)
    assert world.copies == 2 and data.label(rows) == "36615"
    loans = 0
    for path in world.genbrug_files:
        kommune, _, _ = path.stem.split("_")
        with path.open(encoding="utf-8", newline="") as handle:
            header = handle.readline()
            body = list(csv.reader(handle, delimiter=";"))
        assert header.startswith("indberetningskommune;betalingskommune;udlaan_id;")
        assert {r[0] for r in body} == {kommune}
        assert len({r[2] for r in body}) == len(body)  # unique loan ids within a full load
        loans += len(body)
    assert loans == rows
    with (world.path / "population" / "personer.csv").open(encoding="utf-8") as handle:
        persons = [line.split(";")[0] for line in handle.readlines()[1:]]
    assert len(persons) == len(set(persons)) == 2 * 20_000
    kommuner = Counter(p.stem.split("_")[0] for p in world.genbrug_files)
    assert len(kommuner) > 9  # the second copy moved depots to other municipalities


@pytest.mark.slow
def test_the_pandas_reference_equals_the_pipeline_on_a_scaled_world(tmp_path: Path) -> None:
    world = data.scaled_world(60_000, tmp_path / "worlds")
    for app, reference in _both(world.path, tmp_path / "data"):
        _assert_same_cells(app, reference)
