"""The benchmark's step clock (`benchmarks.run --profile`) times the warehouse's own statements.

Issue 15: it used to run a copy of `Warehouse.materialise`, which made every step a table; the
view `genbrug_enheder` was then written as a 3 s table in every profile of the process stage.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.run import _timed_steps

from handistat.register.sql import Step
from handistat.stores.warehouse import Warehouse


def _kinds(warehouse: Warehouse) -> dict[str, str]:
    rows = warehouse.query(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = 'main' ORDER BY table_name"
    ).to_pylist()
    return {row["table_name"]: row["table_type"] for row in rows}


def test_a_view_stays_a_view_and_every_step_is_timed(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "register.duckdb")
    steps = [
        Step("mellem", "SELECT range AS v FROM range(10)"),
        Step("tal", "SELECT v FROM mellem WHERE v % 2 = 0"),
        Step("visning", "SELECT v * 10 AS w FROM tal", view=True),
    ]
    timed: dict[str, float] = {}
    with _timed_steps(True, timed):
        warehouse.materialise(steps, keep=("tal", "visning"))
    assert _kinds(warehouse) == {"tal": "BASE TABLE", "visning": "VIEW"}
    assert warehouse.query("SELECT sum(w) AS s FROM visning").column("s").to_pylist() == [200]
    assert set(timed) == {"mellem", "tal", "visning", "COMMIT"}
    assert all(seconds >= 0 for seconds in timed.values())


def test_the_warehouse_is_itself_again_afterwards(tmp_path: Path) -> None:
    from handistat.stores import warehouse as module

    before = (module._create, module.Warehouse.materialise)
    with _timed_steps(True, {}):
        assert (module._create, module.Warehouse.materialise) != before
    assert (module._create, module.Warehouse.materialise) == before
