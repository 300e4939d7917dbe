"""Issue 13.2 (R-REL-1): `handistat process` on the CLI while `handistat serve` reads the
register. Before the fix DuckDB's one-writer lock made CLI runs fail and register reads 500."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from tests.stores.serve_helpers import cli, handbu_file, prepared, served


def test_cli_process_beside_a_running_server(tmp_path: Path) -> None:
    data = tmp_path / "data"
    token = prepared(data, tmp_path)
    statuses: list[int] = []
    stop = threading.Event()
    with served(data) as base:

        def read() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                while not stop.is_set():
                    r = client.get(
                        "/api/v1/kommuner/101/indberetninger",
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    statuses.append(r.status_code)

        readers = [threading.Thread(target=read) for _ in range(3)]
        for t in readers:
            t.start()
        try:
            for i in range(3):  # the server writes the catalogue, the CLI the register
                body = handbu_file(tmp_path / f"d{i}.csv", 20, f"x{i}-").read_bytes()
                sent = httpx.post(
                    f"{base}/api/v1/leverancer/handbu",
                    content=body,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
                    timeout=60,
                )
                assert sent.status_code == 201, sent.text
                cli(data, "process", "handbu")  # raises on a non-zero exit
        finally:
            stop.set()
            for t in readers:
                t.join()
        final = httpx.get(
            f"{base}/api/v1/kommuner/101/indberetninger",
            params={"antal": 1000},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    assert len(statuses) >= 10
    assert [s for s in statuses if s != 200] == []
    assert len(final["indberetninger"]) == 50 + 3 * 20  # the server sees the CLI's register
