"""Issue 13.4 (R-REL-2): 98 municipalities at once. 98 concurrent uploads of realistic
HANDBU files (one token per municipality) plus public API readers, against a real server
with two worker processes on loopback (the multi-worker set-up of docs/drift.md). Every
delivery is stored, no 5xx; latencies are reported (HANDISTAT_RELIABILITY_OUT for
`make reliability`)."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from handistat.accounts.resolve import accounts
from handistat.app import App
from handistat.reference import handbu_paragraffer, kommuner
from handistat.settings import load_settings
from handistat.stores.catalogue import Delivery
from tests.api.live_server import free_port
from tests.stores.serve_helpers import cli, env_for, wait_healthy

pytestmark = pytest.mark.slow
READ_PATHS = ("/v1/subjects", "/v1/tables", "/v1/tableinfo?id=HANDBU01&format=JSON", "/healthz")


def realistic_file(kommune: str, rng: random.Random) -> bytes:
    """A municipality's delivery: 200-4,000 records of children born 2006-2024 (CPRs with
    the right century digit), paragraphs from the code list, some ended, some annulled."""
    paragraphs = [p.paragraf for p in handbu_paragraffer()]
    lines = ["kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"]
    for i in range(rng.randint(200, 4000)):
        year = rng.randint(2006, 2024)
        cpr = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{year % 100:02d}"
        cpr += f"4{rng.randint(0, 999):03d}"  # 7th digit 4: born 2000-2036 (R-CPR-2)
        start = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        end = ""
        if rng.random() < 0.4:
            end = f"{int(start[:4]) + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        status = "annulleret" if rng.random() < 0.02 else "aktiv"
        lines.append(
            f"{kommune};{kommune}-{i};{cpr};{rng.choice(paragraphs)};{start};{end};{status}"
        )
    return ("\n".join(lines) + "\n").encode()


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        "max_s": round(ordered[-1], 3),
    }


def test_98_municipalities_upload_at_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    cli(data, "init")
    app = App(load_settings(data_dir=data))
    codes = [k.kode for k in kommuner()][:98]
    tokens = {k: accounts(app).create_token([k], f"fagsystem {k}", "test")[0] for k in codes}
    rng = random.Random(98)
    files = {k: realistic_file(k, rng) for k in codes}
    app.catalogue.dispose()
    app.presence.close()

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "handistat.ops.server:create",
            "--workers",
            "2",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-proxy-headers",
            "--log-level",
            "warning",
        ],
        env=env_for(data),
    )
    base = f"http://127.0.0.1:{port}"
    uploads: dict[str, tuple[int, float, Any]] = {}
    reads: list[tuple[int, float]] = []
    start_gate = threading.Barrier(len(codes) + 1)
    done = threading.Event()
    try:
        wait_healthy(base, server)

        def upload(kommune: str) -> None:
            with httpx.Client(base_url=base, timeout=300) as client:
                start_gate.wait()
                t0 = time.monotonic()
                r = client.post(
                    "/api/v1/leverancer/handbu",
                    content=files[kommune],
                    headers={
                        "Authorization": f"Bearer {tokens[kommune]}",
                        "Content-Type": "text/csv",
                    },
                )
                uploads[kommune] = (r.status_code, time.monotonic() - t0, r.json())

        def read(i: int) -> None:
            with httpx.Client(base_url=base, timeout=120) as client:
                start_gate.wait() if i == 0 else None
                while not done.is_set():
                    t0 = time.monotonic()
                    r = client.get(READ_PATHS[len(reads) % len(READ_PATHS)])
                    reads.append((r.status_code, time.monotonic() - t0))

        readers = [threading.Thread(target=read, args=(i,)) for i in range(4)]
        senders = [threading.Thread(target=upload, args=(k,)) for k in codes]
        for t in [*readers, *senders]:
            t.start()
        wall0 = time.monotonic()
        for t in senders:
            t.join()
        wall = time.monotonic() - wall0
        done.set()
        for t in readers:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    statuses = [s for s, _, _ in uploads.values()]
    assert len(uploads) == 98
    assert [s for s in statuses if s >= 500] == [] and [s for s, _ in reads if s >= 500] == []
    assert set(statuses) == {201}, {k: v[2] for k, v in uploads.items() if v[0] != 201}
    check = App(load_settings(data_dir=data))
    with check.catalogue.session() as s:
        stored = {d.kommune: d for d in s.scalars(select(Delivery))}
    assert set(stored) == set(codes)  # every delivery stored, one per municipality
    for kommune, (_, _, report) in uploads.items():
        assert stored[kommune].id == report["delivery_id"]
        assert stored[kommune].rows_total == files[kommune].count(b"\n") - 1
    summary = {
        "uploads": len(uploads),
        "rows": sum(d.rows_total for d in stored.values()),
        "bytes": sum(len(f) for f in files.values()),
        "wall_s": round(wall, 1),
        "upload_latency": _percentiles([t for _, t, _ in uploads.values()]),
        "read_latency": _percentiles([t for _, t in reads]),
        "status_5xx": 0,
    }
    print(json.dumps(summary))
    out = os.environ.get("HANDISTAT_RELIABILITY_OUT")
    if out:
        Path(out).write_text(json.dumps(summary, indent=1))
