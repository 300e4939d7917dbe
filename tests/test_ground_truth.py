"""R-SYN-3 / R-TAB-4: every cell of every table computed from the `small` synthetic data
equals the generator's ground truth (built by construction, independently of the pipeline).

The whole chain runs as in production: population load, every delivery through intake,
processing, table computation.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from handistat.app import App
from handistat.clock import fixed_clock
from handistat.intake.genbrug import declare_system_switch, receive_full_load
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.rawzone import read_chunks
from handistat.intake.service import Sender
from handistat.register.genbrug_process import process_genbrug
from handistat.register.hmi import load_hmi_catalogue
from handistat.register.population import load_population
from handistat.register.process import process_handbu
from handistat.settings import load_settings
from handistat.synth import generate
from handistat.tables.registry import compute, table_spec

NOW = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
YEARS = [2022, 2023, 2024, 2025]


def _deliver_everything(app: App, synth: Path) -> None:
    sender = Sender("ground-truth", None)
    for path in sorted((synth / "deliveries" / "handbu").glob("*.csv")):
        try:
            app.intake.receive(HANDBU_POLICY, read_chunks(path), sender)
        except Exception as exc:  # rejected deliveries are part of the quirks
            assert "DeliveryRejected" in type(exc).__name__
    for row in csv.DictReader((synth / "systemskifter.csv").open(encoding="utf-8"), delimiter=";"):
        declare_system_switch(
            app.intake,
            kommune=row["kommune"],
            fra=row["fra"],
            til=row["til"],
            dato=row["dato"],
            actor="test",
        )
    for path in sorted((synth / "deliveries" / "genbrug").glob("*.csv")):
        kommune, system, date = path.stem.split("_")
        receive_full_load(
            app.intake,
            read_chunks(path),
            sender,
            kommune=kommune,
            kildesystem=system,
            udtraeksdato=date,
        )


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, Path]]:
    root = tmp_path_factory.mktemp("truth")
    synth = root / "synth"
    generate("small", 1, synth)
    app = App(load_settings(data_dir=root / "data"), fixed_clock(NOW))
    app.init()
    load_population(app.warehouse, synth / "population")
    load_hmi_catalogue(app.warehouse, synth / "hmi_katalog.csv")
    _deliver_everything(app, synth)
    process_handbu(app.intake, app.warehouse, HANDBU_POLICY, YEARS)
    process_genbrug(app.intake, app.warehouse, YEARS, NOW.date())
    yield app, synth
    app.catalogue.dispose()


TRUTH_TABLES = [
    "HANDBU01",
    "HANDBU02",
    "HANDBU03",
    "HANDBU04",
    "HANDBU05",
    "HANDBU06",
    "HJALP1",
    "HJALP2",
]


@pytest.mark.parametrize("table_id", TRUTH_TABLES)
def test_every_cell_equals_the_ground_truth(pipeline: tuple[App, Path], table_id: str) -> None:
    app, synth = pipeline
    with (synth / "truth" / "tables" / f"{table_id}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    truth = {tuple(r[:-1]): int(r[-1]) for r in rows[1:]}
    cube = compute(app.warehouse, table_spec(table_id), YEARS)
    assert rows[0][:-1] == [d.id.upper() for d in cube.dimensions]
    differing = {k: (truth.get(k), v) for k, v in cube.values.items() if truth.get(k) != v}
    assert set(truth) == set(cube.values)
    assert differing == {}
    assert sum(truth.values()) > 0  # the comparison is not vacuous


def test_the_quirks_were_exercised(pipeline: tuple[App, Path]) -> None:
    app, _ = pipeline
    counts = app.warehouse.query(
        "SELECT (SELECT count(*) FROM handbu_cpr_fejl) AS cpr_fejl, "
        "(SELECT count(*) FROM handbu_dubletter) AS dubletter, "
        "(SELECT count(*) FROM genbrug_dubletter) AS skift, "
        "(SELECT count(DISTINCT fejlkode) FROM genbrug_rensning) AS rensekoder"
    ).to_pylist()[0]
    assert counts["cpr_fejl"] > 0 and counts["dubletter"] > 0 and counts["skift"] > 0
    assert counts["rensekoder"] == 6
