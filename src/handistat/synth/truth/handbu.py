"""The HANDBU truth: deliveries → register → episodes → HANDBU01-06 (R-HB-1..8).

Steps, in the order of seed 000 §3.5:
1. read the delivery files in name order; rows failing a structural check (an invalid CPR
   above all) are rejected at intake and change nothing;
2. the register keeps the last accepted version per (kommune, indsats_id); annulled records
   and records whose CPR is not in the population register drop out;
3. records merge into episodes per (cpr, type, kommune) when they overlap or lie at most
   14 days apart, transitively (pairwise, slowly, obviously);
4. an episode counts in year Y when active in Y, the child is 0-17 on 31 December Y (or has
   no known birth date) and did not die before 1 January Y.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from handistat.synth import refdata
from handistat.synth.truth.common import Fact, Person, normalise_cpr, parse_date, read_csv

MERGE_GAP_DAYS = 14
COLUMNS_REQUIRED = ("kommune", "indsats_id", "cpr", "paragraf", "startdato")
_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Record:
    """An accepted HANDBU row (CPR normalised to 10 digits)."""

    kommune: str
    indsats_id: str
    cpr: str
    paragraf: str
    start: dt.date
    slut: dt.date | None
    annulled: bool


@dataclass(frozen=True)
class Episode:
    cpr: str
    indsats: int
    kommune: str
    start: dt.date
    slut: dt.date | None
    indsats_ids: tuple[str, ...]


@dataclass
class IntakeCounts:
    rows: int = 0
    invalid_cpr: int = 0
    other_rejected: int = 0
    files: int = 0


def accept(row: dict[str, str]) -> Record | None:
    """The row as a record, or None if intake rejects it (SPEC §2.1)."""
    cpr = normalise_cpr(row.get("cpr", ""))
    kommune, indsats_id = row.get("kommune", ""), row.get("indsats_id", "")
    status = row.get("status", "").lower()
    paragraf = row.get("paragraf", "").upper()
    if cpr is None or kommune not in refdata.landsdel_af_kommune() or not _ID.fullmatch(indsats_id):
        return None
    if paragraf not in refdata.indsats_af_paragraf() or status not in ("", "aktiv", "annulleret"):
        return None
    try:
        start, slut = parse_date(row.get("startdato", "")), parse_date(row.get("slutdato", ""))
    except ValueError:
        return None
    if start is None or start < _EARLIEST or (slut is not None and slut < start):
        return None
    return Record(kommune, indsats_id, cpr, paragraf, start, slut, status == "annulleret")


def delivered_rows(folder: Path, counts: IntakeCounts) -> Iterator[Record]:
    """Accepted rows of every file, in delivery (file name) order then row order."""
    for path in sorted(folder.glob("*.csv")):
        counts.files += 1
        for row in read_csv(path):
            counts.rows += 1
            record = accept(row)
            if record is None:
                if normalise_cpr(row.get("cpr", "")) is None:
                    counts.invalid_cpr += 1
                else:
                    counts.other_rejected += 1
                continue
            yield record


def register(records: Iterator[Record]) -> dict[tuple[str, str], list[Record]]:
    """Every accepted version per (kommune, indsats_id), oldest first; the last one is current."""
    versions: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for record in records:
        versions[(record.kommune, record.indsats_id)].append(record)
    return dict(versions)


def current_records(
    versions: dict[tuple[str, str], list[Record]], persons: dict[str, Person]
) -> list[Record]:
    """Last version of each record, without annulled ones and unknown children."""
    current = [v[-1] for v in versions.values()]
    return [r for r in current if not r.annulled and r.cpr in persons]


def linked(a: Record, b: Record) -> bool:
    """Overlapping, or a gap of at most 14 whole days between one's end and the other's start."""

    def reaches(first: Record, second: Record) -> bool:
        if first.start > second.start:
            return False
        if first.slut is None:
            return True
        return (second.start - first.slut).days - 1 <= MERGE_GAP_DAYS

    return reaches(a, b) or reaches(b, a)


def _components(records: list[Record]) -> list[list[Record]]:
    """Connected components of the ``linked`` relation (plain graph search, quadratic)."""
    unseen = list(range(len(records)))
    groups = []
    while unseen:
        stack, group = [unseen.pop(0)], []
        while stack:
            i = stack.pop()
            group.append(records[i])
            near = [j for j in unseen if linked(records[i], records[j])]
            unseen = [j for j in unseen if j not in near]
            stack.extend(near)
        groups.append(group)
    return groups


def episodes(records: list[Record]) -> list[Episode]:
    """Overlap processing (R-HB-4): episodes per (cpr, type, handlekommune)."""
    indsats_of = refdata.indsats_af_paragraf()
    keyed: dict[tuple[str, int, str], list[Record]] = defaultdict(list)
    for r in records:
        keyed[(r.cpr, indsats_of[r.paragraf], r.kommune)].append(r)
    result = []
    for (cpr, indsats, kommune), group in keyed.items():
        for part in _components(group):
            ends = [r.slut for r in part]
            slut = None if None in ends else max(e for e in ends if e is not None)
            ids = tuple(sorted(r.indsats_id for r in part))
            result.append(Episode(cpr, indsats, kommune, min(r.start for r in part), slut, ids))
    return sorted(result, key=lambda e: (e.cpr, e.indsats, e.kommune, e.start))


def read_episodes(path: Path) -> list[Episode]:
    """``truth/handbu_episodes.csv`` back as episodes."""
    result = []
    for row in read_csv(path):
        start = parse_date(row["start"])
        assert start is not None
        ids = tuple(row["indsats_ids"].split("|"))
        result.append(
            Episode(
                row["cpr"], int(row["indsats"]), row["kommune"], start, parse_date(row["slut"]), ids
            )
        )
    return result


def exact_duplicate_pairs(records: list[Record]) -> int:
    """Pairs of current records equal in kommune, cpr, paragraf, start and end (R-HB-3)."""
    same = Counter((r.kommune, r.cpr, r.paragraf, r.start, r.slut) for r in records)
    return sum(n * (n - 1) // 2 for n in same.values())


# -- counting ----------------------------------------------------------------------------------
def age_group(person: Person, year: int) -> str | None:
    """ALDER code by age on 31 December; ``999`` if unknown; None if not 0-17."""
    if person.foedselsdato is None:
        return "999"
    age = year - person.foedselsdato.year
    if not 0 <= age <= 17:
        return None
    return "0005" if age <= 5 else "0611" if age <= 11 else "1217"


def active(episode: Episode, year: int) -> bool:
    return episode.start <= dt.date(year, 12, 31) and (
        episode.slut is None or episode.slut >= dt.date(year, 1, 1)
    )


_SEX = {"M": "D", "K": "P"}


def year_facts(all_episodes: list[Episode], persons: dict[str, Person], year: int) -> list[Fact]:
    """One fact per episode counted in ``year`` with its code in every HANDBU dimension."""
    jan1 = dt.date(year, 1, 1)
    earlier = {e.cpr for e in all_episodes if e.start < jan1}
    landsdel = refdata.landsdel_af_kommune()
    facts = []
    for e in all_episodes:
        person = persons[e.cpr]
        alder = age_group(person, year)
        died_before = person.doedsdato is not None and person.doedsdato < jan1
        if not active(e, year) or alder is None or died_before:
            continue
        facts.append(
            {
                "person": e.cpr,
                "KOMMUNEDK": e.kommune,
                "LANDSDEL": landsdel[e.kommune],
                "INDSATSER": str(e.indsats),
                "KØN": _SEX.get(person.koen, "9"),
                "ALDER": alder,
                "FORLOEB": "NY" if e.start >= jan1 else "FORTS",
                "MODTAGER": "FORTS" if e.cpr in earlier else "NY",
            }
        )
    return facts
