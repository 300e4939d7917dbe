"""CLI start-up and many small HANDBU deliveries (issue 15 item 6).

    uv run python -m benchmarks.startup                       # this checkout
    uv run python -m benchmarks.startup --src /tmp/old/src    # another checkout's src/

* ``startup``: `handistat --help` in a fresh interpreter, 5 times; wall and CPU (user + sys
  of the child, from `wait4`). Byte code is cached under `--data-dir` (the environment may set
  PYTHONDONTWRITEBYTECODE; without a cache every start compiles duckdb and pandas anew).
* ``deliveries``: the `small` world's HANDBU files (663, most of 2-10 rows) through
  `IntakeService.receive` in one process after one warm-up file: CPU and wall per file. The
  same as `handistat deliver handbu` minus its start-up and printing.
* ``deliveries_batched``: the same files through `IntakeService.receive_files` (what
  `handistat deliver handbu` uses: each file stored and recorded on its own, the small ones
  validated many at a time), after one warm-up file.
* ``deliver_cli``: `handistat deliver handbu <all files>` itself, wall and CPU.
* ``--national DIR``: `handistat deliver handbu` of every file in DIR/deliveries/handbu (a
  national reload; ``deliver_national``).

Each figure carries `os.getloadavg()`; results go to `benchmarks/results/startup.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
RUNS = 5


def _env(data_dir: Path, src: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(data_dir / "pycache")
    env["HANDISTAT_DATA_DIR"] = str(data_dir / "data")
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _timed(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Wall and CPU seconds of one child process."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{command[:4]} failed: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "load_1min": round(load, 2),
    }


def startup(data_dir: Path, src: Path | None) -> dict[str, Any]:
    env = _env(data_dir, src)
    command = [sys.executable, "-m", "handistat", "--help"]
    _timed(command, env)  # fills the byte-code cache
    runs = [_timed(command, env) for _ in range(RUNS)]
    return {
        "command": "handistat --help",
        "runs": runs,
        "median_wall_s": sorted(r["wall_s"] for r in runs)[RUNS // 2],
        "median_cpu_s": sorted(r["cpu_s"] for r in runs)[RUNS // 2],
    }


def world(data_dir: Path, src: Path | None) -> Path:
    out = data_dir / "world"
    if not (out / "deliveries" / "handbu").is_dir():
        command = [sys.executable, "-m", "handistat", "synth", "--scale", "small"]
        subprocess.run([*command, "--out", str(out)], env=_env(data_dir, src), check=True)
    return out


DELIVER = """
import json, os, sys, time
from pathlib import Path
from handistat.app import App
from handistat.errors import HandistatError
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.rawzone import read_chunks
from handistat.intake.service import Sender
application = App.load()
application.init()
files = sorted(Path(sys.argv[1]).glob("*.csv"))
sender = Sender("cli", None, "cli")
def receive(path):
    try:
        application.intake.receive(HANDBU_POLICY, read_chunks(path), sender)
    except HandistatError:
        pass  # a rejected delivery is recorded too
receive(files[0])
load = os.getloadavg()[0]
cpu, wall = time.process_time(), time.perf_counter()
for path in files[1:]:
    receive(path)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
n = len(files) - 1
print(json.dumps({"files": n, "cpu_ms_per_file": round(cpu * 1000 / n, 2),
                  "wall_ms_per_file": round(wall * 1000 / n, 2), "load_1min": round(load, 2)}))
"""


DELIVER_MANY = """
import json, os, sys, time
from pathlib import Path
from handistat.app import App
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.service import Sender
application = App.load()
application.init()
files = sorted(Path(sys.argv[1]).glob("*.csv"))
sender = Sender("cli", None, "cli")
list(application.intake.receive_files(HANDBU_POLICY, files[:1], sender))
load = os.getloadavg()[0]
cpu, wall = time.process_time(), time.perf_counter()
for outcome in application.intake.receive_files(HANDBU_POLICY, files[1:], sender):
    pass
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
n = len(files) - 1
print(json.dumps({"files": n, "cpu_ms_per_file": round(cpu * 1000 / n, 2),
                  "wall_ms_per_file": round(wall * 1000 / n, 2), "load_1min": round(load, 2)}))
"""


def deliveries(
    data_dir: Path, src: Path | None, files: Path, script: str = DELIVER
) -> dict[str, Any]:
    shutil.rmtree(data_dir / "data", ignore_errors=True)
    env = _env(data_dir, src)
    done = subprocess.run(
        [sys.executable, "-c", script, str(files)], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def deliver_cli(data_dir: Path, src: Path | None, files: Path) -> dict[str, Any]:
    shutil.rmtree(data_dir / "data", ignore_errors=True)
    env = _env(data_dir, src)
    subprocess.run([sys.executable, "-m", "handistat", "init"], env=env, check=True)
    paths = sorted(str(p) for p in files.glob("*.csv"))
    figure = _timed([sys.executable, "-m", "handistat", "deliver", "handbu", *paths], env)
    figure["files"] = len(paths)
    figure["cpu_ms_per_file"] = round(figure["cpu_s"] * 1000 / len(paths), 2)
    figure["wall_ms_per_file"] = round(figure["wall_s"] * 1000 / len(paths), 2)
    figure["load_1min_after"] = round(os.getloadavg()[0], 2)
    shutil.rmtree(data_dir / "data", ignore_errors=True)
    return figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, help="measure this src/ instead of the checkout's")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("TMPDIR", "/tmp")) / "handistat-bench" / "startup",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "startup.json")
    parser.add_argument("--skip-cli", action="store_true", help="skip `deliver handbu` itself")
    parser.add_argument(
        "--national", type=Path, help="also `deliver handbu` every HANDBU file of this world"
    )
    args = parser.parse_args(argv)
    data_dir = args.data_dir / ("other" if args.src else "checkout")
    data_dir.mkdir(parents=True, exist_ok=True)
    files = world(args.data_dir, None) / "deliveries" / "handbu"
    result: dict[str, Any] = {
        "issue": "15.6",
        "src": str(args.src or REPO / "src"),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpus": os.cpu_count(),
        "startup": startup(data_dir, args.src),
        "deliveries": deliveries(data_dir, args.src, files),
    }
    if args.src is None:  # receive_files is new in issue 15.6
        result["deliveries_batched"] = deliveries(data_dir, None, files, DELIVER_MANY)
    if not args.skip_cli:
        result["deliver_cli"] = deliver_cli(data_dir, args.src, files)
    if args.national is not None:
        handbu = args.national / "deliveries" / "handbu"
        result["deliver_national"] = deliver_cli(data_dir, args.src, handbu)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
