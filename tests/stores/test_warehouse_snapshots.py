"""Warehouse snapshots (issue 13.2, R-REL-1) under a relative data directory, as `make demo`
uses (`HANDISTAT_DATA_DIR=demo-output/data`). CI's demo failed because the prune compared
relative paths with resolved ones and deleted the snapshot the link pointed to."""

from __future__ import annotations

from pathlib import Path

import pytest

from handistat.register.sql import Step
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


def test_a_kept_step_turns_from_table_to_view_and_back(tmp_path: Path) -> None:
    """Issue 15: `genbrug_enheder` became a view; a register written before keeps a table of
    that name, which the next run replaces (and a view can become a table again)."""
    warehouse = Warehouse(tmp_path / "register.duckdb")
    base = Step("base", "SELECT * FROM range(3) AS r(v)")
    fact = Step("fact", "SELECT v * 10 AS w FROM base")
    for view in (False, True, True, False):
        step = Step(fact.name, fact.sql, view=view)
        warehouse.materialise([base, step], keep=("base", "fact"))
        kinds = warehouse.query(
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'fact'"
        ).column("table_type")
        assert kinds.to_pylist() == ["VIEW" if view else "BASE TABLE"]
        assert sorted(warehouse.query("SELECT w FROM fact").column("w").to_pylist()) == [0, 10, 20]


def test_a_view_that_is_not_kept_is_gone_after_the_run(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "register.duckdb")
    steps = [Step("v", "SELECT 1 AS x", view=True), Step("t", "SELECT x FROM v")]
    warehouse.materialise(steps, keep=("t",))
    assert warehouse.query("SELECT x FROM t").column("x").to_pylist() == [1]
    assert not warehouse.has_table("v")


def _text_compressions(warehouse: Warehouse) -> set[str]:
    found = warehouse.query(
        "SELECT DISTINCT compression FROM pragma_storage_info('t') "
        "WHERE column_name = 'cpr' AND segment_type = 'VARCHAR'"
    )
    return {str(c).lower() for c in found.column("compression").to_pylist()}


@pytest.mark.parametrize("compress_text", [True, False])
def test_compress_text_decides_whether_text_may_be_stored_as_dictionary_fsst(
    tmp_path: Path, compress_text: bool
) -> None:
    """Issue 15: the population is written without dictionary-FSST (half its load's CPU). The
    same ten-digit texts get it by default (the control), and not with the setting off; the
    values read back are the same either way."""
    warehouse = Warehouse(tmp_path / "register.duckdb")
    rows = (
        "SELECT lpad(CAST(i * 7919 % 1000000 AS VARCHAR), 10, '3') AS cpr "
        "FROM range(300000) AS r(i)"
    )
    warehouse.materialise([Step("t", rows)], keep=("t",), compress_text=compress_text)
    assert ("dict_fsst" in _text_compressions(warehouse)) is compress_text
    (total,) = warehouse.query("SELECT sum(hash(cpr)) AS h FROM t").column("h").to_pylist()
    (expected,) = (
        warehouse.query(f"SELECT sum(hash(cpr)) AS h FROM ({rows})").column("h").to_pylist()
    )
    assert total == expected
