"""One SQL expression of the pipeline against its earlier form, on the national staged rows
(issue 15): a change of a few tenths of a CPU second is lost in a stage's noise (the process
stage's kernel time alone varies by several seconds between runs), so it is measured alone.

    python -m benchmarks.expressions DATA_DIR [--rounds 5] [--out results/expressions.json]

`DATA_DIR` is a data directory after the intake stage (`DATA_DIR/staged/genbrug/*.parquet`).
Each form is hashed over every staged row, alternating, best of `--rounds` in CPU seconds of
all threads; the two forms' results are compared row by row.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.run import RESULTS, stamped
from handistat.register.cpr import CPR_FORM, cpr_digits_sql

PAIRS = {
    "cpr_digits": (
        f"CASE WHEN regexp_matches(trim(cpr), {CPR_FORM}) THEN replace(trim(cpr), '-', '') END",
        cpr_digits_sql("cpr"),
    ),
}
"""name: (the earlier form, today's form)."""


def _cpu(con: duckdb.DuckDBPyConnection, expression: str) -> float:
    begun = time.process_time()
    con.execute(f"SELECT sum(hash({expression})) FROM staged").fetchall()
    return time.process_time() - begun


def measure(data_dir: Path, rounds: int) -> dict[str, Any]:
    con = duckdb.connect()
    staged = str(data_dir / "staged" / "genbrug" / "*.parquet")
    con.execute(f"CREATE TEMP TABLE staged AS SELECT cpr FROM read_parquet('{staged}')")
    ((rows,),) = con.execute("SELECT count(*) FROM staged").fetchall()
    result: dict[str, Any] = {"rows": rows}
    for name, (before, after) in PAIRS.items():
        times: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(rounds):
            times["before"].append(_cpu(con, before))
            times["after"].append(_cpu(con, after))
        ((differing,),) = con.execute(
            f"SELECT count(*) FROM staged WHERE ({before}) IS DISTINCT FROM ({after})"
        ).fetchall()
        result[name] = {
            "before_cpu_seconds": min(times["before"]),
            "after_cpu_seconds": min(times["after"]),
            "runs": times,
            "rows_differing": differing,
            "before_sql": before,
            "after_sql": after,
        }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.expressions", description=__doc__)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS / "expressions.json")
    args = parser.parse_args(argv)
    with stamped("benchmarks.expressions", argv) as stamp:
        result = measure(args.data_dir, args.rounds)
    result |= stamp
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    for name in PAIRS:
        print(name, {k: v for k, v in result[name].items() if k.endswith(("seconds", "differing"))})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
