"""A real `handistat serve` subprocess and CLI runs on one data directory (issue 13.2-4)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.api.live_server import free_port

PERSONS = ["1506154001;K;2015-06-15;", "0101104002;M;2010-01-01;"]


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDISTAT_")}
    env["HANDISTAT_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def cli(
    data_dir: Path, *args: str, check: bool = True, **extra: str
) -> subprocess.CompletedProcess[str]:
    """`handistat ARGS` in a child process, as an operator would run it."""
    done = subprocess.run(
        [sys.executable, "-m", "handistat", *args],
        env=env_for(data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"handistat {' '.join(args)}: {done.returncode}\n{done.stderr[-2000:]}"
        )
    return done


def handbu_file(path: Path, rows: int, prefix: str = "r", kommune: str = "101") -> Path:
    lines = ["kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"]
    lines += [f"{kommune};{prefix}{i};1506154001;SEL32;2023-01-01;;" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def prepared(data_dir: Path, work: Path) -> str:
    """Stores with a population, one processed HANDBU delivery and a token for 101."""
    cli(data_dir, "init")
    pop = work / "pop"
    pop.mkdir(parents=True, exist_ok=True)
    (pop / "personer.csv").write_text(
        "cpr;koen;foedselsdato;doedsdato\n" + "\n".join(PERSONS) + "\n", encoding="utf-8"
    )
    (pop / "bopael.csv").write_text("cpr;kommune;fra;til\n", encoding="utf-8")
    cli(data_dir, "population", "load", str(pop))
    cli(data_dir, "deliver", "handbu", str(handbu_file(work / "first.csv", 50)))
    cli(data_dir, "process", "handbu")
    token = cli(data_dir, "token", "create", "--kommune", "101").stdout.strip().splitlines()[-1]
    return token


@contextmanager
def served(data_dir: Path, *, extra: Sequence[str] = ()) -> Iterator[str]:
    """`handistat serve` as a child process; yields the base URL."""
    port = free_port()
    args = [sys.executable, "-m", "handistat", "serve", "--port", str(port), *extra]
    log = (data_dir.parent / f"serve-{port}.log").open("wb")
    proc = subprocess.Popen(args, env=env_for(data_dir), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def wait_healthy(base: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"handistat serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("handistat serve did not answer /healthz")
