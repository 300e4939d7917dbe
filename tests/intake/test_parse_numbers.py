"""Row numbers of a parsed CSV (R-IN-2 row-level reasons name the file's line): the vectorised
numbering (issue 15) against the obvious loop, and a file of many 1 MiB blocks with rows of
the wrong field count in every block."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from handistat.intake.parse import BLOCK_SIZE, ROW, parse_csv, row_numbers


def loop_numbers(first: int, count: int, skipped: set[int]) -> list[int]:
    """The numbering before issue 15: one number at a time, skipping the left-out rows."""
    numbers: list[int] = []
    row = first
    while len(numbers) < count:
        if row not in skipped:
            numbers.append(row)
        row += 1
    return numbers


@settings(max_examples=300, deadline=None)
@given(
    first=st.integers(2, 60),
    count=st.integers(0, 40),
    skipped=st.sets(st.integers(0, 120), max_size=30),
)
def test_row_numbers_equal_the_loop(first: int, count: int, skipped: set[int]) -> None:
    assert row_numbers(first, count, sorted(skipped)).tolist() == loop_numbers(
        first, count, skipped
    )


def test_known_answer() -> None:
    # lines 2, 3 fine, 4 left out, 5, 6 left out, 7: four rows are lines 2, 3, 5, 7
    assert row_numbers(2, 4, [4, 6]).tolist() == [2, 3, 5, 7]
    assert row_numbers(2, 0, [2]).tolist() == []


def test_a_large_file_keeps_every_line_number(tmp_path: Path) -> None:
    lines = ["a;b;c"]
    ragged: list[int] = []
    for line in range(2, 120_002):
        if line % 997 == 0:
            lines.append(f"{line};x")  # two fields: left out by the parser
            ragged.append(line)
        else:
            lines.append(f"{line};{'y' * 20};z")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 2 * BLOCK_SIZE  # several blocks, so several batches
    body = parse_csv(path, {"a", "b", "c"}, {"a", "b", "c"})
    batches = list(body.batches)
    assert len(batches) > 1
    for batch in batches:
        # each kept row's first field is its own line number
        assert [int(v) for v in batch.column(0).to_pylist()] == batch.column(ROW).to_pylist()
    kept = sum(b.num_rows for b in batches)
    assert kept == 120_000 - len(ragged)
    assert [e.row for e in body.row_errors] == ragged
    assert {e.code for e in body.row_errors} == {"WRONG_FIELD_COUNT"}
