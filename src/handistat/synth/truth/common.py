"""What both truths share: CPR validity, the population register, and writing table cells."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

from handistat.synth.config import TODAY


@lru_cache(maxsize=1 << 20)
def normalise_cpr(text: str) -> str | None:
    """``DDMMYYSSSS`` or ``DDMMYY-SSSS`` with a real, not future date → 10 digits (R-CPR-2).

    Cached: a recipient's CPR comes back in each of their loans and in each pass over the
    loads (8.6M national rows, 0.7M distinct CPRs; issue 15.3).
    """
    value = text.strip()
    if len(value) == 11 and value[6] == "-":
        value = value[:6] + value[7:]
    if len(value) != 10 or not value.isdigit():
        return None
    try:
        born = stdnum_cpr.get_birth_date(value)
    except ValidationError:
        return None
    return value if born <= TODAY else None


def parse_date(text: str) -> dt.date | None:
    """ISO date or None; raises ValueError on anything else."""
    text = text.strip()
    return dt.date.fromisoformat(text) if text else None


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a ``;`` CSV with lower-cased, trimmed column names (the spec's are case-free)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [h.strip().lower() for h in next(reader)]
        for values in reader:
            yield dict(zip(header, map(str.strip, values), strict=True))


def read_columns(path: Path, columns: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """The trimmed values of ``columns`` (two or more, lower case) of each row of a ``;`` CSV.

    As :func:`read_csv` without a dict per row (the GENBRUG truth reads 8.6M national rows
    twice); a row of the wrong width is a ValueError there and here.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [h.strip().lower() for h in next(reader)]
        pick = operator.itemgetter(*(header.index(c) for c in columns))
        for values in reader:
            if len(values) != len(header):
                raise ValueError(f"{path.name}: {len(values)} values, {len(header)} columns")
            yield tuple(map(str.strip, pick(values)))


@dataclass(frozen=True)
class Person:
    koen: str
    foedselsdato: dt.date | None
    doedsdato: dt.date | None


def read_persons(population: Path, wanted: set[str] | None = None) -> dict[str, Person]:
    """``personer.csv`` as cpr → Person (only ``wanted`` CPRs when given)."""
    persons = {}
    columns = ("cpr", "koen", "foedselsdato", "doedsdato")
    for cpr, koen, born, died in read_columns(population / "personer.csv", columns):
        if wanted is None or cpr in wanted:
            persons[cpr] = Person(koen, parse_date(born), parse_date(died))
    return persons


def residences(
    population: Path, wanted: set[str]
) -> dict[str, list[tuple[str, dt.date, dt.date | None]]]:
    """``bopael.csv`` spells (kommune, fra, til) of the ``wanted`` CPRs."""
    spells: dict[str, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    columns = ("cpr", "kommune", "fra", "til")
    for cpr, kommune, fra_text, til in read_columns(population / "bopael.csv", columns):
        if cpr in wanted:
            fra = parse_date(fra_text)
            assert fra is not None
            spells[cpr].append((kommune, fra, parse_date(til)))
    return dict(spells)


# -- tables ------------------------------------------------------------------------------------
Fact = dict[str, str]
"""A counted unit (an episode, a loan, a person) with its code in each dimension; optional
``person`` (for distinct counts) and ``units`` (how many identical units it stands for)."""


@dataclass(frozen=True)
class Dimension:
    """A table variable: its codes; a fact falls in its own code and in every total code."""

    id: str
    codes: tuple[str, ...]
    totals: tuple[str, ...] = ()

    def member(self, fact: Fact) -> tuple[str, ...]:
        return tuple(c for c in (fact[self.id], *self.totals) if c in self.codes)


@dataclass(frozen=True)
class TableSpec:
    """A table: its dimensions (Tid added) and which cells count distinct persons."""

    id: str
    dimensions: tuple[Dimension, ...]
    counts_persons: Callable[[dict[str, str]], bool]
    """Given a cell's codes by dimension id: True = count distinct persons, False = units."""


@dataclass
class Cell:
    units: int = 0
    persons: set[str] = field(default_factory=set)


def compute_cells(
    spec: TableSpec, facts_by_year: dict[int, list[Fact]]
) -> dict[tuple[str, ...], int]:
    """Every cell of every year, zeros included: key = codes in dimension order + year."""
    values: dict[tuple[str, ...], int] = {}
    ids = [d.id for d in spec.dimensions]
    for year, facts in sorted(facts_by_year.items()):
        cells: dict[tuple[str, ...], Cell] = defaultdict(Cell)
        for fact in facts:
            for key in itertools.product(*(d.member(fact) for d in spec.dimensions)):
                cell = cells[key]
                cell.units += int(fact.get("units", "1"))
                if "person" in fact:
                    cell.persons.add(fact["person"])
        for key in itertools.product(*(d.codes for d in spec.dimensions)):
            cell = cells.get(key, Cell())
            persons = spec.counts_persons(dict(zip(ids, key, strict=True)))
            values[(*key, str(year))] = len(cell.persons) if persons else cell.units
    return values


def write_table(folder: Path, spec: TableSpec, values: dict[tuple[str, ...], int]) -> None:
    """``<ID>.csv``: the variable ids, ``TID`` and ``INDHOLD``; one row per cell."""
    folder.mkdir(parents=True, exist_ok=True)
    header = [d.id for d in spec.dimensions] + ["TID", "INDHOLD"]
    lines = [";".join(header)] + [";".join((*key, str(v))) for key, v in values.items()]
    (folder / f"{spec.id}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_lines(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [";".join(header)] + [";".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
