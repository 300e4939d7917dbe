"""Warehouse snapshots (issue 13.2, R-REL-1) under a relative data directory, as `make demo`
uses (`HANDISTAT_DATA_DIR=demo-output/data`). CI's demo failed because the prune compared
relative paths with resolved ones and deleted the snapshot the link pointed to."""

from __future__ import annotations

from pathlib import Path

import pytest

from handistat.stores.warehouse import Warehouse


def test_successive_writes_with_a_relative_path_keep_the_current_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    warehouse = Warehouse(Path("data") / "register.duckdb")
    for value in (1, 2, 3):
        with warehouse.writing() as con:
            con.execute(f"CREATE OR REPLACE TABLE t AS SELECT {value} AS v")
        assert warehouse.query("SELECT v FROM t").column("v").to_pylist() == [value]
    # the current and the previous snapshot remain; older ones are pruned
    assert len(list((tmp_path / "data" / "register.duckdb.snapshots").glob("*.duckdb"))) == 2
