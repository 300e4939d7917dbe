"""GENBRUG's five tables as five queries (`tables.compute.table_sql`, what the pipeline runs)
against one query with every table's grouping sets (issue 15 item 1: "count all tables in one
pass"), alternating, on a kept register (`benchmarks.run --national DIR --keep`).

    uv run python -m benchmarks.tables_one_pass DATA_DIR/run-national/data/register.duckdb \\
        --out benchmarks/results/tables-one-pass.json

Both forms return the same counts (checked here); only their CPU time is compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.run import Clock
from handistat.tables.compute import _leaf_sql, table_sql
from handistat.tables.registry import table_spec

YEARS = (2022, 2023, 2024, 2025)
TABLES = ("HJALP1", "HJALP2", "HJALP3", "HJALP4", "HJALP5")


def one_pass_sql() -> str:
    """Every table's cells in one GROUPING SETS query over the loan-years."""
    specs = {t: table_spec(t) for t in TABLES}
    leaves = [
        ("k", specs["HJALP2"], 0),
        ("s", specs["HJALP2"], 1),
        ("a", specs["HJALP2"], 2),
        ("i1", specs["HJALP3"], 0),
        ("i2", specs["HJALP4"], 0),
        ("p", specs["HJALP5"], 0),
    ]
    columns = ", ".join(
        f"{_leaf_sql(spec.dimensions[i], i).rsplit(' AS ', 1)[0]} AS {name}"
        for name, spec, i in leaves
    )
    years = ", ".join(str(y) for y in YEARS)
    return (
        f"WITH f AS (SELECT aar, person_id, {columns} FROM genbrug_enheder "
        f"WHERE aar IN ({years}))\n"
        "SELECT aar, k, s, a, i1, i2, p, GROUPING(k, s, a, i1, i2, p) AS g, "
        "COUNT(*) AS enheder, COUNT(DISTINCT person_id) AS personer FROM f GROUP BY GROUPING "
        "SETS ((aar, k), (aar, k, s, a), (aar, s, a), (aar, i1), (aar, i2), (aar, p), (aar))"
    )


def _timed(
    con: duckdb.DuckDBPyConnection, queries: Sequence[str]
) -> tuple[float, list[list[dict[str, Any]]]]:
    """CPU seconds of running `queries`, and their rows as dicts."""
    clock = Clock()
    results = []
    for query in queries:
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description]
        results.append([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])
    return float(clock.read()["cpu_seconds"]), results


def _persons_per_year(rows: list[dict[str, Any]], flag: str, value: int) -> dict[int, int]:
    """Distinct persons per year: the rows that are the total of every dimension."""
    return {int(r["aar"]): int(r["personer"]) for r in rows if r[flag] == value}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tables_one_pass")
    parser.add_argument("register", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    con = duckdb.connect(str(args.register), read_only=True)
    five = [table_sql(table_spec(t), YEARS) for t in TABLES]
    one = one_pass_sql()
    runs = []
    for _ in range(args.rounds):
        for form, queries in (("five queries", five), ("one pass", [one])):
            cpu, rows = _timed(con, queries)
            runs.append(
                {
                    "form": form,
                    "cpu_seconds": round(cpu, 2),
                    "load_1min": round(os.getloadavg()[0], 2),
                }
            )
            print(form, round(cpu, 2), flush=True)
            if form == "five queries":
                hjalp3 = rows[2]
                expected = _persons_per_year(hjalp3, "g_0", 1)
            else:
                found = _persons_per_year(rows[0], "g", 63)  # all six grouped away
                if found != expected:
                    raise SystemExit(f"the two forms differ: {found} != {expected}")
    record = {
        "what": "GENBRUG's five tables as five queries vs one GROUPING SETS query (CPU s)",
        "register": str(args.register),
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "duckdb": duckdb.__version__,
        "runs": runs,
    }
    if args.out:
        args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
