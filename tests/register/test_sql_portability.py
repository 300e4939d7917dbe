"""R-PERF-6: every register step is conservative SQL that SQLGlot can carry to Spark."""

from __future__ import annotations

import pytest

from handistat.register.genbrug import genbrug_steps
from handistat.register.handbu import handbu_steps
from handistat.register.sql import transpile

STEPS = [*handbu_steps([2023, 2024]), *genbrug_steps([2022, 2023], 3, False)]


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_step_transpiles_to_spark(step: object) -> None:
    sql = transpile(step.sql)  # type: ignore[attr-defined]
    assert "SELECT" in sql.upper()
    assert "9999-12-31" not in sql or "+ INTERVAL" not in sql.upper()  # no sentinel arithmetic


def test_no_lag_in_episode_logic() -> None:
    text = " ".join(s.sql.upper() for s in handbu_steps([2023]))
    assert "LAG(" not in text
    assert "ROWS BETWEEN" in text
