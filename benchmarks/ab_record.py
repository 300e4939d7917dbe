"""The lines of `ab.sh` or `ab_pipeline.sh` as the JSON of `results/ab-*.json`: every run with
its stage, checkout, wall and CPU seconds and the 1-minute load, and the median per stage and
checkout.

    python -m benchmarks.ab_record ab.log --what "..." --before "..." --after "..." > ab.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def parse(lines: Sequence[str]) -> list[dict[str, Any]]:
    """One run per line `stage checkout seconds cpu_seconds load`; other lines are skipped."""
    runs = []
    for line in lines:
        parts = line.split()
        if len(parts) != 5:
            continue
        stage, checkout, seconds, cpu, load = parts
        try:
            numbers = float(seconds), float(cpu), float(load)
        except ValueError:
            continue
        runs.append(
            {
                "stage": stage,
                "checkout": checkout,
                "seconds": numbers[0],
                "cpu_seconds": numbers[1],
                "load_1min": numbers[2],
            }
        )
    return runs


def medians(runs: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Median CPU seconds per stage and checkout."""
    found: dict[str, dict[str, list[float]]] = {}
    for run in runs:
        found.setdefault(run["stage"], {}).setdefault(run["checkout"], []).append(
            run["cpu_seconds"]
        )
    return {
        stage: {checkout: statistics.median(v) for checkout, v in sides.items()}
        for stage, sides in found.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ab_record")
    parser.add_argument("log", type=Path)
    parser.add_argument("--what", required=True)
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", required=True)
    args = parser.parse_args(argv)
    runs = parse(args.log.read_text(encoding="utf-8").splitlines())
    record = {
        "what": args.what,
        "before": args.before,
        "after": args.after,
        "when": dt.datetime.fromtimestamp(args.log.stat().st_mtime, dt.UTC).strftime(
            "%Y-%m-%dT%H:%MZ"
        ),
        "machine": {"cpus": os.cpu_count()},
        "median_cpu_seconds": medians(runs),
        "runs": runs,
    }
    json.dump(record, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
