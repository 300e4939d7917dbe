"""R-PERF-4: `handistat serve --workers N` runs N uvicorn worker processes over the same
stores; each answers the API (a real server in a subprocess, on a free loopback port)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_serve_with_two_workers(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "HANDISTAT_DATA_DIR": str(tmp_path / "data")}
    log = (tmp_path / "serve.log").open("w+b")
    command = [sys.executable, "-m", "handistat", "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _ = _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.3)
        assert status == 200
        status, body = _get(f"{base}/v1/subjects?format=JSON")
        assert status == 200 and json.loads(body)[0]["description"] == "Sociale forhold"
        while time.monotonic() < deadline:  # both workers have started
            text = (tmp_path / "serve.log").read_text(errors="replace")
            if len(re.findall(r"Started server process \[\d+\]", text)) == 2:
                break
            time.sleep(0.3)
        assert "Started parent process" in text
        assert len(re.findall(r"Started server process \[\d+\]", text)) == 2
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
