"""Time the synthetic generator (issue 15.3): wall, CPU, peak RSS and the load beside them.

Runs ``handistat synth --scale SCALE --seed SEED --out DIR`` in a child process (or, with
``--processes N``, ``generate(..., processes=N)``, since the CLI always uses every CPU) and
appends one run to a JSON file. CPU and peak RSS come from ``os.wait4`` on that child: its
own and its forked workers' CPU time, and the largest RSS of any of them.

    uv run python -m benchmarks.synth --out /tmp/g-national \
        --result benchmarks/results/synth-national.json --label after --delete
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

_COUNTS = re.compile(r"(\w+)=(\d+)")


def _command(scale: str, seed: int, out: Path, processes: int | None) -> list[str]:
    if processes is None:
        return [sys.executable, "-m", "handistat", "synth", "--scale", scale, "--seed",
                str(seed), "--out", str(out)]  # fmt: skip
    code = (
        "import sys; from pathlib import Path; from handistat.synth import generate; "
        f"print(generate({scale!r}, {seed}, Path({str(out)!r}), processes={processes}))"
    )
    return [sys.executable, "-c", code]


class _LoadSampler:
    """The 1-minute load average every 10 s while the generator runs."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(10):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> _LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(scale: str, seed: int, out: Path, processes: int | None) -> dict[str, Any]:
    command = _command(scale, seed, out, processes)
    load_before = os.getloadavg()
    wall = time.perf_counter()
    with _LoadSampler() as sampler:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - wall
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"generator failed ({status}): {output}")
    rows = sum(1 for p in out.rglob("*.csv") for _ in p.open("rb")) if out.exists() else 0
    return {
        "command": command if processes is not None else ["handistat", *command[3:]],
        "processes": processes or len(os.sched_getaffinity(0)),
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "user_seconds": round(usage.ru_utime, 1),
        "system_seconds": round(usage.ru_stime, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
        "load_1min_before": round(load_before[0], 2),
        "load_1min_after": round(os.getloadavg()[0], 2),
        "load_1min_during_max": round(max(sampler.samples, default=load_before[0]), 2),
        "load_1min_during_mean": round(
            sum(sampler.samples) / len(sampler.samples) if sampler.samples else load_before[0], 2
        ),
        "summary": {k: int(v) for k, v in _COUNTS.findall(output)},
        "csv_lines_written": rows,
        "files_written": sum(1 for p in out.rglob("*") if p.is_file()),
    }


def _machine() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", default="national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="data folder (written)")
    parser.add_argument("--processes", type=int, help="generate(processes=N), not the CLI")
    parser.add_argument("--result", type=Path, default=Path("benchmarks/results/synth.json"))
    parser.add_argument("--label", default="", help="what this run measures")
    parser.add_argument("--delete", action="store_true", help="delete --out afterwards")
    args = parser.parse_args()
    result = run(args.scale, args.seed, args.out, args.processes)
    result = {"label": args.label, "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "scale": args.scale, "seed": args.seed, **result, "machine": _machine()}  # fmt: skip
    if args.delete:
        shutil.rmtree(args.out, ignore_errors=True)
    runs = json.loads(args.result.read_text())["runs"] if args.result.exists() else []
    args.result.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"runs": [*runs, result]}, indent=2) + "\n"
    args.result.write_text(text, encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
