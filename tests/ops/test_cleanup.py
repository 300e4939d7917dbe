"""Issue 13.3 (R-REL-1): crash leftovers are removed at start, but only when no other
handistat process uses the data directory."""

from __future__ import annotations

from pathlib import Path

from handistat.app import App
from handistat.intake.service import staged_path
from handistat.ops.cleanup import clean, clean_if_alone
from tests.conftest import deliver_handbu

GOOD = "101;r1;1506154001;SEL32;2023-01-01;;"


def _leftovers(app: App) -> list[Path]:
    data = app.settings.data_dir
    raw = app.settings.raw_zone
    made = [
        raw / "tmp" / "incoming-abc123",
        raw / "ab" / ("ab" + "0" * 62),  # a blob whose catalogue row was never committed
        data / "staged" / "handbu" / "incoming" / "0f0f.parquet",
        data / "staged" / "handbu" / "0f0f.tmp.parquet",
        data / "staged" / "handbu" / ("c" * 64 + ".parquet"),  # named by bytes (old layout)
        data / "staged" / "handbu" / "999.parquet",  # no such delivery
        data / "register.duckdb.snapshots" / "00000000000000000001-1.duckdb",
        data / "releases" / ".tmp-handbu-2025-1-abc" / "manifest.json",
        data / "releases" / "handbu-2025-9" / "manifest.json",  # no catalogue row
    ]
    for path in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    return made


def test_start_removes_every_kind_of_leftover_and_keeps_deliveries(app: App) -> None:
    (report,) = deliver_handbu(app, GOOD)
    blob = app.intake.raw.path_of(str(report["sha256"]))
    staged = staged_path(app.settings, "handbu", int(str(report["delivery_id"])))
    made = _leftovers(app)
    app.init()  # what `handistat init` and `handistat serve` do at start
    assert [p for p in made if p.exists()] == []
    assert not (app.settings.data_dir / "releases" / "handbu-2025-9").exists()
    assert blob.exists() and staged.exists()


def test_nothing_is_removed_while_another_process_is_there(app: App) -> None:
    made = _leftovers(app)
    other = App(app.settings, app.clock)  # holds the shared lock like another process
    cleaned = clean_if_alone(app.presence, app.settings, app.catalogue, app.warehouse)
    assert cleaned.skipped
    assert all(p.exists() for p in made)
    other.catalogue.dispose()
    del other


def test_the_snapshot_before_the_current_one_is_no_leftover(app: App) -> None:
    """A normal write keeps the previous snapshot for readers still on it (R-REL-1); `make
    demo` warned about it as a crash leftover at every start."""
    for value in (1, 2, 3):
        with app.warehouse.writing() as con:
            con.execute(f"CREATE OR REPLACE TABLE t AS SELECT {value} AS v")
    snapshots = sorted(app.warehouse.snapshots.glob("*.duckdb"))
    assert len(snapshots) == 2
    cleaned = clean(app.settings, app.catalogue, app.warehouse)
    assert "register snapshots" not in cleaned.removed
    assert sorted(app.warehouse.snapshots.glob("*.duckdb")) == snapshots
