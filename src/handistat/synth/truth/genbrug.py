"""The GENBRUG truth: current full loads → cleaned loans → HJALP1, HJALP2 (R-IN-7/8, R-GB-1..5).

Steps, in the order of seed 004 §3.5:
1. the current data of a municipality is the latest full load of each of its systems; after
   a declared system switch, the old system's rows delivered before the cut-over plus the
   new system's rows, where an old row that matches a new one (same CPR and HMI number,
   delivery dates at most 3 days apart) is dropped;
2. cleaning: invalid CPR, CPR not in the population register (fictitious), recipient dead
   before delivery, returned before delivered, returned before 2022-07-01;
3. statistikbankkommune: the reporter, or for a collaboration the paying member, else the
   residence on the delivery day, else the reporter;
4. a loan is active in a period when delivered by its last day and not ended before its first
   day; a loan ends on its return or the recipient's death, whichever comes first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from handistat.synth import refdata
from handistat.synth.truth.common import (
    Person,
    normalise_cpr,
    parse_date,
    read_columns,
    read_csv,
)

PERIOD_START = dt.date(2022, 7, 1)
MATCH_DAYS = 3
_ALERAMS = ((25, "0024"), (50, "2549"), (60, "5059"), (65, "6064"), (70, "6569"), (75, "7074"),
            (80, "7579"), (85, "8084"), (90, "8589"))  # fmt: skip


@dataclass(frozen=True)
class LoadFile:
    kommune: str
    kildesystem: str
    udtraeksdato: dt.date
    path: Path


@dataclass(frozen=True)
class Switch:
    kommune: str
    fra: str
    til: str
    dato: dt.date


@dataclass(frozen=True)
class LoanRow:
    kildesystem: str
    kommune: str
    betaler: str
    udlaan_id: str
    hmi: str
    cpr: str
    paragraf: str
    ud: dt.date
    ind: dt.date | None


def current_loads(folder: Path) -> dict[str, dict[str, LoadFile]]:
    """kommune → kildesystem → its latest full load (R-IN-7)."""
    latest: dict[str, dict[str, LoadFile]] = defaultdict(dict)
    for path in sorted(folder.glob("*.csv")):
        kommune, system, day = path.stem.split("_")
        load = LoadFile(kommune, system, dt.date.fromisoformat(day), path)
        known = latest[kommune].get(system)
        if known is None or known.udtraeksdato < load.udtraeksdato:
            latest[kommune][system] = load
    return dict(latest)


def read_switches(path: Path) -> dict[str, Switch]:
    switches = {}
    for row in read_csv(path):
        dato = parse_date(row["dato"])
        assert dato is not None
        switches[row["kommune"]] = Switch(row["kommune"], row["fra"], row["til"], dato)
    return switches


_LOAD_COLUMNS = ("indberetningskommune", "betalingskommune", "udlaan_id", "hmi_nummer", "cpr",
                 "paragraf", "udleveringsdato", "indleveringsdato")  # fmt: skip


def read_load(load: LoadFile) -> Iterator[LoanRow]:
    for kommune, betaler, udlaan_id, hmi, cpr, paragraf, ud, ind in read_columns(
        load.path, _LOAD_COLUMNS
    ):
        udleveret = parse_date(ud)
        assert udleveret is not None
        yield LoanRow(load.kildesystem, kommune, betaler, udlaan_id, hmi, cpr, paragraf,
                      udleveret, parse_date(ind))  # fmt: skip


def cpr_key(text: str) -> str:
    return normalise_cpr(text) or text.strip()


def paired_old_rows(old: list[LoanRow], new: list[LoanRow]) -> set[str]:
    """R-IN-8, one to one: greedy over candidate pairs ordered by (days apart, old
    `udlaan_id`, new `udlaan_id`); returns the `udlaan_id`s of the old rows that are paired."""
    by_key: dict[tuple[str, str], list[LoanRow]] = {}
    for n in new:  # bucket the new rows by person and device: linear, not old × new
        by_key.setdefault((cpr_key(n.cpr), n.hmi), []).append(n)
    candidates = sorted(
        (abs((o.ud - n.ud).days), o.udlaan_id, n.udlaan_id)
        for o in old
        for n in by_key.get((cpr_key(o.cpr), o.hmi), ())
        if abs((o.ud - n.ud).days) <= MATCH_DAYS
    )
    used_old: set[str] = set()
    used_new: set[str] = set()
    for _, o_id, n_id in candidates:
        if o_id not in used_old and n_id not in used_new:
            used_old.add(o_id)
            used_new.add(n_id)
    return used_old


def switched_rows(
    loads: dict[str, LoadFile], switch: Switch, dropped: list[LoanRow]
) -> Iterator[LoanRow]:
    """Old system before the cut-over + new system, loans in both counted once (R-IN-8)."""
    new_rows = list(read_load(loads[switch.til])) if switch.til in loads else []
    old_rows = [
        row
        for row in (read_load(loads[switch.fra]) if switch.fra in loads else [])
        if row.ud < switch.dato
    ]
    paired = paired_old_rows(old_rows, new_rows)
    for row in old_rows:
        if row.udlaan_id in paired:
            dropped.append(row)
        else:
            yield row
    yield from new_rows
    for system, load in sorted(loads.items()):
        if system not in (switch.fra, switch.til):
            yield from read_load(load)


def municipality_rows(
    loads: dict[str, LoadFile], switch: Switch | None, dropped: list[LoanRow]
) -> Iterator[LoanRow]:
    """Every row of one municipality's current data (R-GB-1)."""
    if switch is not None:
        yield from switched_rows(loads, switch, dropped)
    else:
        for _, load in sorted(loads.items()):
            yield from read_load(load)


