"""GENBRUG full loads: ``deliveries/genbrug/<kommune>_<kildesystem>_<udtraeksdato>.csv``.

Every quarter each depot system extracts everything it holds (SPEC §2.2, R-IN-7). A load
shows the loans delivered by its extract date, with return dates known by then. One
municipality switches vendor (R-IN-8): the old system's last full load is taken the day
before the cut-over, the new system holds the loans migrated from the old one (with a new
id, the delivery date moved by up to 3 days, mostly without paragraph) and everything new.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from handistat.synth.config import TODAY
from handistat.synth.cpr import with_dash
from handistat.synth.csvio import iso_ordinal, write_rows
from handistat.synth.genbrug_loans import Loan

COLUMNS = (
    "indberetningskommune", "betalingskommune", "udlaan_id", "hmi_nummer", "cpr", "paragraf",
    "udleveringsdato", "indleveringsdato",
)  # fmt: skip
SYSTEMS = ("Hjaelpemiddelsystem-A", "Hjaelpemiddelsystem-B", "Dialogvaerktoej")
NEW_SYSTEM = "Hjaelpemiddelsystem-C"
SWITCH_KOMMUNE = "751"
CUT_OVER = dt.date(2024, 3, 1)
_QUARTERS = tuple(
    (y, m) for y in range(2022, 2027) for m in (1, 4, 7, 10) if (2022, 10) <= (y, m) <= (2026, 4)
)
_ID_FORMATS = ("{n}", "UDL{n:09d}", "A-{n:07d}", "{k}-{n:08d}")
_ROW_ORDER = attrgetter("ud", "person", "hmi", "cpr")


@dataclass(frozen=True)
class Load:
    kommune: str
    system: str
    udtraeksdato: dt.date
    loans: list[Loan]


@dataclass(frozen=True)
class Depot:
    """How one municipality's depot system extracts."""

    kommune: str
    system: str
    day: int
    dash: bool
    id_format: str

    def extracts(self) -> list[dt.date]:
        return [dt.date(y, m, self.day) for y, m in _QUARTERS if dt.date(y, m, self.day) <= TODAY]


def depot(kommune: str, seed: int) -> Depot:
    rng = random.Random(f"{seed}:genbrug-depot:{kommune}")
    system = rng.choices(SYSTEMS, (45, 40, 15))[0]
    if kommune == SWITCH_KOMMUNE:
        system = SYSTEMS[0]
    return Depot(kommune, system, rng.randint(3, 20), rng.random() < 0.2, rng.choice(_ID_FORMATS))


def migrated(rng: random.Random, old: list[Loan]) -> list[Loan]:
    """Loans still out at the cut-over, as the new system holds them."""
    cut = CUT_OVER.toordinal()
    copies = []
    for loan in old:
        if loan.ind == 0 or loan.ind >= cut:
            paragraf = loan.paragraf if rng.random() < 0.2 else ""
            copies.append(loan._replace(ud=loan.ud + rng.randint(-3, 3), paragraf=paragraf))
    return copies


def loads(d: Depot, loans: list[Loan], seed: int, history: bool) -> Iterator[Load]:
    """The full loads to write: the latest per system, or all of them with ``history``."""
    if d.kommune != SWITCH_KOMMUNE:
        dates = d.extracts()
        for day in dates if history else dates[-1:]:
            yield Load(d.kommune, d.system, day, loans)
        return
    cut = CUT_OVER.toordinal()
    old = [x for x in loans if x.ud < cut]
    new = [x for x in loans if x.ud >= cut] + migrated(random.Random(f"{seed}:migration"), old)
    old_dates = [x for x in d.extracts() if x < CUT_OVER] + [CUT_OVER - dt.timedelta(days=1)]
    new_dates = [x for x in d.extracts() if x > CUT_OVER]
    for day in old_dates if history else old_dates[-1:]:
        yield Load(d.kommune, d.system, day, old)
    for day in new_dates if history else new_dates[-1:]:
        yield Load(d.kommune, NEW_SYSTEM, day, new)


def _rows(d: Depot, load: Load) -> Iterator[tuple[str, ...]]:
    cutoff = load.udtraeksdato.toordinal()
    ordered = sorted(load.loans, key=_ROW_ORDER)
    for n, x in enumerate(ordered, start=1):
        if x.ud > cutoff:
            continue
        cpr = with_dash(x.cpr) if d.dash and len(x.cpr) == 10 else x.cpr
        ind = iso_ordinal(x.ind) if x.ind and x.ind <= cutoff else ""
        yield (load.kommune, x.betaler, d.id_format.format(n=n, k=load.kommune), str(x.hmi), cpr,
               x.paragraf, iso_ordinal(x.ud), ind)  # fmt: skip


def write_load(d: Depot, load: Load, out: Path) -> int:
    """Write one full load; returns its row count."""
    name = f"{load.kommune}_{load.system}_{load.udtraeksdato.isoformat()}.csv"
    return write_rows(out / "deliveries" / "genbrug" / name, COLUMNS, _rows(d, load))


def write_systemskifter(out: Path) -> None:
    row = (SWITCH_KOMMUNE, SYSTEMS[0], NEW_SYSTEM, CUT_OVER.isoformat())
    write_rows(out / "systemskifter.csv", ("kommune", "fra", "til", "dato"), [row])
