"""Inputs for the R-IN-8 pairing steps alone, and the plain greedy loop they must equal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyarrow as pa

from handistat.register.genbrug import pairing_steps

Loan = tuple[str, str, int]  # (system, udlaan_id, day of January 2023)
PAIRS = "SELECT gammel_udlaan_id, ny_udlaan_id FROM genbrug_dubletter"
DAYS = 3


def inputs(loans: Sequence[Loan]) -> dict[str, pa.Table]:
    """One person and one device in municipality 101; system A switched to B."""
    skiftet = pa.table(
        {
            "indberetningskommune": pa.array(["101"] * len(loans), pa.string()),
            "kildesystem": pa.array([system for system, _, _ in loans], pa.string()),
            "delivery_id": pa.array([1 if s == "A" else 2 for s, _, _ in loans], pa.int64()),
            "udlaan_id": pa.array([loan_id for _, loan_id, _ in loans], pa.string()),
            "person_id": pa.array([101501001] * len(loans), pa.int64()),  # 0101501001, made up
            "hmi_nummer": pa.array([1001] * len(loans), pa.int64()),
            "udleveringsdato": pa.array(
                [dt.date(2023, 1, day) for _, _, day in loans], pa.date32()
            ),
        }
    )
    switch = pa.table(
        {"kommune": ["101"], "fra": ["A"], "til": ["B"], "dato": [dt.date(2023, 6, 1)]}
    )
    return {"genbrug_skiftet": skiftet, "systemskifte": switch}


def greedy(loans: Sequence[Loan]) -> set[tuple[str, str]]:
    """The rule as SPEC R-IN-8 states it: candidate pairs in the order (days apart, old id,
    new id); a pair is kept when neither loan is paired yet."""
    old = [(i, d) for s, i, d in loans if s == "A"]
    new = [(i, d) for s, i, d in loans if s == "B"]
    candidates = sorted(
        (abs(a_day - b_day), a, b)
        for a, a_day in old
        for b, b_day in new
        if abs(a_day - b_day) <= DAYS
    )
    taken: set[str] = set()
    pairs = set()
    for _, a, b in candidates:
        if f"A{a}" not in taken and f"B{b}" not in taken:
            taken |= {f"A{a}", f"B{b}"}
            pairs.add((a, b))
    return pairs


STEPS = pairing_steps(DAYS)
FOUR_BY_FOUR: list[Loan] = [("A", f"a{i}", 10) for i in range(4)] + [
    ("B", f"b{i}", 10) for i in range(4)
]
"""Four identical old and four identical new copies: four rounds of pairing, four pairs."""
