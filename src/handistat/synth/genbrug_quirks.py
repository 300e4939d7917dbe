"""What municipalities' GENBRUG data looks like besides real loans (seed 004 §3.5, §5.3).

Institution devices under fictitious CPR numbers, mistyped CPRs (also CPRs that lost their
leading zero in a spreadsheet), devices registered after the recipient's death, and return
dates before the delivery date. All of them are cleaned out by R-GB-2.
"""

from __future__ import annotations

import random
from collections import Counter

from handistat.synth.config import TODAY
from handistat.synth.cpr import typo
from handistat.synth.genbrug_catalogue import Catalogue
from handistat.synth.genbrug_loans import HISTORY_FROM, Loan

_INVALID_INSTITUTIONS = ("0000000000", "1234567890", "9999999999")


def institution_cprs(rng: random.Random) -> list[str]:
    """0-3 numbers a depot uses for schools and nursing homes: 1 January 1900, or nonsense."""
    numbers = [
        f"010100{rng.randrange(4)}{rng.randrange(1000):03d}" for _ in range(rng.randint(0, 2))
    ]
    if rng.random() < 0.4:
        numbers.append(rng.choice(_INVALID_INSTITUTIONS))
    return numbers


def _institution_rows(
    rng: random.Random, reporter: str, n: int, catalogue: Catalogue
) -> list[Loan]:
    numbers = institution_cprs(rng)
    rows = []
    for _ in range(n if numbers else 0):
        ud = rng.randint(HISTORY_FROM, TODAY.toordinal())
        ind = ud + rng.randint(30, 900) if rng.random() < 0.4 else 0
        rows.append(Loan(-1, rng.choice(numbers), reporter, reporter, catalogue.pick(rng), "",
                         ud, ind if ind <= TODAY.toordinal() else 0))  # fmt: skip
    return rows


def _after_death(rng: random.Random, loan: Loan, death: int, catalogue: Catalogue) -> Loan | None:
    ud = death + rng.randint(1, 60)
    if ud > TODAY.toordinal():
        return None
    return loan._replace(ud=ud, ind=0, hmi=catalogue.pick(rng))


def add_quirks(
    rng: random.Random,
    reporter: str,
    loans: list[Loan],
    deaths: dict[int, int],
    catalogue: Catalogue,
) -> tuple[list[Loan], Counter[str]]:
    """The municipality's rows with quirks planted; ``deaths``: person → death ordinal."""
    counts: Counter[str] = Counter()
    rows = list(loans)
    n = len(rows)
    for k in rng.sample(range(n), min(n, max(1, n // 400))):
        rows[k] = rows[k]._replace(cpr=typo(rows[k].cpr, rng))
        counts["invalid_cpr_typo"] += 1
    zeros = [k for k, r in enumerate(rows) if r.cpr.startswith("0") and r.person >= 0]
    for k in rng.sample(zeros, min(len(zeros), max(1, n // 800))):
        rows[k] = rows[k]._replace(cpr=rows[k].cpr[1:])
        counts["invalid_cpr_nine_digits"] += 1
    for k in rng.sample(range(n), min(n, max(1, n // 500))):
        r = rows[k]
        rows[k] = r._replace(ind=r.ud - rng.randint(1, 30), ud=r.ud)
        counts["returned_before_delivered"] += 1
    dead = [r for r in loans if r.person in deaths]
    for r in rng.sample(dead, min(len(dead), max(1, n // 300))):
        late = _after_death(rng, r, deaths[r.person], catalogue)
        if late:
            rows.append(late)
            counts["delivered_after_death"] += 1
    institutions = _institution_rows(rng, reporter, max(1, n // 150), catalogue)
    counts["institution_cpr"] += len(institutions)
    return rows + institutions, counts
