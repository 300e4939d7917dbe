"""R-HB-9 through the CLI: the research extract of the episode register carries the ids of
the records merged into each episode, with CPR-like digit runs redacted (R-CPR-5)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from tests.cli.methodology_helpers import deliver_handbu, init_with_population
from tests.cli.test_cli import run

CHILD = "1506154001"  # made up: girl born 2015-06-15


def test_episode_extract_lists_the_merged_record_ids(tmp_path: Path) -> None:
    # r1 and r2 are 9 days apart (merged, R-HB-4); the third record, sent with the child's
    # CPR number as its id, starts a new episode a year later.
    init_with_population(tmp_path, [f"{CHILD};K;2015-06-15;"])
    deliver_handbu(
        tmp_path,
        "d1.csv",
        [
            f"101;r2;{CHILD};SEL32;2023-02-10;2023-03-01;",
            f"101;r1;{CHILD};SEL32;2023-01-01;2023-01-31;",
            f"101;sag-{CHILD};{CHILD};SEL32;2024-06-01;;",
        ],
    )
    run(tmp_path, "process", "handbu")
    run(tmp_path, "extract", "handbu", "--projekt", "P1", "--out", str(tmp_path / "ud"))
    rows = pq.read_table(tmp_path / "ud" / "handbu_P1.parquet").to_pylist()
    got = sorted(
        (r["startdato"].isoformat(), r["antal_indberetninger"], r["indsats_ids"]) for r in rows
    )
    assert got == [
        ("2023-01-01", 2, ["r1", "r2"]),
        ("2024-06-01", 1, ["sag-XXXXXXXXXX"]),
    ]
    codebook = (tmp_path / "ud" / "handbu_P1_kodebog.md").read_text("utf-8")
    assert "`indsats_ids`" in codebook
    assert CHILD not in (tmp_path / "ud" / "handbu_P1.parquet").read_bytes().decode("latin-1")
