"""Every quirk of R-SYN-2 is in the small HANDBU deliveries, several times, found from the files."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from handistat.synth.config import SILENT_KOMMUNE
from handistat.synth.truth.common import normalise_cpr, parse_date, read_csv, read_persons
from handistat.synth.truth.handbu import COLUMNS_REQUIRED, Episode, read_episodes

SEVERAL = 3


@dataclass(frozen=True)
class Row:
    file: str
    kommune: str
    indsats_id: str
    raw_cpr: str
    cpr: str | None
    paragraf: str
    start: dt.date
    slut: dt.date | None
    status: str


@pytest.fixture(scope="module")
def rows(small_out: Path) -> list[Row]:
    result = []
    for path in sorted((small_out / "deliveries" / "handbu").glob("*.csv")):
        for r in read_csv(path):
            start = parse_date(r["startdato"])
            assert start is not None
            result.append(
                Row(path.name, r["kommune"], r["indsats_id"], r["cpr"], normalise_cpr(r["cpr"]),
                    r["paragraf"], start, parse_date(r["slutdato"]), r.get("status", ""))
            )  # fmt: skip
    return result


@pytest.fixture(scope="module")
def truth(small_out: Path) -> list[Episode]:
    return read_episodes(small_out / "truth" / "handbu_episodes.csv")


@pytest.fixture(scope="module")
def by_key(rows: list[Row]) -> dict[tuple[str, str], list[Row]]:
    keyed = defaultdict(list)
    for r in rows:
        keyed[(r.kommune, r.indsats_id)].append(r)
    return keyed


def _records_of(episode: Episode, by_key: dict[tuple[str, str], list[Row]]) -> list[Row]:
    return sorted(
        (by_key[(episode.kommune, i)][-1] for i in episode.indsats_ids), key=lambda r: r.start
    )


def test_file_names_sort_in_delivery_order(small_out: Path) -> None:
    names = sorted(p.name for p in (small_out / "deliveries" / "handbu").glob("*.csv"))
    days = [n.split("_")[2].removesuffix(".csv") for n in names]
    assert days == sorted(days)
    assert [int(n[:5]) for n in names] == list(range(1, len(names) + 1))
    assert not any(f"_{SILENT_KOMMUNE}_" in n for n in names)


def test_files_vary_in_what_the_spec_allows(small_out: Path, rows: list[Row]) -> None:
    headers = [
        p.read_text(encoding="utf-8").split("\n", 1)[0]
        for p in (small_out / "deliveries" / "handbu").glob("*.csv")
    ]
    standard = ";".join(COLUMNS_REQUIRED) + ";slutdato;status"
    assert any(h.isupper() for h in headers)
    assert any(h[0].isupper() and not h.isupper() for h in headers)
    assert any(h.lower().split(";")[0] != "kommune" for h in headers)  # other column order
    assert any("status" not in h.lower() for h in headers)
    assert any(h == standard for h in headers)
    assert sum(1 for r in rows if len(r.raw_cpr) == 11) >= SEVERAL


def test_one_long_record_and_many_short_contiguous_records(
    truth: list[Episode], by_key: dict[tuple[str, str], list[Row]]
) -> None:
    long_ones = [
        e for e in truth if len(e.indsats_ids) == 1 and e.slut and (e.slut - e.start).days > 365
    ]
    assert len(long_ones) >= SEVERAL
    contiguous = 0
    for e in truth:
        recs = _records_of(e, by_key)
        if len(recs) >= 4 and all(
            a.slut is not None and b.start == a.slut + dt.timedelta(days=1)
            for a, b in itertools.pairwise(recs)
        ):
            contiguous += 1
    assert contiguous >= SEVERAL


def _pairs(truth: list[Episode], by_key: dict[tuple[str, str], list[Row]]) -> list[tuple[Row, Row]]:
    pairs = []
    for e in truth:
        recs = _records_of(e, by_key)
        pairs += [(a, b) for a, b in itertools.pairwise(recs)]
    return pairs


def test_overlapping_nested_and_gapped_records_inside_episodes(
    truth: list[Episode], by_key: dict[tuple[str, str], list[Row]]
) -> None:
    overlapping = nested = 0
    for a, b in _pairs(truth, by_key):
        if a.slut is None:
            continue
        if a.start < b.start <= a.slut and (b.slut is None or b.slut > a.slut):
            overlapping += 1
        if a.start <= b.start and b.slut is not None and b.slut < a.slut:
            nested += 1
    assert overlapping >= SEVERAL and nested >= SEVERAL
    gaps = set()
    for e in truth:
        recs = _records_of(e, by_key)
        reach = recs[0].slut
        for r in recs[1:]:
            if reach is None:
                break
            gaps.add((r.start - reach).days - 1)
            reach = None if r.slut is None else max(reach, r.slut)
    inside = {g for g in gaps if g >= 0}
    assert {0, 1, 14} <= inside and max(inside) <= 14


def test_separate_episodes_are_15_to_30_days_apart_sometimes(truth: list[Episode]) -> None:
    keyed = defaultdict(list)
    for e in truth:
        keyed[(e.cpr, e.indsats, e.kommune)].append(e)
    gaps = []
    for eps in keyed.values():
        eps.sort(key=lambda e: e.start)
        for a, b in itertools.pairwise(eps):
            assert a.slut is not None
            gaps.append((b.start - a.slut).days - 1)
    assert min(gaps) >= 15
    assert sum(1 for g in gaps if 15 <= g <= 30) >= SEVERAL
    assert 15 in gaps or 16 in gaps


def test_open_ended_records_and_episodes(rows: list[Row], truth: list[Episode]) -> None:
    assert sum(1 for r in rows if r.slut is None) >= SEVERAL
    assert sum(1 for e in truth if e.slut is None) >= SEVERAL


def test_corrections_resend_the_same_id_with_other_values(
    by_key: dict[tuple[str, str], list[Row]],
) -> None:
    corrected = [
        v for v in by_key.values()
        if len(v) > 1 and v[-1].status != "annulleret"
        and len({(r.paragraf, r.start) for r in v if r.cpr}) > 1
    ]  # fmt: skip
    assert len(corrected) >= SEVERAL


def test_annulled_records_are_not_in_the_truth(
    by_key: dict[tuple[str, str], list[Row]], truth: list[Episode]
) -> None:
    annulled = [k for k, v in by_key.items() if v[-1].status == "annulleret"]
    assert len(annulled) >= SEVERAL
    assert all(by_key[k][0].status != "annulleret" for k in annulled)  # first sent active
    in_truth = {(e.kommune, i) for e in truth for i in e.indsats_ids}
    assert not in_truth & set(annulled)


def test_exact_duplicates_under_two_ids(
    small_out: Path, truth: list[Episode], by_key: dict[tuple[str, str], list[Row]]
) -> None:
    summary = json.loads((small_out / "truth" / "handbu_summary.json").read_text())
    assert summary["exact_duplicate_pairs"] >= SEVERAL
    twins = 0
    for e in truth:
        recs = [by_key[(e.kommune, i)][-1] for i in e.indsats_ids]
        seen = {(r.paragraf, r.start, r.slut) for r in recs}
        twins += len(recs) - len(seen)
    assert twins >= SEVERAL


def test_cpr_typos_some_corrected_later(
    by_key: dict[tuple[str, str], list[Row]], truth: list[Episode]
) -> None:
    with_typo = {k: v for k, v in by_key.items() if any(r.cpr is None for r in v)}
    corrected = [k for k, v in with_typo.items() if v[-1].cpr is not None]
    never = [k for k, v in with_typo.items() if all(r.cpr is None for r in v)]
    assert len(corrected) >= SEVERAL and len(never) >= SEVERAL
    in_truth = {(e.kommune, i) for e in truth for i in e.indsats_ids}
    assert set(corrected) <= in_truth
    assert not set(never) & in_truth


def test_unknown_cprs_some_corrected_later(
    small_out: Path, by_key: dict[tuple[str, str], list[Row]], truth: list[Episode]
) -> None:
    known = set(read_persons(small_out / "population"))
    unknown = {k: v for k, v in by_key.items() if any(r.cpr and r.cpr not in known for r in v)}
    corrected = [k for k, v in unknown.items() if v[-1].cpr in known]
    never = [k for k, v in unknown.items() if v[-1].cpr not in known]
    assert len(corrected) >= SEVERAL and len(never) >= SEVERAL
    in_truth = {(e.kommune, i) for e in truth for i in e.indsats_ids}
    assert set(corrected) <= in_truth and not set(never) & in_truth


def test_children_who_died_with_an_open_episode(small_out: Path, truth: list[Episode]) -> None:
    persons = read_persons(small_out / "population")
    died = [
        e for e in truth
        if e.slut is None and (d := persons[e.cpr].doedsdato) is not None
        and e.start < d < dt.date(2025, 1, 1)
    ]  # fmt: skip
    assert len(died) >= SEVERAL


def test_sel_and_barnets_lov_codes_in_one_episode(
    truth: list[Episode], by_key: dict[tuple[str, str], list[Row]]
) -> None:
    mixed = [
        e for e in truth
        if {r.paragraf[:2] for r in _records_of(e, by_key)} == {"SE", "BL"}
    ]  # fmt: skip
    assert len(mixed) >= SEVERAL
    assert any(e.indsats == 8 for e in truth)
    assert all(e.start >= dt.date(2024, 1, 1) for e in truth if e.indsats == 8)


def test_children_with_several_types_and_in_two_municipalities(truth: list[Episode]) -> None:
    types, kommuner = defaultdict(set), defaultdict(set)
    for e in truth:
        types[e.cpr].add(e.indsats)
        kommuner[(e.cpr, e.indsats)].add(e.kommune)
    assert sum(1 for t in types.values() if len(t) >= 2) >= SEVERAL
    assert sum(1 for k in kommuner.values() if len(k) >= 2) >= SEVERAL


def test_newborns_and_children_turning_18(small_out: Path, truth: list[Episode]) -> None:
    persons = read_persons(small_out / "population")
    newborn = turning_18 = 0
    for e in truth:
        born = persons[e.cpr].foedselsdato
        if born is None:
            continue
        if born.year >= 2022 and e.start.year == born.year:
            newborn += 1
        year18 = born.year + 18
        if (
            2023 <= year18 <= 2025
            and e.start.year < year18
            and (e.slut is None or e.slut.year >= year18)
        ):
            turning_18 += 1
    assert newborn >= SEVERAL and turning_18 >= SEVERAL


def test_episodes_start_2018_to_2025(truth: list[Episode]) -> None:
    assert min(e.start for e in truth).year == 2018
    assert max(e.start for e in truth).year == 2025
