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


def _pivot_rows(matrix: NDArray[np.int64], n_pivot: int) -> list[tuple[int, int]]:
    """Reduce `matrix` in place to reduced row echelon form mod PRIME over its first `n_pivot`
    columns (the rest ride along); (row, pivot column)."""
    n_rows = matrix.shape[0]
    pivots: list[tuple[int, int]] = []
    r = 0
    for c in range(n_pivot):
        if r == n_rows:
            break
        nonzero = np.flatnonzero(matrix[r:, c])
        if nonzero.size == 0:
            continue
        p = r + int(nonzero[0])
        if p != r:
            matrix[[r, p]] = matrix[[p, r]]
        # row r is zero left of c (earlier pivots eliminated, skipped columns empty below)
        inverse = pow(int(matrix[r, c]), PRIME - 2, PRIME)
        matrix[r, c:] = (matrix[r, c:] * inverse) % PRIME
        column = matrix[:, c].copy()
        column[r] = 0
        others = np.flatnonzero(column)
        if others.size:
            update = (column[others, None] * matrix[r, c:]) % PRIME
            matrix[others, c:] = (matrix[others, c:] - update) % PRIME
        pivots.append((r, c))
        r += 1
    return pivots


Certificate = Mapping[int, int]
"""How a determined cell follows: relation index → multiplier (mod PRIME). The sum of the
equalities times their multipliers holds, among the suppressed cells, that cell alone."""
GroupCache = dict[tuple[tuple[int, ...], tuple[int, ...]], Mapping[int, Certificate]]


def determined_groups(
    relations: Sequence[Relation], suppressed: set[int], cache: GroupCache | None = None
) -> list[dict[int, Certificate]]:
    """Per linked group of suppressed cells, those whose value follows exactly from the
    published ones, each with its certificate (groups with none are left out). A group met
    before with the same cells and equalities is answered from `cache` (suppression adds a
    few cells at a time)."""
    rows, ids = _restricted(relations, suppressed)
    groups = []
    for row_ids, cells in components(rows):
        signature = (tuple(cells), tuple(ids[i] for i in row_ids))
        found = cache.get(signature) if cache is not None else None
        if found is None:
            local = _determined_in(cells, [rows[i] for i in row_ids])
            found = {
                cell: {ids[row_ids[j]]: k for j, k in certificate.items()}
                for cell, certificate in local.items()
            }
            if cache is not None:
                cache[signature] = found
        if found:
            groups.append(dict(found))
    return groups


def _determined_in(
    cells: Sequence[int], rows: Sequence[Mapping[int, int]]
) -> dict[int, dict[int, int]]:
    """Determined cells → their certificate over `rows` (row position → multiplier): the
    elimination carries an identity block that records which rows each reduced row mixes."""
    position = {cell: j for j, cell in enumerate(cells)}
    n = len(cells)
    matrix = np.zeros((len(rows), n + len(rows)), dtype=np.int64)
    for i, row in enumerate(rows):
        for cell, coefficient in row.items():
            matrix[i, position[cell]] = coefficient % PRIME
        matrix[i, n + i] = 1
    found = {}
    for r, c in _pivot_rows(matrix, n):
        if np.count_nonzero(matrix[r, :n]) == 1:
            mix = np.flatnonzero(matrix[r, n:])
            found[cells[c]] = {int(j): int(matrix[r, n + j]) for j in mix}
    return found


def determined(relations: Sequence[Relation], suppressed: set[int]) -> set[int]:
    """The suppressed cells whose value follows exactly from the published ones."""
    return {cell for group in determined_groups(relations, suppressed) for cell in group}


def breaking(relations: Sequence[Relation], certificate: Certificate) -> dict[int, int]:
    """Cell → its coefficient in the certified sum; hiding a cell with a nonzero coefficient
    makes that sum hold a second unknown, so it no longer gives the cell away."""
    sums: dict[int, int] = {}
    for i, multiplier in certificate.items():
        relation = relations[i]
        for cell, sign in ((relation.total, 1), *((p, -1) for p in relation.parts)):
            sums[cell] = (sums.get(cell, 0) + sign * multiplier) % PRIME
    return {cell: k for cell, k in sums.items() if k}
