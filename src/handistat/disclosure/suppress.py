"""Primary and secondary suppression over the joint cells of a release (R-SDC-1, R-SDC-2).

Primary: every count 1..k-1. Cells that must be hidden for other reasons (an excluded
municipality, R-VAL-5) join them as *protected* cells. Secondary suppression:

1. **Gaussian suppression, one pass** (`linear.publishable`, Statistics Norway's
   GaussSuppression in the space of the relations): every other cell, the most wanted
   published first (zeros, then totals, then large inner cells), is published unless that
   would let the equalities determine a protected cell exactly. No protected cell is then
   determined by linear algebra, in one elimination, without rounds.
2. Top-up rounds, repeated until nothing changes, for what linear algebra does not see:
   a. every equality that holds a protected cell hides, besides it, cells worth at least p
      (so that one relation alone cannot pin it down to fewer than p values);
   b. the LP audit (`audit.audit`, pooled: pass or fail): a primary narrowed below p, or any
      protected cell fixed, gets the cheapest published cell of a relation that holds its
      bound (a non-zero dual);
   c. the same over the inner cells of unit counts (`inner.inner_audit`).

Cost prefers small inner cells and spares totals: candidates are ranked by whether the cell
is the total of any relation, then its value, then its key, so the same input always gives the
same pattern. Zeros are published (R-SDC-1); a zero is hidden as cover only when no nonzero
cell can serve (a tiny or sparse table), and cells already known from an earlier vintage never
cover. A left-out municipality's zero cells are shown as ``..`` but need no protection: a
published zero total says the same. At the end a secondary cell that the published cells still
determine (exact audit) is published after all: it hides nothing. A secondary cell only the
inner cells fix stays hidden (an over-suppression, never a disclosure).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from handistat.disclosure.audit import Interval, audit, wide_enough
from handistat.disclosure.cells import CellSet
from handistat.disclosure.inner import InnerResult
from handistat.disclosure.linear import publishable
from handistat.disclosure.relations import LINEAR, PERSONS, PERSONS_LOWER, RESIDUAL, Relation

PRIMARY = "primær"
SECONDARY = "sekundær"
EXCLUDED = "udeladt"
MAX_ROUNDS = 500
ALL_KINDS = LINEAR | {RESIDUAL, PERSONS, PERSONS_LOWER}


@dataclass(frozen=True)
class Parameters:
    k: int = 3
    """Counts 1..k-1 are sensitive."""
    p: int = 3
    """A primary cell's interval must be at least p wide."""


@dataclass
class Pattern:
    """The outcome: status of every suppressed cell and the audit of the final pattern."""

    status: dict[int, str] = field(default_factory=dict)
    intervals: dict[int, Interval] = field(default_factory=dict)
    inner: dict[int, Interval] = field(default_factory=dict)
    """Unit cells under the inner-cell model: a range the cell is known to take at least."""
    known: set[int] = field(default_factory=set)
    """Protected cells that an earlier vintage already published with the same value."""
    rounds: int = 0

    @property
    def suppressed(self) -> set[int]:
        return set(self.status)


