"""Compute and write the GENBRUG truth from the generator's output folder."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from handistat.synth import refdata
from handistat.synth.config import YEARS
from handistat.synth.csvio import iso
from handistat.synth.forked import fork_map
from handistat.synth.truth.common import (
    Dimension,
    Fact,
    Person,
    TableSpec,
    compute_cells,
    normalise_cpr,
    read_columns,
    read_csv,
    read_persons,
    residences,
    write_table,
)
from handistat.synth.truth.genbrug import (
    KONAMS,
    LoadFile,
    LoanRow,
    Spells,
    Switch,
    active,
    alerams,
    cleaning_reason,
    current_loads,
    loan_end,
    municipality_rows,
    read_switches,
    statistikbankkommune,
)

_REGISTER = ("indberetningskommune", "kildesystem", "udlaan_id", "cpr", "hmi_nummer",
             "statistikbankkommune", "udleveringsdato", "indleveringsdato", "slutdato")  # fmt: skip


def genbrug_tables() -> tuple[TableSpec, ...]:
    kommunedk = Dimension("KOMMUNEDK", ("000", *(k.kode for k in refdata.kommuner())), ("000",))
    konams = Dimension("KONAMS", ("0", "1", "2", "9"), ("0",))
    alerams = Dimension("ALERAMS", ("TOT", "0024", "2549", "5059", "6064", "6569", "7074",
                                    "7579", "8084", "8589", "90-", "999"), ("TOT",))  # fmt: skip
    return (
        TableSpec("HJALP1", (kommunedk,), lambda cell: False),
        TableSpec("HJALP2", (kommunedk, konams, alerams), lambda cell: True),
    )


class _Counts:
    """What the second pass accumulates."""

    def __init__(self) -> None:
        self.loans: Counter[tuple[int, str]] = Counter()
        self.recipients: dict[int, set[tuple[str, str]]] = defaultdict(set)
        self.reasons: Counter[str] = Counter()
        self.reasons_by_kommune: dict[str, Counter[str]] = defaultdict(Counter)
        self.kept: Counter[str] = Counter()

    def add(self, other: _Counts) -> None:
        self.loans.update(other.loans)
        for year, recipients in other.recipients.items():
            self.recipients[year] |= recipients
        self.reasons.update(other.reasons)
        for kommune, reasons in other.reasons_by_kommune.items():
            self.reasons_by_kommune[kommune].update(reasons)
        self.kept.update(other.kept)


def _wanted(folder: Path) -> tuple[set[str], set[str]]:
    """First pass: the valid CPRs in the current loads, and those reported by a collaboration.

    Only these persons and residences are read. Two columns of every current load, switch
    or not: a superset of the rows the second pass keeps, which is all it needs to be.
    """
    wanted, collaborations = set(), set()
    reporters = refdata.samarbejder()
    for loads in current_loads(folder).values():
        for load in loads.values():
            for kommune, text in read_columns(load.path, ("indberetningskommune", "cpr")):
                cpr = normalise_cpr(text)
                if cpr:
                    wanted.add(cpr)
                    if kommune in reporters:
                        collaborations.add(cpr)
    return wanted, collaborations


def _count(row: LoanRow, person: Person, kommune: str, counts: _Counts, hmi: set[str]) -> None:
    cpr = normalise_cpr(row.cpr)
    assert cpr is not None
    end = loan_end(row, person)
    counts.kept["loans"] += 1
    counts.kept["hmi_not_in_catalogue"] += row.hmi not in hmi
    counts.kept["paragraf_missing"] += not row.paragraf
    outside = bool(row.paragraf) and row.paragraf not in refdata.genbrug_paragraffer()
    counts.kept["paragraf_outside_value_set"] += outside
    for year in YEARS:
        if active(row.ud, end, year):
            counts.loans[(year, kommune)] += 1
            counts.recipients[year].add((kommune, cpr))


def _register_line(row: LoanRow, person: Person, kommune: str) -> str:
    cpr = normalise_cpr(row.cpr) or ""
    values = (row.kommune, row.kildesystem, row.udlaan_id, cpr, row.hmi, kommune, iso(row.ud),
              iso(row.ind), iso(loan_end(row, person)))  # fmt: skip
    return ";".join(values) + "\n"


@dataclass(frozen=True)
class _Reference:
    """What cleaning and counting a row looks up."""

    persons: dict[str, Person]
    spells: dict[str, Spells]
    hmi: set[str]


def _municipality(
    loads: dict[str, LoadFile], switch: Switch | None, ref: _Reference
) -> tuple[str, _Counts, int]:
    """One municipality's register lines, counts and rows dropped as switch duplicates."""
    counts, lines = _Counts(), []
    dropped: list[LoanRow] = []
    for row in municipality_rows(loads, switch, dropped):
        reason = cleaning_reason(row, ref.persons)
        if reason:
            counts.reasons[reason] += 1
            counts.reasons_by_kommune[row.kommune][reason] += 1
            continue
        cpr = normalise_cpr(row.cpr) or ""
        kommune = statistikbankkommune(row, ref.spells.get(cpr, []))
        lines.append(_register_line(row, ref.persons[cpr], kommune))
        _count(row, ref.persons[cpr], kommune, counts, ref.hmi)
    return "".join(lines), counts, len(dropped)


