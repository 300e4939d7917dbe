"""API throughput (R-PERF-4): a full HANDBU01 data request under `wrk` at 32 clients on
loopback, next to a bare endpoint serving the same bytes.

    uv run python -m benchmarks.api                        # 2 workers, 10 s per figure
    uv run python -m benchmarks.api --workers 1,2 --duration 20

The data: the `small` synthetic world, every HANDBU delivery, processed and the latest
complete year published (built once under `--data-dir`, then reused). The servers:

* ``handistat``: `handistat serve --workers N`, the real app and its response cache;
* ``handistat_no_access_log``: the same with `--no-access-log` (behind a proxy that logs);
* ``bare``: uvicorn with N workers and a Starlette app that answers every request with the
  bytes the real app returned for the same URL (its ceiling on this machine).

Each figure is one `wrk -t2 -c32 -d<duration>s --latency` run after a 2 s warm-up, with
`os.getloadavg()` before and after: the machine is shared, read the load beside each figure.
Results go to `benchmarks/results/api.json`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
CLIENTS = 32
YEAR = 2025
"""The latest complete year of the `small` world (its "today" is 2026-06-30)."""
BODY_ENV = "BENCH_API_BODY"
TARGET_RPS = 500
TARGET_P99_MS = 100.0


def _handistat(data_dir: Path, *args: str) -> str:
    env = {**os.environ, "HANDISTAT_DATA_DIR": str(data_dir / "data")}
    command = [sys.executable, "-m", "handistat", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: some deliveries had rejected rows, as planted
        raise SystemExit(f"handistat {' '.join(args[:2])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def prepare(data_dir: Path) -> None:
    """A published HANDBU world under `data_dir` (kept: `ready` marks it complete)."""
    if (data_dir / "ready").exists():
        return
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    world = data_dir / "world"
    _handistat(data_dir, "synth", "--scale", "small", "--seed", "1", "--out", str(world))
    _handistat(data_dir, "init")
    _handistat(data_dir, "population", "load", str(world / "population"))
    files = sorted(str(p) for p in (world / "deliveries" / "handbu").glob("*.csv"))
    _handistat(data_dir, "deliver", "handbu", *files)
    _handistat(data_dir, "process", "handbu")
    release = _handistat(
        data_dir, "release", "create", "handbu", "--year", str(YEAR), "--at", "now"
    )
    _handistat(data_dir, "release", "publish", release.strip().splitlines()[-1])
    (data_dir / "ready").write_text("ok\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_for(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"no answer from {url} within {timeout:.0f} s")


@contextlib.contextmanager
def server(command: list[str], env: dict[str, str], health: str) -> Iterator[None]:
    """A server process (group) for the duration of the block."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_for(health)
            yield
        except SystemExit:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-3000:])
            raise
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)  # its own session: the server and its workers
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()


def full_request(base: str) -> str:
    """HANDBU01 with every value of every variable (`*`), as Statbank CSV."""
    with urllib.request.urlopen(f"{base}/v1/tableinfo/HANDBU01?format=JSON") as response:
        info = json.load(response)
    selection = "&".join(f"{urllib.parse.quote(v['id'])}=*" for v in info["variables"])
    return f"/v1/data/HANDBU01/CSV?{selection}"


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests/s, latency percentiles (ms), errors from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    latency = {
        f"p{m.group(1)}_ms": _ms(m.group(2))
        for m in re.finditer(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.MULTILINE)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    total = re.search(r"(\d+) requests in", output)
    return {
        "requests_per_s": rps,
        **latency,
        "requests": int(total.group(1)) if total else None,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else None,
    }


def measure(url: str, duration: int) -> dict[str, Any]:
    """One wrk figure, with the load average before and after."""
    subprocess.run(["wrk", "-t2", f"-c{CLIENTS}", "-d2s", url], capture_output=True, check=True)
    before = os.getloadavg()[0]
    cpu_before = os.times()
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CLIENTS}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    cpu_after = os.times()
    figure = parse_wrk(done.stdout)
    figure["wrk_cpu_s"] = round(
        (cpu_after.children_user + cpu_after.children_system)
        - (cpu_before.children_user + cpu_before.children_system),
        2,
    )
    figure["load_1min_before"] = round(before, 2)
    figure["load_1min_after"] = round(os.getloadavg()[0], 2)
    return figure


def bare_app() -> Any:
    """The bare endpoint: every request answered with the bytes in $BENCH_API_BODY."""
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    body = Path(os.environ[BODY_ENV]).read_bytes()
    media = "text/csv; charset=utf-8"

    async def constant(_: Any) -> Response:
        return Response(body, media_type=media)

    return Starlette(routes=[Route("/{path:path}", constant)])


def run_workers(data_dir: Path, workers: int, duration: int) -> dict[str, Any]:
    env = {**os.environ, "HANDISTAT_DATA_DIR": str(data_dir / "data")}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    real = [sys.executable, "-m", "handistat", "serve", "--port", str(port)]
    with server([*real, "--workers", str(workers)], env, f"{base}/healthz"):
        path = full_request(base)
        with urllib.request.urlopen(base + path) as response:
            body = response.read()
            media = response.headers["content-type"]
        handistat = measure(base + path, duration)
    quiet = [*real, "--workers", str(workers), "--no-access-log"]
    with server(quiet, env, f"{base}/healthz"):
        without_log = measure(base + path, duration)
    body_file = data_dir / "body.csv"
    body_file.write_bytes(body)
    bare_port = _free_port()
    bare = [
        *(sys.executable, "-m", "uvicorn", "--factory", "benchmarks.api:bare_app"),
        *("--port", str(bare_port), "--workers", str(workers), "--log-level", "warning"),
    ]
    bare_env = {**os.environ, BODY_ENV: str(body_file), "PYTHONPATH": str(REPO)}
    with server(bare, bare_env, f"http://127.0.0.1:{bare_port}/healthz"):
        bare_figure = measure(f"http://127.0.0.1:{bare_port}{path}", duration)
    return {
        "workers": workers,
        "request": path,
        "body_bytes": len(body),
        "media_type": media,
        "handistat": handistat,
        "handistat_no_access_log": without_log,
        "bare": bare_figure,
        "handistat_over_bare": round(
            handistat["requests_per_s"] / bare_figure["requests_per_s"], 3
        ),
        "target_met": handistat["requests_per_s"] >= TARGET_RPS
        and handistat.get("p99_ms", 1e9) <= TARGET_P99_MS
        and handistat["non_2xx"] == 0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="2", help="comma-separated worker counts")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk figure")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("TMPDIR", "/tmp")) / "handistat-bench" / "api",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "api.json")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk (scripts/system-deps.sh)")
    prepare(args.data_dir)
    runs = [run_workers(args.data_dir, int(n), args.duration) for n in args.workers.split(",")]
    result = {
        "requirement": "R-PERF-4",
        "target": {"requests_per_s": TARGET_RPS, "p99_ms": TARGET_P99_MS, "clients": CLIENTS},
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    for run in runs:
        figures = ("handistat", "handistat_no_access_log", "bare")
        shown = "; ".join(
            f"{name} {run[name]['requests_per_s']:.0f} req/s, p99 "
            f"{run[name].get('p99_ms', float('nan')):.1f} ms (load {run[name]['load_1min_before']})"
            for name in figures
        )
        verdict = "met" if run["target_met"] else "not met"
        print(f"workers {run['workers']}: {shown}; R-PERF-4 target {verdict}")
    print(f"results: {args.out}")
    return 0 if all(run["target_met"] for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