@dataclass
class _Problem:
    cells: CellSet
    relations: Sequence[Relation]
    params: Parameters
    protected: set[int]
    constants: set[int]
    by_cell: dict[int, list[int]] = field(default_factory=dict)
    inner_intervals: dict[int, Interval] = field(default_factory=dict)
    """The last inner-cell audit (of the protected cells), and the pattern it audited."""
    inner_for: set[int] = field(default_factory=set)
    rank: dict[int, tuple[bool, bool, int, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        totals = {r.total for r in self.relations}
        for i, relation in enumerate(self.relations):
            for cell in relation.cells():
                self.by_cell.setdefault(cell, []).append(i)
        self.rank = {
            c: (
                self.cells.values[c] == 0,
                c in totals,
                self.cells.values[c],
                self.cells.keys[c].label(),
            )
            for c in range(len(self.cells))
        }

    def candidates(self, relation_ids: Iterable[int], hidden: set[int]) -> list[int]:
        found = {
            c
            for i in relation_ids
            for c in self.relations[i].cells()
            if c not in hidden and c not in self.constants
        }
        return sorted(found, key=self.rank.__getitem__)

    def cover(self, around: Iterable[int], hidden: set[int], kinds: frozenset[str]) -> int | None:
        """The cheapest cell to hide in a relation (of `kinds`) of any cell in `around`."""
        ids = {
            i for c in around for i in self.by_cell.get(c, []) if self.relations[i].kind in kinds
        }
        found = self.candidates(sorted(ids), hidden)
        return found[0] if found else None


def primary(cells: CellSet, params: Parameters) -> set[int]:
    return {i for i, v in enumerate(cells.values) if 0 < v < params.k}


def _row_rule(problem: _Problem, hidden: set[int]) -> bool:
    """Round 1: enough other hidden value in each equality around a protected cell."""
    changed = False
    values = problem.cells.values
    for i, relation in enumerate(problem.relations):
        if relation.kind not in LINEAR:
            continue
        members = [c for c in relation.cells() if c in hidden]
        guarded = [values[c] for c in members if c in problem.protected]
        if not guarded:
            continue
        while len(members) == 1 or sum(values[c] for c in members) - max(guarded) < (
            problem.params.p
        ):
            found = problem.candidates([i], hidden)
            if not found:
                break
            hidden.add(found[0])
            members.append(found[0])
            changed = True
    return changed


def failures(problem: _Problem, intervals: dict[int, Interval]) -> list[int]:
    bad = []
    for cell, interval in sorted(intervals.items()):
        if cell not in problem.protected:
            continue
        need = problem.params.p if 0 < problem.cells.values[cell] < problem.params.k else 0
        if not wide_enough(interval.width, need):
            bad.append(cell)
    return bad


def _audit_round(problem: _Problem, hidden: set[int]) -> bool:
    """Round 3: the LP audit of the protected cells (pooled: pass or fail, not exact ranges).
    A failing cell gets the cheapest published cell of a relation that holds its bound (a
    non-zero dual), so each cover widens the interval where it is narrow."""
    need = {c: n for c, n in _needs(problem, hidden).items() if c in problem.protected}
    binding: dict[int, set[int]] = {}
    intervals = audit(problem.relations, problem.cells.values, hidden, need, binding)
    changed = False
    for cell in failures(problem, intervals):
        found = problem.candidates(sorted(binding.get(cell, ())), hidden)
        around = {c for i in problem.by_cell.get(cell, []) for c in problem.relations[i].cells()}
        extra = (
            found[0]
            if found
            else problem.cover([cell], hidden, ALL_KINDS)
            or problem.cover(sorted(around & hidden), hidden, ALL_KINDS)
        )
        if extra is not None:
            hidden.add(extra)
            changed = True
    return changed


InnerAudit = Callable[[set[int], Mapping[int, float]], "InnerResult"]
"""The inner-cell audit (`inner.inner_audit` bound to the tables): hidden cells, the width
each needs → the intervals of the hidden unit cells."""


def _needs(problem: _Problem, hidden: set[int]) -> dict[int, float]:
    k, p = problem.params.k, problem.params.p
    return {c: (p if 0 < problem.cells.values[c] < k else 0) for c in hidden}


def _inner_round(problem: _Problem, hidden: set[int], inner: InnerAudit) -> bool:
    """Round 4: the same top-up where the inner cells narrow a protected cell further."""
    need = {c: n for c, n in _needs(problem, hidden).items() if c in problem.protected}
    result = inner(hidden, need)
    problem.inner_intervals = result.intervals
    problem.inner_for = set(hidden)
    changed = False
    for cell in failures(problem, result.intervals):
        bound_by = [c for c in result.binding.get(cell, []) if c not in problem.constants]
        bound_by.sort(key=problem.rank.__getitem__)
        extra = bound_by[0] if bound_by else problem.cover([cell], hidden, ALL_KINDS)
        if extra is not None and extra not in hidden:
            hidden.add(extra)
            changed = True
    return changed


def _release_determined(
    problem: _Problem, hidden: set[int], intervals: Mapping[int, Interval]
) -> set[int]:
    """Publish secondary cells the relations already fix: hiding them protects nothing, and
    publishing them changes no interval, in this audit or the inner-cell one."""
    released = {
        cell
        for cell, interval in intervals.items()
        if cell in hidden and cell not in problem.protected and interval.width <= 0
    }
    hidden -= released
    return released


def _top_up(problem: _Problem, hidden: set[int], inner: InnerAudit | None, rounds: int) -> int:
    """Rounds 1-4 until nothing changes; the number of rounds run so far."""
    while rounds < MAX_ROUNDS:
        rounds += 1
        if _row_rule(problem, hidden):
            continue
        changed = _audit_round(problem, hidden)
        if not changed and inner is not None:
            changed = _inner_round(problem, hidden, inner)
        if not changed:
            break
    return rounds


def protect(
    cells: CellSet,
    relations: Sequence[Relation],
    params: Parameters,
    forced: Iterable[int] = (),
    constants: Iterable[int] = (),
    inner: InnerAudit | None = None,
) -> Pattern:
    """The suppression pattern: primaries, `forced` cells (excluded), and secondaries.

    One pass of Gaussian suppression (`linear.publishable`, cheapest cells hidden last), then
    rounds 1-4 until the audits pass; secondary cells the exact audit finds fixed are
    published at the end (they hide nothing, and publishing them changes no interval).
    """
    known = set(constants)
    first = primary(cells, params)
    must = set(forced)
    protected = (first | {c for c in must if cells.values[c] > 0}) - known
    problem = _Problem(cells, relations, params, protected, known)
    hidden = protected | must
    candidates = [c for c in range(len(cells)) if c not in hidden and c not in known]
    candidates.sort(key=problem.rank.__getitem__, reverse=True)
    hidden |= publishable(relations, candidates, hidden, protected)
    rounds = _top_up(problem, hidden, inner, 0)
    if inner is not None and problem.inner_for != hidden:
        _inner_round(problem, hidden, inner)  # the record needs the final pattern's intervals
    intervals = audit(relations, cells.values, hidden)  # exact, for the record
    _release_determined(problem, hidden, intervals)
    pattern = Pattern(known=(first | must) & known, rounds=rounds)
    for cell in sorted(hidden):
        pattern.status[cell] = PRIMARY if cell in first else EXCLUDED if cell in must else SECONDARY
    pattern.intervals = {c: i for c, i in intervals.items() if c in hidden}
    pattern.inner = {c: i for c, i in problem.inner_intervals.items() if c in hidden}
    return pattern
