"""`handistat deliver handbu` of many files (issue 15.6): every file is reported in the order
given, a file that fails whole is reported on its own, and the exit code says one failed."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from tests.cli.test_cli import run

from handistat.settings import load_settings
from handistat.stores.catalogue import Catalogue, Delivery

HEADER = "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"
CHILD = "1506154001"  # made up: girl born 2015-06-15


def test_many_files_are_reported_one_by_one_in_order(tmp_path: Path) -> None:
    bodies = {
        "d1.csv": f"{HEADER}\n101;r1;{CHILD};SEL32;2023-01-01;;\n",
        "d2.csv": "kommune,indsats_id\n101,r2\n",  # wrong delimiter: rejected whole
        "d3.csv": (
            f"{HEADER}\n101;r3;{CHILD};SEL32;2023-01-01;;\n101;r4;{CHILD};SEL99;2023-01-01;;\n"
        ),
        "d4.csv": f"{HEADER}\n101;r1;{CHILD};SEL32;2023-01-01;;\n",  # d1's bytes again
    }
    for name, body in bodies.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    run(tmp_path, "init")
    result = run(tmp_path, "deliver", "handbu", *bodies, ok=False)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert [line.split(":")[0] for line in lines] == list(bodies)
    assert [line.split(": ")[1].split(" ")[0] for line in lines] == [
        "accepted",
        "rejected",
        "partially_accepted",
        "accepted",
    ]
    assert "allerede modtaget som leverance 1" in lines[3]
    assert CHILD not in result.stdout
    catalogue = Catalogue(load_settings(data_dir=tmp_path / "data").catalogue)
    with catalogue.session() as s:
        rows = s.execute(select(Delivery.id, Delivery.outcome).order_by(Delivery.id)).all()
    catalogue.dispose()
    assert [tuple(r) for r in rows] == [
        (1, "accepted"),
        (2, "rejected"),
        (3, "partially_accepted"),
    ]


def test_json_reports_of_many_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(f"{HEADER}\n101;r1;{CHILD};SEL32;2023-01-01;;\n")
    (tmp_path / "b.csv").write_text(f"{HEADER}\n101;r2;{CHILD};SEL32;2023-01-01;;\n")
    run(tmp_path, "init")
    result = run(tmp_path, "deliver", "handbu", "--json", "a.csv", "b.csv")
    decoder, text, reports = json.JSONDecoder(), result.stdout.strip(), []
    while text:
        report, end = decoder.raw_decode(text)
        reports.append(report)
        text = text[end:].strip()
    assert [(r["delivery_id"], r["outcome"]) for r in reports] == [(1, "accepted"), (2, "accepted")]
