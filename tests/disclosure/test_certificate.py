"""The Gaussian round's certificates (R-SDC-2, issue 9): which equalities give a determined
cell away, and which published cells break that derivation. Worked by hand."""

from __future__ import annotations

from handistat.disclosure.linear import PRIME, breaking, determined_groups
from handistat.disclosure.relations import EQUAL, Relation

# cells: 0 101T, 1 101/D, 2 101/P, 3 D total, 4 102/D, 5 103/D, 6 103T, 7 103/P
RELATIONS = [
    Relation(EQUAL, 0, (1, 2)),  # r0: 101T = 101/D + 101/P
    Relation(EQUAL, 3, (1, 4, 5)),  # r1: D total = 101/D + 102/D + 103/D
    Relation(EQUAL, 6, (5, 7)),  # r2: 103T = 103/D + 103/P
]


def test_a_determined_cell_comes_with_the_sum_that_gives_it_away() -> None:
    # hidden 101/D, 101/P, 103/D. Restricted rows over (x1, x2, x5): r0 = (-1, -1, 0),
    # r1 = (-1, 0, -1), r2 = (0, 0, -1); e1 = -r1 + r2, the only combination (rank 3).
    (group,) = determined_groups(RELATIONS, {1, 2, 5})
    assert set(group) == {1, 2, 5}
    assert group[1] == {1: PRIME - 1, 2: 1}
    # -r1 + r2 over every cell: D total -1, 101/D +1, 102/D +1, 103/D -1+1 = 0, 103T +1,
    # 103/P -1. Hiding any published one of 3, 4, 6, 7 breaks this derivation.
    assert breaking(RELATIONS, group[1]) == {3: PRIME - 1, 1: 1, 4: 1, 6: 1, 7: PRIME - 1}


def test_nothing_is_determined_once_the_derivation_is_broken() -> None:
    # 103/P hidden as well: 103/D and 103/P share r2 alone, 101/D follows from nothing
    assert determined_groups(RELATIONS, {1, 2, 5, 7}) == []
