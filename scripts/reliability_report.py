"""Writes docs/reliability.md from the JSON and JUnit files `make reliability` leaves in DIR.

Usage: python scripts/reliability_report.py DIR OUT.md
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any


def _json(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text()) if path.exists() else None


def _junit(path: Path) -> dict[str, int] | None:
    if not path.exists():
        return None
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in total:
            total[key] += int(suite.get(key, 0))
    return total


def _kill(kill: dict[str, Any] | None) -> list[str]:
    if kill is None:
        return ["Not run."]
    by_kind = kill.get("kills_by_kind", {})
    steps = kill.get("completed_steps_by_kind", {})
    kinds = ", ".join(
        f"{k} {n} (steps finished before the kills: {steps.get(k, 0)})" for k, n in by_kind.items()
    )
    return [
        f"- seed {kill['seed']}, {kill['trials']} trials, **{kill['kills']} SIGKILLs** "
        "(uploads through the service and through `handistat serve`, processing, release "
        "creation)",
        f"- kills by kind of work: {kinds or 'not recorded'}",
        f"- acknowledged before a kill: {kill['acknowledged_deliveries']} deliveries, "
        f"{kill['acknowledged_releases']} releases; all found after the restart",
        f"- deliveries checked after restarts (whole: bytes match hash and size; no blob "
        f"without delivery): {kill['deliveries_checked']}; at the end {kill['final_deliveries']} "
        f"deliveries and {kill['final_releases']} releases",
        "- after every restart the register equalled a rebuild from the raw zone and "
        "processing resumed",
        f"- 5xx answers from the killed server before its kill: {kill.get('status_5xx', 0)}",
        f"- **lost: {kill['lost']}**",
    ]


def _load(load: dict[str, Any] | None) -> list[str]:
    if load is None:
        return ["Not run."]
    up, rd = load["upload_latency"], load["read_latency"]
    return [
        f"- {load['uploads']} concurrent uploads (one token per municipality), "
        f"{load['rows']:,} rows, {load['bytes'] / 1e6:.1f} MB, two uvicorn workers, "
        f"wall time {load['wall_s']} s",
        f"- upload latency: median {up['p50_s']} s, p95 {up['p95_s']} s, max {up['max_s']} s",
        f"- public API reads during the load ({rd['n']}): median {rd['p50_s']} s, "
        f"p95 {rd['p95_s']} s, max {rd['max_s']} s",
        f"- every delivery stored with its row count; **5xx: {load['status_5xx']}**",
    ]


def _hostile(result: dict[str, int] | None) -> list[str]:
    if result is None:
        return ["Not run (no `tests/security/` corpus in this checkout)."]
    passed = result["tests"] - result["failures"] - result["errors"] - result["skipped"]
    return [
        f"- cases tried: {result['tests']}; passed {passed}, failed {result['failures']}, "
        f"errors {result['errors']}, skipped {result['skipped']}",
    ]


def main(directory: Path, out: Path) -> None:
    lines = [
        "# Reliability (issue 13, R-REL-1..3)",
        "",
        f"Written by `make reliability` on {dt.date.today().isoformat()}; the numbers are from "
        "that run on that machine (re-run to refresh).",
        "",
        "## Kill harness (tests/reliability/test_kill_harness.py)",
        *_kill(_json(directory / "kill.json")),
        "",
        "## 98 municipalities at once (tests/reliability/test_load_98.py)",
        *_load(_json(directory / "load.json")),
        "",
        "## Hostile corpus (tests/security/)",
        *_hostile(_junit(directory / "security.xml")),
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
