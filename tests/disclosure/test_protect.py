"""Disclosure control on tiny linked tables (R-SDC-1..3): known answers, an independent
brute-force attacker, differencing across tables and vintages, determinism, a property."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from attacker import Constraint, brute_force, lp_bounds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny import count, dim, spec, units

from handistat.disclosure.protect import Protected, protect_tables
from handistat.disclosure.suppress import Parameters
from handistat.tables.cube import Cube
from handistat.tables.spec import Dimension, TableSpec

PARAMS = Parameters(k=3, p=3)
KOMMUNE = dim("kommune", ["101", "147", "151"])
KOEN = dim("koen", ["D", "P"], person_attribute=True)
ALDER = dim("alder", ["A", "B"], person_attribute=True)


def _inner(columns: Sequence[Dimension]) -> list[tuple[str, ...]]:
    return list(itertools.product(*(tuple(c.code for c in d.leaves) for d in columns)))


def attacker_view(
    tables: Sequence[tuple[TableSpec, Cube]], protected: Protected, columns: Sequence[Dimension]
) -> tuple[int, list[Constraint], dict[str, frozenset[int]], dict[str, int]]:
    """The inner model of the tables: what is published as sums of inner cells, and each
    suppressed cell as the inner cells it sums (with its true value for the test)."""
    inner = _inner(columns)
    names = [d.column or "" for d in columns]
    published: list[Constraint] = []
    hidden: dict[str, frozenset[int]] = {}
    truth: dict[str, int] = {}
    for spec_, raw in tables:
        shown = protected.tables[spec_.id]
        for key in raw.keys():  # noqa: SIM118 (Cube.keys, not a dict)
            wanted = {
                d.column: code
                for d, code in zip(spec_.dimensions, key, strict=False)
                if code != "T"
            }
            cells = frozenset(
                i
                for i, combo in enumerate(inner)
                if all(combo[names.index(c)] == v for c, v in wanted.items())
            )
            if shown.values[key] is None:
                hidden[f"{spec_.id}{key}"] = cells
                truth[f"{spec_.id}{key}"] = raw.values[key] or 0
            else:
                published.append((cells, shown.values[key] or 0))
    return len(inner), published, hidden, truth


def _make(rows: dict[tuple[str, ...], int], *specs: TableSpec) -> list[tuple[TableSpec, Cube]]:
    records = units(rows, ["kommune", "koen", "alder"])
    return [(s, count(s, records, ["2025"])) for s in specs]


def _columns(tables: Sequence[tuple[TableSpec, Cube]]) -> list[Dimension]:
    """The inner model's dimensions: every column some table splits by (first seen first)."""
    found: dict[str, Dimension] = {}
    for spec_, _ in tables:
        for d in spec_.dimensions:
            found.setdefault(d.column or "", d)
    return list(found.values())


def _check_attacker(tables: list[tuple[TableSpec, Cube]], protected: Protected) -> None:
    n, published, hidden, truth = attacker_view(tables, protected, _columns(tables))
    cap = max(truth.values(), default=0) + PARAMS.p
    possible = brute_force(n, published, hidden, cap)
    for name, values in possible.items():
        assert truth[name] in values, name
        assert len(values) >= 2, f"{name} is determined: {values}"
        if 0 < truth[name] < PARAMS.k:
            assert max(values) - min(values) >= PARAMS.p, f"{name}: {sorted(values)}"


def test_known_answer_rectangle() -> None:
    # R-SDC-1/2, by hand: 101/D = 1 is primary. The cheapest cover is the rectangle 101/P (5,
    # the only inner cell left in its row), 102/D (4, smallest in column D) and 102/P (6,
    # closing the rectangle); the attacker then knows 101/D = t, 101/P = 6-t, 102/D = 5-t,
    # 102/P = 5+t with t in [0, 5].
    t1 = spec("T1", dim("kommune", ["101", "102", "103"]), KOEN)
    rows = {("101", "D", "A"): 1, ("101", "P", "A"): 5, ("102", "D", "A"): 4}
    rows |= {("102", "P", "A"): 6, ("103", "D", "A"): 7, ("103", "P", "A"): 8}
    protected = protect_tables(_make(rows, t1), PARAMS)
    hidden = {k for k, v in protected.tables["T1"].values.items() if v is None}
    assert hidden == {
        ("101", "D", "2025"),
        ("101", "P", "2025"),
        ("102", "D", "2025"),
        ("102", "P", "2025"),
    }
    intervals = {c["celle"]: c["interval"] for c in protected.report["celler"]}
    assert intervals["tiny_fact/enheder/2025[koen=D,kommune=101]"] == [0.0, 5.0]
    assert intervals["tiny_fact/enheder/2025[koen=P,kommune=102]"] == [5.0, 10.0]
    assert protected.report["bestaaet"]
    assert protected.report["antal"]["primaer"] == 1
    assert protected.report["antal"]["sekundaer"] == 3


def test_zeros_are_published_and_never_cover() -> None:
    t1 = spec("T1", dim("kommune", ["101", "102", "103"]), KOEN)
    rows = {("101", "D", "A"): 1, ("101", "P", "A"): 9, ("102", "P", "A"): 6}
    rows |= {("103", "D", "A"): 7, ("103", "P", "A"): 8}
    protected = protect_tables(_make(rows, t1), PARAMS)
    assert protected.tables["T1"].values[("102", "D", "2025")] == 0
    _check_attacker(_make(rows, t1), protected)