def cleaning_reason(row: LoanRow, persons: dict[str, Person]) -> str | None:
    """Why R-GB-2 removes the row, or None if it stays."""
    cpr = normalise_cpr(row.cpr)
    if cpr is None:
        return "invalid_cpr"
    person = persons.get(cpr)
    if person is None:
        return "fictitious_cpr"
    if person.doedsdato is not None and person.doedsdato < row.ud:
        return "dead_at_delivery"
    if row.ind is not None and row.ind < row.ud:
        return "returned_before_delivered"
    if row.ind is not None and row.ind < PERIOD_START:
        return "returned_before_period"
    return None


Spells = list[tuple[str, dt.date, dt.date | None]]


def residence_on(spells: Spells, day: dt.date) -> str | None:
    for kommune, fra, til in spells:
        if fra <= day and (til is None or day <= til):
            return kommune
    return None


def members_on(reporter: str, day: dt.date) -> set[str]:
    """R-GB-4: the members of `reporter`'s collaboration on `day` (empty: none)."""
    return {
        member
        for member, fra, til in refdata.samarbejde_perioder().get(reporter, ())
        if fra <= day and (til is None or day <= til)
    }


def statistikbankkommune(row: LoanRow, spells: Spells) -> str:
    """R-GB-4, membership on the loan's delivery day."""
    members = members_on(row.kommune, row.ud)
    if not members:
        return row.kommune
    if row.betaler in members and row.betaler != row.kommune:
        return row.betaler
    return residence_on(spells, row.ud) or row.kommune


def loan_end(row: LoanRow, person: Person) -> dt.date | None:
    """R-GB-5: the return or the recipient's death, whichever comes first."""
    ends = [d for d in (row.ind, person.doedsdato) if d is not None]
    return min(ends) if ends else None


@cache
def period(year: int) -> tuple[dt.date, dt.date]:
    return (PERIOD_START if year == 2022 else dt.date(year, 1, 1)), dt.date(year, 12, 31)


def active(ud: dt.date, end: dt.date | None, year: int) -> bool:
    first, last = period(year)
    return ud <= last and (end is None or end >= first)


def alerams(person: Person, year: int) -> str:
    if person.foedselsdato is None:
        return "999"  # Uoplyst alder, as HANDBU's ALDER
    age = year - person.foedselsdato.year
    for upper, code in _ALERAMS:
        if age < upper:
            return code
    return "90-"


KONAMS = {"M": "1", "K": "2"}