def _second_pass(
    out: Path, switches: dict[str, Switch], register: TextIO, processes: int
) -> tuple[_Counts, dict[str, Person], int]:
    """Every municipality in one of ``processes`` forked processes, written in code order."""
    folder = out / "deliveries" / "genbrug"
    wanted, collaborations = _wanted(folder)
    ref = _Reference(
        read_persons(out / "population", wanted),
        residences(out / "population", collaborations),
        {r["hmi_nummer"] for r in read_csv(out / "hmi_katalog.csv")},
    )
    current = current_loads(folder)
    counts, dropped = _Counts(), 0

    def one(kommune: str) -> tuple[str, _Counts, int]:
        return _municipality(current[kommune], switches.get(kommune), ref)

    for lines, municipality, n in fork_map(one, sorted(current), processes):
        register.write(lines)
        counts.add(municipality)
        dropped += n
    return counts, ref.persons, dropped


def _facts(
    counts: _Counts, persons: dict[str, Person]
) -> tuple[dict[int, list[Fact]], dict[int, list[Fact]]]:
    loans = {
        y: [
            {"KOMMUNEDK": k, "units": str(n)}
            for (yy, k), n in sorted(counts.loans.items())
            if yy == y
        ]
        for y in YEARS
    }
    recipients = {
        y: [
            {
                "person": cpr,
                "KOMMUNEDK": k,
                "KONAMS": KONAMS.get(persons[cpr].koen, "9"),
                "ALERAMS": alerams(persons[cpr], y),
            }
            for k, cpr in sorted(counts.recipients[y])
        ]
        for y in YEARS
    }
    return loans, recipients


def write_genbrug_truth(
    out: Path, planted: Mapping[str, int], processes: int = 1
) -> dict[str, object]:
    """Read ``out``'s population and current GENBRUG loads; write ``out/truth`` for GENBRUG.

    Municipalities in up to ``processes`` forked processes: the same files for any number.
    """
    path = out / "systemskifter.csv"
    switches = read_switches(path) if path.exists() else {}
    (out / "truth").mkdir(parents=True, exist_ok=True)
    with (out / "truth" / "genbrug_udlaan.csv").open("w", encoding="utf-8", newline="") as register:
        register.write(";".join(_REGISTER) + "\n")
        counts, persons, dropped = _second_pass(out, switches, register, processes)
    loans, recipients = _facts(counts, persons)
    hjalp1, hjalp2 = genbrug_tables()
    write_table(out / "truth" / "tables", hjalp1, compute_cells(hjalp1, loans))
    write_table(out / "truth" / "tables", hjalp2, compute_cells(hjalp2, recipients))
    summary: dict[str, object] = {
        "switch_duplicates_dropped": dropped,
        "removed": dict(sorted(counts.reasons.items())),
        "removed_by_kommune": {
            k: dict(sorted(v.items())) for k, v in sorted(counts.reasons_by_kommune.items())
        },
        "kept": dict(sorted(counts.kept.items())),
        "udlaan": {str(y): sum(n for (yy, _), n in counts.loans.items() if yy == y) for y in YEARS},
        "modtagere": {str(y): len({cpr for _, cpr in counts.recipients[y]}) for y in YEARS},
        "planted_quirks": dict(sorted(planted.items())),
    }
    text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    (out / "truth" / "genbrug_summary.json").write_text(text, encoding="utf-8")
    return summary
