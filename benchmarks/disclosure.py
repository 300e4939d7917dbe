"""Disclosure control of a HANDBU release at scale (issue 9 item 8): protection plus audit.

Reads the true HANDBU tables that `handistat synth` writes (DIR/truth/tables/*.csv: the cells
the register produces from the same deliveries, tested cell for cell by
tests/test_ground_truth.py), protects the release of the latest year jointly (three years,
six tables) as `release create` does, and writes the time, the counts and the loss as JSON.

    uv run handistat synth --scale national --seed 1 --out /tmp/national     # ~10 min
    uv run python -m benchmarks.disclosure --synth /tmp/national --independent \
        --out benchmarks/results/disclosure-national.json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import time
from pathlib import Path
from typing import Any

from benchmarks.independent_audit import independent_audit
from handistat.disclosure.protect import protect_tables
from handistat.disclosure.suppress import Parameters
from handistat.tables.compute import _cube_dimension, time_dimension
from handistat.tables.cube import Cube
from handistat.tables.handbu import HANDBU_TABLES
from handistat.tables.spec import TableSpec


def true_cube(spec: TableSpec, folder: Path, years: list[int]) -> Cube:
    dims = (*(_cube_dimension(d) for d in spec.dimensions), time_dimension(years))
    shell = Cube(spec.id, spec.title, spec.unit, dims, {})
    values: dict[tuple[str, ...], int | None] = dict.fromkeys(shell.keys(), 0)
    with (folder / f"{spec.id}.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.reader(handle, delimiter=";"):
            key = tuple(row[:-1])
            if key in values:
                values[key] = int(row[-1])
    return Cube(spec.id, spec.title, spec.unit, dims, values, spec.notes, spec.title_en)


def run(synth: Path, year: int | None, params: Parameters, independent: bool) -> dict[str, Any]:
    folder = synth / "truth" / "tables"
    years_found = sorted(
        {
            int(r[-2])
            for r in csv.reader((folder / "HANDBU01.csv").open(), delimiter=";")
            if r[-2].isdigit()
        }
    )
    last = year or years_found[-1]
    years = [last - 2, last - 1, last]
    tables = [(s, true_cube(s, folder, years)) for s in HANDBU_TABLES]
    load_before = os.getloadavg()
    cpu, wall = time.process_time(), time.perf_counter()
    protected = protect_tables(tables, params)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    report = protected.report
    checked = (
        independent_audit(protected.tables, {s.id: c for s, c in tables}, params.k, params.p)
        if independent
        else None
    )
    return {
        "what": "HANDBU release: joint protection + LP audits (relations and inner cells)",
        "synth": str(synth),
        "years": years,
        "parameters": {"k": params.k, "p": params.p},
        "cpu_seconds": round(cpu, 1),
        "wall_seconds": round(wall, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "passed": report["bestaaet"],
        "rounds": report["runder"],
        "counts": report["antal"],
        "loss_per_table": protected.internal["tab"],
        "independent_audit": checked,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synth", type=Path, required=True, help="a `handistat synth` folder")
    parser.add_argument("--year", type=int, default=None, help="reference year (default last)")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON result here")
    parser.add_argument("-k", type=int, default=3)
    parser.add_argument("-p", type=int, default=3)
    parser.add_argument(
        "--independent",
        action="store_true",
        help="also audit the protected tables with benchmarks.independent_audit",
    )
    args = parser.parse_args()
    result = run(args.synth, args.year, Parameters(k=args.k, p=args.p), args.independent)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
