"""R-IN-8 (issue 10): the SQL pairing rounds equal the plain greedy loop, also where many
identical copies compete (two rounds left copies of four-by-four groups unpaired)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.register.pairing_cases import FOUR_BY_FOUR, PAIRS, STEPS, Loan, greedy, inputs

from handistat.stores.warehouse import Warehouse


def _sql_pairs(loans: list[Loan]) -> set[tuple[str, str]]:
    table = Warehouse(":memory:").run(STEPS, PAIRS, inputs(loans))
    return set(zip(*table.to_pydict().values(), strict=True))


def test_four_identical_copies_on_each_side_pair_completely() -> None:
    # by hand: distance 0 everywhere; greedy takes a0-b0, a1-b1, a2-b2, a3-b3
    assert _sql_pairs(FOUR_BY_FOUR) == {("a0", "b0"), ("a1", "b1"), ("a2", "b2"), ("a3", "b3")}


def test_a_pair_names_the_recipients_ten_digit_cpr() -> None:
    """The staff report of pairs shows the CPR as delivered, ten digits with its leading
    zero, though the loans carry it only as `person_id` (issue 15)."""
    table = Warehouse(":memory:").run(
        STEPS, "SELECT DISTINCT cpr FROM genbrug_dubletter", inputs(FOUR_BY_FOUR)
    )
    assert table.column("cpr").to_pylist() == ["0101501001"]


@st.composite
def bucket(draw: st.DrawFn) -> list[Loan]:
    """Up to six loans per system, dates within a week (many ties and chains)."""
    old = draw(st.lists(st.integers(1, 7), max_size=6))
    new = draw(st.lists(st.integers(1, 7), max_size=6))
    return [("A", f"a{i}", d) for i, d in enumerate(old)] + [
        ("B", f"b{i}", d) for i, d in enumerate(new)
    ]


@settings(max_examples=150, deadline=None)
@given(bucket())
def test_rounds_equal_the_greedy_loop(loans: list[Loan]) -> None:
    assert _sql_pairs(loans) == greedy(loans)
