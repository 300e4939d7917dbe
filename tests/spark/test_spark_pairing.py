"""R-IN-8 on Spark (issue 10): the six pairing rounds run with the lineage cut per step and
give the greedy pairs; before, the third round ran out of heap."""

from __future__ import annotations

from typing import Any

import pytest
from tests.register.pairing_cases import FOUR_BY_FOUR, PAIRS, STEPS, greedy, inputs

pytestmark = pytest.mark.spark


def test_four_by_four_pairs_completely_on_spark(runner: Any) -> None:
    table = runner.run(STEPS, PAIRS, inputs(FOUR_BY_FOUR))
    pairs = set(zip(*table.to_pydict().values(), strict=True))
    assert pairs == greedy(FOUR_BY_FOUR) == {("a0", "b0"), ("a1", "b1"), ("a2", "b2"), ("a3", "b3")}
