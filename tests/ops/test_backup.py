"""Issue 13.16 (SPEC §13): `handistat backup DIR` and `handistat restore DIR` of every store,
consistent while deliveries arrive, with a verified round trip."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from handistat.app import App
from handistat.clock import fixed_clock
from handistat.errors import Conflict, UsageError
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.service import Sender
from handistat.ops import backup as backups
from handistat.register.process import process_handbu
from handistat.release.service import ReleaseService
from handistat.settings import load_settings
from handistat.stores.catalogue import Delivery
from tests.release.scenario import YEARS, MovableClock, local, make_app, two_releases

HEADER = "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status\n"


def _state(app: App) -> dict[str, Any]:
    """Everything a restore must bring back, in comparable form."""
    with app.catalogue.session() as s:
        deliveries = [
            (d.id, d.sha256, d.outcome, d.rows_accepted, json.dumps(d.report, sort_keys=True))
            for d in s.scalars(select(Delivery).order_by(Delivery.id))
        ]
    blobs = {p.name: p.read_bytes() for p in app.settings.raw_zone.glob("??/*")}
    releases = {
        str(p.relative_to(app.settings.data_dir)): p.read_bytes()
        for p in (app.settings.data_dir / "releases").rglob("*")
        if p.is_file()
    }
    register = app.warehouse.query("SELECT * FROM handbu_forloeb ORDER BY ALL").to_pylist()
    return {
        "deliveries": deliveries,
        "blobs": blobs,
        "releases": releases,
        "register": register,
        "release_rows": [(r.id, r.status) for r in ReleaseService(app).releases()],
    }


def test_round_trip_restores_every_store(tmp_path: Path) -> None:
    clock = MovableClock(local("2026-10-01T09:00"))
    source = make_app(tmp_path / "a", clock)
    two_releases(source, tmp_path / "a")
    before = _state(source)
    assert before["deliveries"] and before["blobs"] and before["releases"]
    backups.backup(source, tmp_path / "backup")

    target = make_app(tmp_path / "b", clock)
    backups.restore(target, tmp_path / "backup", alone=True)
    assert _state(target) == before
    # work resumes on the restored stores: staged files come back from the raw zone
    summary = process_handbu(target.intake, target.warehouse, HANDBU_POLICY, YEARS)
    assert summary.deliveries == len([d for d in before["deliveries"] if d[2] != "rejected"])
    assert ReleaseService(target).load(ReleaseService(target).releases()[0])


def test_backup_while_deliveries_arrive_is_consistent(tmp_path: Path) -> None:
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    app = App(load_settings(data_dir=tmp_path / "data"), fixed_clock(now))
    app.init()
    stop = threading.Event()

    def deliver() -> None:
        i = 0
        while not stop.is_set():
            body = f"{HEADER}101;k{i};1506154001;SEL32;2023-01-01;;\n".encode()
            app.intake.receive(HANDBU_POLICY, [body], Sender("vendor", None))
            i += 1

    writer = threading.Thread(target=deliver)
    writer.start()
    try:
        for n in range(3):
            backups.backup(app, tmp_path / f"backup{n}")
    finally:
        stop.set()
        writer.join()
    for n in range(3):
        manifest = backups.verify(tmp_path / f"backup{n}")
        shas = {d.sha256 for d in _backup_catalogue(tmp_path / f"backup{n}")}
        stored = {Path(f).name for f in manifest["files"] if f.startswith("raw/")}
        assert shas == stored  # every delivery whole, no blob without its delivery


def _backup_catalogue(directory: Path) -> list[Delivery]:
    from handistat.stores.catalogue import Catalogue

    cat = Catalogue(f"sqlite:///{directory / 'catalogue.sqlite'}")
    try:
        with cat.session() as s:
            return list(s.scalars(select(Delivery)))
    finally:
        cat.dispose()


def test_a_damaged_backup_is_refused_before_anything_changes(app: App, tmp_path: Path) -> None:
    app.intake.receive(
        HANDBU_POLICY,
        [f"{HEADER}101;r1;1506154001;SEL32;2023-01-01;;\n".encode()],
        Sender("t", None),
    )
    backups.backup(app, tmp_path / "backup")
    blob = next(p for p in (tmp_path / "backup" / "raw").rglob("*") if p.is_file())
    blob.write_bytes(b"tampered")
    with pytest.raises(UsageError, match="kontrolsum"):
        backups.restore(app, tmp_path / "backup", alone=True)
    assert len(list(app.settings.raw_zone.glob("??/*"))) == 1


def test_restore_refuses_while_another_process_runs(app: App, tmp_path: Path) -> None:
    backups.backup(app, tmp_path / "backup")
    with pytest.raises(Conflict):
        backups.restore(app, tmp_path / "backup", alone=False)


def test_cli_backup_and_restore(tmp_path: Path) -> None:
    from tests.cli.test_cli import run

    run(tmp_path, "init")
    done = run(tmp_path, "backup", str(tmp_path / "kopi"))
    assert "sikkerhedskopi skrevet" in done.stdout
    restored = run(tmp_path, "restore", str(tmp_path / "kopi"))
    assert "gendannet" in restored.stdout
    again = run(tmp_path, "backup", str(tmp_path / "kopi"), ok=False)
    assert again.returncode == 2  # not empty: usage error
