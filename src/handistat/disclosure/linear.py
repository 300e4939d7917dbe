"""Linear algebra over the equalities between cells: what the published cells determine.

The equalities among cells are rows of a 0/±1 matrix E. With the published cells moved to the
right-hand side, a suppressed cell p is determined exactly when the unit vector of p lies in
the row space of E restricted to the suppressed cells; in reduced row echelon form, when p is
a pivot column whose row has no other entry. `determined` answers that for a pattern;
`publishable` builds a pattern in one pass (Gaussian suppression). Arithmetic is exact,
modulo the prime 2³¹ − 1 (the entries stay integers; for 0/±1 matrices of this size a false
answer would need the prime to divide a minor, which we accept as never), per connected group
of cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

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


def determined(relations: Sequence[Relation], suppressed: set[int]) -> set[int]:
    """The suppressed cells whose value follows exactly from the published ones."""
    rows, _ = _restricted(relations, suppressed)
    found: set[int] = set()
    for row_ids, cells in components(rows):
        position = {cell: j for j, cell in enumerate(cells)}
        matrix = np.zeros((len(row_ids), len(cells)), dtype=np.int64)
        for i, r in enumerate(row_ids):
            for cell, coefficient in rows[r].items():
                matrix[i, position[cell]] = coefficient % PRIME
        for r, c in _pivot_rows(matrix, len(cells)):
            if np.count_nonzero(matrix[r]) == 1:
                found.add(cells[c])
    return found


def publishable(
    relations: Sequence[Relation],
    publish_order: Sequence[int],
    hidden: Iterable[int],
    protected: set[int],
) -> set[int]:
    """One pass of Gaussian suppression: the cells of `publish_order` that must stay hidden.

    Every cell of `publish_order` (most wanted published first) is published unless that,
    with the cells published before it, would determine a `protected` cell exactly; `hidden`
    cells (the protected ones among them) are never published, cells in neither are known
    already. In the relation space: the equalities over the unknown cells are kept in reduced
    row echelon form, columns in the reverse of the publishing order (so the cells published
    first are mostly free columns, whose publication only deletes entries); a protected cell
    is determined exactly when its row has no other entry. Publishing a pivot column re-pivots
    its row on its next entry. Refusing a cell leaves the matrix as it was.
    """
    keep = set(hidden)
    order = list(publish_order)
    position = {cell: i for i, cell in enumerate(sorted(keep, reverse=True))}
    for cell in reversed(order):
        position[cell] = len(position)
    rows, _ = _restricted(relations, set(position))
    refused: set[int] = set()
    for row_ids, cells in components(rows):
        ordered = sorted(cells, key=position.__getitem__)
        refused |= _publish_in([rows[i] for i in row_ids], ordered, keep, protected)
    return refused


def _publish_in(
    rows: Sequence[Mapping[int, int]],
    cells: Sequence[int],
    keep: set[int],
    protected: set[int],
) -> set[int]:
    """`publishable` for one linked group; `cells` in pivot order (published last first)."""
    n = len(cells)
    column = {cell: j for j, cell in enumerate(cells)}
    matrix = np.zeros((len(rows), n), dtype=np.int64)
    for i, row in enumerate(rows):
        for cell, coefficient in row.items():
            matrix[i, column[cell]] = coefficient % PRIME
    pivots = _pivot_rows(matrix, n)
    matrix = matrix[: len(pivots)]
    row_of = {c: r for r, c in pivots}
    pivot_of = np.array([c for _, c in pivots], dtype=np.int64)
    guarded = np.array([cell in protected for cell in cells], dtype=bool)
    count = np.count_nonzero(matrix, axis=1)
    refused: set[int] = set()
    for j in range(n - 1, -1, -1):
        if cells[j] in keep:
            continue
        r = row_of.get(j)
        if r is None:
            holders = np.flatnonzero(matrix[:, j])
            if np.any((count[holders] == 2) & guarded[pivot_of[holders]]):
                refused.add(cells[j])
                continue
            matrix[holders, j] = 0
            count[holders] -= 1
            continue
        rest = matrix[r].copy()
        rest[j] = 0
        entries = np.flatnonzero(rest)
        if entries.size == 0:
            matrix[r] = rest
            count[r] = 0
            del row_of[j]
            continue
        c = int(entries[0])
        if entries.size == 1 and guarded[c]:
            refused.add(cells[j])
            continue
        rest = (rest * pow(int(rest[c]), PRIME - 2, PRIME)) % PRIME
        others = np.flatnonzero(matrix[:, c])
        others = others[others != r]
        changed = (matrix[others] - (matrix[others, c][:, None] * rest) % PRIME) % PRIME
        changed_count = np.count_nonzero(changed, axis=1)
        if np.any((changed_count == 1) & guarded[pivot_of[others]]):
            refused.add(cells[j])
            continue
        matrix[r] = rest
        matrix[others] = changed
        count[r] = entries.size
        count[others] = changed_count
        del row_of[j]
        row_of[c] = r
        pivot_of[r] = c
    return refused
