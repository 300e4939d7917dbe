"""The victim of the kill harness: uploads, processing and release creation in a loop.

`python -m tests.reliability.kill_worker DATA_DIR SEED MODE` (MODE: deliver, process or
release: the work that is killed) prints `ACK <delivery id>` after each
acknowledged delivery and `RELEASE <id>` after each created release (flushed at once), so
the harness knows what was promised before the SIGKILL.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from handistat.app import App
from handistat.clock import fixed_clock
from handistat.errors import HandistatError
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.service import Sender
from handistat.register.process import process_handbu
from handistat.release.service import ReleaseService
from handistat.settings import load_settings
from tests.conftest import NOW
from tests.release.scenario import local

YEARS = (2022, 2023, 2024, 2025)
CHILDREN = ("1506154001", "0101104002", "0202124003")


def body(rng: random.Random, n: int) -> bytes:
    rows = rng.randint(1, 2500)
    lines = ["kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"]
    for i in range(rows):
        start = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(f"101;w{n}-{i};{rng.choice(CHILDREN)};SEL32;{start};;")
    if rng.random() < 0.3:
        lines.append(f"101;bad{n};{CHILDREN[0]};SEL99;2023-01-01;;")  # partially accepted
    return ("\n".join(lines) + "\n").encode()


def deliver(app: App, rng: random.Random, n: int) -> str | None:
    data = body(rng, n)
    chunks = [data[i : i + 65536] for i in range(0, len(data), 65536)]
    report = app.intake.receive(HANDBU_POLICY, chunks, Sender("worker", None))
    return f"ACK {report['delivery_id']}"


def process(app: App, rng: random.Random, n: int) -> str | None:
    if n % 2:  # new rows to process
        deliver(app, rng, n)
    process_handbu(app.intake, app.warehouse, HANDBU_POLICY, YEARS)
    return "PROCESSED"


def release(app: App, rng: random.Random, n: int) -> str | None:
    created = ReleaseService(app).create("handbu", 2024, local("2025-09-30T08:00"), "worker")
    return f"RELEASE {created.id}"


def main(data_dir: str, seed: int, mode: str) -> None:
    app = App(load_settings(data_dir=Path(data_dir)), fixed_clock(NOW))
    rng = random.Random(seed)
    work = {"deliver": deliver, "process": process, "release": release}[mode]
    print("READY", flush=True)
    n = 0
    while True:
        n += 1
        try:
            said = work(app, rng, n)
        except HandistatError as exc:
            said = f"REFUSED {exc.code}"
        print(said, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
