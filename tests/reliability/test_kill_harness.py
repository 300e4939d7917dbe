"""Issue 13.3 (R-REL-1): a seeded kill harness. Each trial SIGKILLs a process at a random
moment of uploads (through the service and through `handistat serve`), processing or
release creation; after the restart every delivery is whole or absent, every acknowledged
delivery and release is there, nothing is left over, the register equals a rebuild from the
raw zone, and work resumes.

HANDISTAT_KILL_SEED and HANDISTAT_KILL_TRIALS change the run; HANDISTAT_RELIABILITY_OUT names a
JSON file for `make reliability` (docs/reliability.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from handistat.app import App
from handistat.clock import fixed_clock
from handistat.intake.policies import HANDBU_POLICY
from handistat.register.handbu import KEEP
from handistat.register.population import load_population
from handistat.register.process import process_handbu
from handistat.release.service import ReleaseService
from handistat.settings import load_settings
from handistat.stores.catalogue import Delivery
from handistat.stores.warehouse import Warehouse
from tests.conftest import NOW, write_population
from tests.reliability.kill_worker import YEARS, body
from tests.stores.serve_helpers import env_for, wait_healthy

pytestmark = pytest.mark.slow
KINDS = ("deliver", "process", "release", "serve")
DELAYS = {"deliver": (0.5, 15.0), "process": (0.5, 15.0), "release": (1.0, 40.0)}
"""Seconds after start-up before the kill: a release takes ~10-30 s here (disclosure control
and its audit), so its kills spread over protection, freezing and the catalogue commit."""
PERSONS = [
    ("1506154001", "K", "2015-06-15", ""),
    ("0101104002", "M", "2010-01-01", ""),
    ("0202124003", "M", "2012-02-02", ""),
]


def _worker_trial(data: Path, seed: int, mode: str, rng: random.Random) -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.kill_worker", str(data), str(seed), mode],
        env=env_for(data),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    promised: dict[str, list[str]] = {"ACK": [], "RELEASE": []}
    assert proc.stdout.readline().strip() == "READY"
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout or []))
    reader.start()
    time.sleep(rng.uniform(*DELAYS[mode]))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join()
    for line in lines:
        kind, _, value = line.strip().partition(" ")
        if kind in promised:
            promised[kind].append(value)
    done = [line for line in lines if line.split(" ")[0] in ("ACK", "PROCESSED", "RELEASE")]
    return {"kind": mode, "promised": promised, "steps": len(done)}


def _serve_trial(data: Path, token_env: dict[str, str], rng: random.Random) -> dict[str, Any]:
    from tests.api.live_server import free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "handistat", "serve", "--port", str(port)],
        env=env_for(data),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, proc)
    acked: list[str] = []
    statuses: list[int] = []
    stop = threading.Event()

    def upload(k: int) -> None:
        local_rng = random.Random(rng.random())
        with httpx.Client(base_url=base, timeout=60) as client:
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    r = client.post(
                        "/api/v1/leverancer/handbu",
                        content=body(local_rng, 10_000 * k + n),
                        headers={**token_env, "Content-Type": "text/csv"},
                    )
                except httpx.HTTPError:
                    return  # the server is gone
                statuses.append(r.status_code)
                if r.status_code == 201:
                    acked.append(str(r.json()["delivery_id"]))

    threads = [threading.Thread(target=upload, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.5, 10.0))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stop.set()
    for t in threads:
        t.join()
    assert [s for s in statuses if s >= 500] == []
    return {"kind": "serve", "promised": {"ACK": acked, "RELEASE": []}, "steps": len(statuses)}


def _check_after_restart(app: App, trial: dict[str, Any], tmp: Path) -> dict[str, int]:
    app.init()  # the restart: migrations, then crash leftovers cleaned
    data = app.settings.data_dir
    with app.catalogue.session() as s:
        rows = list(s.scalars(select(Delivery)))
    ids = {str(d.id) for d in rows}
    for delivery in rows:  # whole: the bytes named by their hash, with the recorded size
        blob = app.intake.raw.path_of(delivery.sha256)
        content = blob.read_bytes()
        assert hashlib.sha256(content).hexdigest() == delivery.sha256
        assert len(content) == delivery.size_bytes
    blobs = {p.name for p in app.settings.raw_zone.glob("??/*")}
    assert blobs == {d.sha256 for d in rows}  # absent: no blob without its delivery
    assert set(trial["promised"]["ACK"]) <= ids  # every acknowledgement kept
    assert list((app.settings.raw_zone / "tmp").glob("*")) == []
    assert list(data.glob("staged/*/incoming/*")) == []
    assert list(data.glob("staged/**/*.tmp.parquet")) == []
    snapshots = list(app.warehouse.snapshots.glob("*"))
    assert len(snapshots) <= 1
    service = ReleaseService(app)
    releases = {r.id: r for r in service.releases()}
    assert set(trial["promised"]["RELEASE"]) <= set(releases)
    for release in releases.values():
        assert service.load(release)  # checksums verified
    assert {p.name for p in (data / "releases").glob("*")} <= set(releases)
    # work resumes, and the register equals a rebuild from the raw zone alone
    process_handbu(app.intake, app.warehouse, HANDBU_POLICY, YEARS)
    _assert_equals_rebuild(app, tmp)
    return {"deliveries": len(rows), "releases": len(releases)}


def _assert_equals_rebuild(app: App, tmp: Path) -> None:
    rebuild_dir = tmp / "rebuild"
    shutil.rmtree(rebuild_dir, ignore_errors=True)
    rebuild = App(
        load_settings(
            data_dir=rebuild_dir,
            raw_dir=app.settings.raw_zone,
            catalogue_url=app.settings.catalogue,
        ),
        app.clock,
    )
    shutil.copyfile(app.warehouse.current() or "", rebuild_dir / "seed.duckdb")
    rebuild.warehouse = Warehouse(rebuild_dir / "seed.duckdb")
    process_handbu(rebuild.intake, rebuild.warehouse, HANDBU_POLICY, YEARS)  # staged anew
    for table in (*KEEP, "indberetninger"):
        sql = f"SELECT * FROM {table} ORDER BY ALL"
        assert app.warehouse.query(sql).equals(rebuild.warehouse.query(sql)), table
    rebuild.catalogue.dispose()
    rebuild.presence.close()


def test_sigkill_at_random_points_loses_nothing(tmp_path: Path) -> None:
    seed = int(os.environ.get("HANDISTAT_KILL_SEED", "13"))
    trials = int(os.environ.get("HANDISTAT_KILL_TRIALS", "24"))
    rng = random.Random(seed)
    data = tmp_path / "data"
    app = App(load_settings(data_dir=data), fixed_clock(NOW))
    app.init()
    load_population(app.warehouse, write_population(tmp_path / "pop", PERSONS))
    from handistat.accounts.resolve import accounts

    token, _ = accounts(app).create_token(["101"], "harness", "test")
    auth = {"Authorization": f"Bearer {token}"}
    results = []
    for trial_no in range(trials):
        kind = ("deliver", "process", "release", "serve")[trial_no % 4]
        if kind == "serve":
            trial = _serve_trial(data, auth, rng)
        else:
            trial = _worker_trial(data, rng.randrange(1 << 30), kind, rng)
        trial.update(_check_after_restart(app, trial, tmp_path))
        results.append(trial)
    summary = {
        "seed": seed,
        "trials": trials,
        "kills": trials,
        "acknowledged_deliveries": sum(len(t["promised"]["ACK"]) for t in results),
        "acknowledged_releases": sum(len(t["promised"]["RELEASE"]) for t in results),
        "kills_by_kind": {k: sum(t["kind"] == k for t in results) for k in KINDS},
        "completed_steps_by_kind": {
            k: sum(t["steps"] for t in results if t["kind"] == k) for k in KINDS
        },
        "deliveries_checked": sum(t["deliveries"] for t in results),
        "final_deliveries": results[-1]["deliveries"],
        "final_releases": results[-1]["releases"],
        "status_5xx": 0,  # asserted in every serve trial
        "lost": 0,  # every check above passed
    }
    out = os.environ.get("HANDISTAT_RELIABILITY_OUT")
    if out:
        Path(out).write_text(json.dumps(summary, indent=1))
    assert trials >= 20 or "HANDISTAT_KILL_TRIALS" in os.environ
