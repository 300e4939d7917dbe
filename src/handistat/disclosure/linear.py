"""Which suppressed cells the published cells determine exactly: Gaussian elimination.

The equalities among cells are rows of a 0/±1 matrix E. With the published cells moved to the
right-hand side, a suppressed cell p is determined exactly when its column of E (restricted
to the suppressed cells) is not a combination of the other suppressed columns; in reduced row
echelon form, when p is a pivot column whose row has no entry in any free column. The
elimination runs per connected group of suppressed cells, exactly, modulo the prime 2³¹ − 1
(the entries stay integers; for 0/±1 matrices of this size a false answer would need the
prime to divide a minor, which we accept as never).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from handistat.disclosure.relations import EQUAL, Relation

PRIME = 2_147_483_647


def _restricted(
    relations: Sequence[Relation], suppressed: set[int]
) -> tuple[list[dict[int, int]], list[int]]:
    """The equalities restricted to the suppressed cells, and each one's relation index."""
    rows: list[dict[int, int]] = []
    ids: list[int] = []
    for i, relation in enumerate(relations):
        if relation.kind != EQUAL:
            continue
        entries: dict[int, int] = {}
        if relation.total in suppressed:
            entries[relation.total] = 1
        for part in relation.parts:
            if part in suppressed:
                entries[part] = -1
        if entries:
            rows.append(entries)
            ids.append(i)
    return rows, ids


def components(rows: Sequence[Mapping[int, float]]) -> list[tuple[list[int], list[int]]]:
    """Groups of (row indices, cells) linked by sharing a cell, in a fixed order."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        first, *rest = sorted(row)
        for cell in rest:
            parent[find(cell)] = find(first)
    groups: dict[int, tuple[list[int], set[int]]] = {}
    for i, row in enumerate(rows):
        root = find(next(iter(row)))
        group = groups.setdefault(root, ([], set()))
        group[0].append(i)
        group[1].update(row)
    return [(r, sorted(c)) for r, c in sorted(groups.values(), key=lambda g: min(g[1]))]


def _pivot_rows(matrix: NDArray[np.int64]) -> list[tuple[int, int]]:
    """Reduce `matrix` in place to reduced row echelon form mod PRIME; (row, pivot column)."""
    n_rows, n_cols = matrix.shape
    pivots: list[tuple[int, int]] = []
    r = 0
    for c in range(n_cols):
        if r == n_rows:
            break
        nonzero = np.flatnonzero(matrix[r:, c])
        if nonzero.size == 0:
            continue
        p = r + int(nonzero[0])
        if p != r:
            matrix[[r, p]] = matrix[[p, r]]
        inverse = pow(int(matrix[r, c]), PRIME - 2, PRIME)
        matrix[r] = (matrix[r] * inverse) % PRIME
        column = matrix[:, c].copy()
        column[r] = 0
        others = np.flatnonzero(column)
        if others.size:
            update = (column[others, None] * matrix[r]) % PRIME
            matrix[others] = (matrix[others] - update) % PRIME
        pivots.append((r, c))
        r += 1
    return pivots


GroupCache = dict[tuple[tuple[int, ...], tuple[int, ...]], frozenset[int]]


def determined_groups(
    relations: Sequence[Relation], suppressed: set[int], cache: GroupCache | None = None
) -> list[set[int]]:
    """Per linked group of suppressed cells, those whose value follows exactly from the
    published ones (groups with none are left out). A group met before with the same cells and
    equalities is answered from `cache` (suppression adds one cell at a time)."""
    rows, ids = _restricted(relations, suppressed)
    groups = []
    for row_ids, cells in components(rows):
        signature = (tuple(cells), tuple(ids[i] for i in row_ids))
        found = cache.get(signature) if cache is not None else None
        if found is None:
            found = _determined_in(cells, [rows[i] for i in row_ids])
            if cache is not None:
                cache[signature] = found
        if found:
            groups.append(set(found))
    return groups


def _determined_in(cells: Sequence[int], rows: Sequence[Mapping[int, int]]) -> frozenset[int]:
    position = {cell: j for j, cell in enumerate(cells)}
    matrix = np.zeros((len(rows), len(cells)), dtype=np.int64)
    for i, row in enumerate(rows):
        for cell, coefficient in row.items():
            matrix[i, position[cell]] = coefficient % PRIME
    pivots = _pivot_rows(matrix)
    return frozenset(cells[c] for r, c in pivots if np.count_nonzero(matrix[r]) == 1)


def determined(relations: Sequence[Relation], suppressed: set[int]) -> set[int]:
    """The suppressed cells whose value follows exactly from the published ones."""
    return set().union(*determined_groups(relations, suppressed))