def test_linked_tables_share_one_status_and_resist_brute_force() -> None:
    # T1 and T2 share the municipal totals; T3 is the national sex × age table.
    t1, t2, t3 = spec("T1", KOMMUNE, KOEN), spec("T2", KOMMUNE, ALDER), spec("T3", KOEN, ALDER)
    rows = {("101", "D", "A"): 1, ("101", "P", "B"): 4, ("147", "D", "A"): 3}
    rows |= {("147", "P", "A"): 2, ("147", "D", "B"): 5, ("151", "P", "B"): 6, ("151", "D", "A"): 2}
    tables = _make(rows, t1, t2, t3)
    protected = protect_tables(tables, PARAMS)
    assert protected.passed
    for code in ("101", "147", "151", "T"):
        shared = {protected.tables["T1"].values[(code, "T", "2025")]}
        shared.add(protected.tables["T2"].values[(code, "T", "2025")])
        assert len(shared) == 1, code  # one logical cell, one status
    _check_attacker(tables, protected)


def test_differencing_through_landsdel() -> None:
    # 101 and 147 form landsdel 01 (kommune → landsdel from the packaged classification).
    t1 = spec("T1", KOMMUNE)
    t2 = spec("T2", dim("landsdel", ["01", "02"]))
    records = [
        {"enhed": str(i), "person": str(i), "aar": "2025", "kommune": k, "landsdel": ld}
        for i, (k, ld) in enumerate([("101", "01")] + [("147", "01")] * 9 + [("151", "02")] * 7)
    ]
    tables = [(s, count(s, records, ["2025"])) for s in (t1, t2)]
    protected = protect_tables(tables, PARAMS)
    shown1, shown2 = protected.tables["T1"].values, protected.tables["T2"].values
    assert shown1[("101", "2025")] is None
    # without the landsdel relation, 101 = 01 - 147 would be published
    assert shown1[("147", "2025")] is None or shown2[("01", "2025")] is None
    assert protected.passed


def test_differencing_across_vintages() -> None:
    # The earlier vintage published every cell of T1 for 2025 (101/D was 4 then, and the row
    # and column totals with it). The cells it published with today's value are known: they
    # cannot hide 101/D = 1 now, so cover comes from the revised cells and from 103.
    t1 = spec("T1", dim("kommune", ["101", "102", "103"]), KOEN)
    rows = {("101", "D", "A"): 1, ("101", "P", "A"): 5, ("102", "D", "A"): 4}
    rows |= {("102", "P", "A"): 6, ("103", "D", "A"): 7, ("103", "P", "A"): 8}
    tables = _make(rows, t1)
    old = dict(tables[0][1].values)
    old[("101", "D", "2025")] = 4
    for key in (("101", "T", "2025"), ("T", "D", "2025"), ("T", "T", "2025")):
        old[key] = (old[key] or 0) + 3
    earlier = [("T1", Cube("T1", "", "", tables[0][1].dimensions, old))]
    protected = protect_tables(tables, PARAMS, earlier=earlier)
    shown = protected.tables["T1"].values
    unchanged = [k for k, v in old.items() if tables[0][1].values[k] == v]
    assert all(shown[k] is not None for k in unchanged)
    assert protected.passed
    # the attacker: published now plus the unchanged cells of the earlier vintage
    n, published, hidden, _ = attacker_view(tables, protected, _columns(tables))
    low, high = lp_bounds(n, published, hidden["T1('101', 'D', '2025')"])
    assert high - low >= PARAMS.p


def test_excluded_municipality_is_protected() -> None:
    t1 = spec("T1", KOMMUNE, KOEN)
    rows = {("101", "D", "A"): 10, ("101", "P", "A"): 12, ("147", "D", "A"): 30}
    rows |= {("147", "P", "A"): 25, ("151", "D", "A"): 9, ("151", "P", "A"): 14}
    tables = _make(rows, t1)
    protected = protect_tables(tables, PARAMS, excluded_municipalities=["147"])
    shown = protected.tables["T1"].values
    assert all(shown[("147", s, "2025")] is None for s in ("T", "D", "P"))
    statuses = {c["status"] for c in protected.report["celler"]}
    assert "udeladt" in statuses
    size, published, hidden, _ = attacker_view(tables, protected, _columns(tables))
    for name in (h for h in hidden if "147" in h):
        low, high = lp_bounds(size, published, hidden[name])
        assert high > low, name


def test_same_input_same_pattern() -> None:
    t1, t2 = spec("T1", KOMMUNE, KOEN), spec("T2", KOMMUNE, ALDER)
    rows = {("101", "D", "A"): 1, ("101", "P", "B"): 4, ("147", "D", "A"): 3, ("151", "P", "B"): 2}
    first = protect_tables(_make(rows, t1, t2), PARAMS)
    again = protect_tables(list(reversed(_make(rows, t1, t2))), PARAMS)
    assert first.report == again.report
    assert first.tables == again.tables


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=6), min_size=12, max_size=12), st.integers(0, 3))
def test_property_audit_passes_and_inner_attacker_agrees(counts: list[int], which: int) -> None:
    # R-SDC-3 against an attacker who knows the inner model, whatever the counts.
    inner = _inner((KOMMUNE, KOEN, ALDER))
    rows = {combo: n for combo, n in zip(inner, counts, strict=True) if n}
    choices = [("T1", KOMMUNE, KOEN), ("T2", KOMMUNE, ALDER), ("T3", KOEN, ALDER)]
    picked = [spec(t, *d) for t, *d in random.Random(which).sample(choices, k=2 + which % 2)]
    tables = _make(rows, *picked) if rows else []
    if not tables:
        return
    protected = protect_tables(tables, PARAMS)
    assert protected.passed, protected.report["fejl"]
    n, published, hidden, truth = attacker_view(tables, protected, _columns(tables))
    for name, cells in hidden.items():
        low, high = lp_bounds(n, published, cells)
        assert high > low, name
        if 0 < truth[name] < PARAMS.k:
            assert high - low >= PARAMS.p, (name, low, high)
