"""The victim of the kill harness: uploads, processing and release creation in a loop.

`python -m tests.reliability.kill_worker DATA_DIR SEED` prints `ACK <delivery id>` after each
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
    rows = rng.randint(1, 6000)
    lines = ["kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"]
    for i in range(rows):
        start = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(f"101;w{n}-{i};{rng.choice(CHILDREN)};SEL32;{start};;")
    if rng.random() < 0.3:
        lines.append(f"101;bad{n};{CHILDREN[0]};SEL99;2023-01-01;;")  # partially accepted
    return ("\n".join(lines) + "\n").encode()


def main(data_dir: str, seed: int) -> None:
    app = App(load_settings(data_dir=Path(data_dir)), fixed_clock(NOW))
    rng = random.Random(seed)
    print("READY", flush=True)
    n = 0
    while True:
        n += 1
        action = rng.choices(["deliver", "process", "release"], weights=[6, 2, 1])[0]
        if action == "deliver":
            data = body(rng, n)
            chunks = [data[i : i + 65536] for i in range(0, len(data), 65536)]
            try:
                report = app.intake.receive(HANDBU_POLICY, chunks, Sender("worker", None))
            except HandistatError:
                continue
            print(f"ACK {report['delivery_id']}", flush=True)
        elif action == "process":
            process_handbu(app.intake, app.warehouse, HANDBU_POLICY, YEARS)
            print("PROCESSED", flush=True)
        else:
            try:
                release = ReleaseService(app).create(
                    "handbu", 2024, local("2025-09-30T08:00"), "worker"
                )
            except HandistatError:
                continue
            print(f"RELEASE {release.id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
