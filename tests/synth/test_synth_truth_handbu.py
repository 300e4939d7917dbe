"""Known answers for the HANDBU truth on tiny hand-made inputs (R-HB-1..8)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handistat.synth.truth.common import Person, compute_cells
from handistat.synth.truth.handbu import (
    Episode,
    Record,
    accept,
    age_group,
    current_records,
    episodes,
    register,
    year_facts,
)
from handistat.synth.truth.handbu_run import write_handbu_truth
from handistat.synth.truth.handbu_tables import handbu_tables

D = dt.date
CHILD = "0101104001"  # born 2010-01-01
OTHER = "0202124002"


def rec(
    start: str,
    slut: str | None,
    rid: str = "x",
    paragraf: str = "SEL44-84-1",
    kommune: str = "101",
    cpr: str = CHILD,
    annulled: bool = False,
) -> Record:
    return Record(
        kommune,
        rid,
        cpr,
        paragraf,
        D.fromisoformat(start),
        D.fromisoformat(slut) if slut else None,
        annulled,
    )


def spans(records: list[Record]) -> list[tuple[dt.date, dt.date | None]]:
    return [(e.start, e.slut) for e in episodes(records)]


# -- overlap processing (R-HB-4) -------------------------------------------------------------
def test_gap_of_14_days_merges_15_does_not() -> None:
    assert spans([rec("2022-06-01", "2023-01-01", "a"), rec("2023-01-16", "2023-03-01", "b")]) == [
        (D(2022, 6, 1), D(2023, 3, 1))
    ]
    assert spans([rec("2022-06-01", "2023-01-01", "a"), rec("2023-01-17", "2023-03-01", "b")]) == [
        (D(2022, 6, 1), D(2023, 1, 1)),
        (D(2023, 1, 17), D(2023, 3, 1)),
    ]


def test_contiguous_and_overlapping_records_merge() -> None:
    assert spans([rec("2022-01-01", "2022-01-31", "a"), rec("2022-02-01", "2022-02-28", "b")]) == [
        (D(2022, 1, 1), D(2022, 2, 28))
    ]
    assert spans([rec("2022-01-01", "2022-03-31", "a"), rec("2022-03-01", "2022-05-31", "b")]) == [
        (D(2022, 1, 1), D(2022, 5, 31))
    ]


def test_chains_merge_transitively_in_any_order() -> None:
    chain = [
        rec("2022-03-10", "2022-04-30", "c"),
        rec("2022-01-01", "2022-02-01", "a"),
        rec("2022-02-10", "2022-03-01", "b"),
    ]
    [episode] = episodes(chain)
    assert (episode.start, episode.slut, episode.indsats_ids) == (
        D(2022, 1, 1),
        D(2022, 4, 30),
        ("a", "b", "c"),
    )


def test_nested_record_uses_the_latest_end_not_the_last_one() -> None:
    # The nested record ends earlier; the next record is 20 days after the nested one's end
    # but within 14 days of the outer record's end.
    nested = [
        rec("2022-01-01", "2022-12-31", "a"),
        rec("2022-03-01", "2022-04-01", "b"),
        rec("2023-01-10", "2023-06-30", "c"),
    ]
    assert spans(nested) == [(D(2022, 1, 1), D(2023, 6, 30))]


def test_open_end_dominates() -> None:
    assert spans(
        [
            rec("2022-01-01", None, "a"),
            rec("2022-02-01", "2022-03-01", "b"),
            rec("2024-05-01", "2024-06-01", "c"),
        ]
    ) == [(D(2022, 1, 1), None)]


def test_episodes_are_per_type_and_municipality_and_reform_codes_share_a_type() -> None:
    records = [
        rec("2023-01-01", "2023-12-31", "a", "SEL44-84-1"),
        rec("2024-01-01", None, "b", "BL90-2"),  # same type 5 under Barnets lov
        rec("2023-01-01", "2023-12-31", "c", "SEL32"),  # type 1
        rec("2023-06-01", "2023-12-31", "d", "SEL44-84-1", kommune="147"),
    ]
    assert {(e.indsats, e.kommune, e.start, e.slut) for e in episodes(records)} == {
        (5, "101", D(2023, 1, 1), None),
        (1, "101", D(2023, 1, 1), D(2023, 12, 31)),
        (5, "147", D(2023, 6, 1), D(2023, 12, 31)),
    }


# -- the register (R-HB-1, R-CPR-3) ----------------------------------------------------------
def _row(cpr: str, status: str = "", start: str = "2022-01-01", slut: str = "") -> dict[str, str]:
    return {"kommune": "101", "indsats_id": "x1", "cpr": cpr, "paragraf": "SEL32",
            "startdato": start, "slutdato": slut, "status": status}  # fmt: skip


def test_intake_rejects_invalid_cprs_and_impossible_rows() -> None:
    assert accept(_row("010110-4001")) is not None
    for bad in ("3201104001", "0113104001", "0000104001", "3002104001", "01011040", "0101104001x"):
        assert accept(_row(bad)) is None, bad
    assert accept(_row(CHILD, start="2022-05-01", slut="2022-04-30")) is None
    assert accept(_row(CHILD, status="slettet")) is None


def test_last_accepted_version_wins_annulled_and_unknown_drop_out() -> None:
    persons = {CHILD: Person("M", D(2010, 1, 1), None)}
    rows = [_row(CHILD, slut="2022-06-30"), _row("3201104001"), _row(CHILD, slut="2022-12-31")]
    versions = register(r for r in map(accept, rows) if r)
    [current] = current_records(versions, persons)
    assert current.slut == D(2022, 12, 31)  # the typo row changed nothing
    versions = register(
        r for r in map(accept, [_row(CHILD), _row(CHILD, status="annulleret")]) if r
    )
    assert current_records(versions, persons) == []
    versions = register(r for r in map(accept, [_row(CHILD), _row(OTHER)]) if r)
    assert current_records(versions, persons) == []  # last version names an unknown child


# -- counting (R-HB-5..7) --------------------------------------------------------------------
def test_age_on_31_december() -> None:
    def born(day: str) -> Person:
        return Person("K", D.fromisoformat(day), None)

    assert age_group(born("2022-12-31"), 2022) == "0005"  # newborn, age 0
    assert age_group(born("2005-12-31"), 2023) is None  # 18 at year end: not counted
    assert age_group(born("2005-12-31"), 2022) == "1217"
    assert age_group(born("2016-06-01"), 2022) == "0611"
    assert age_group(Person("K", None, None), 2022) == "999"


def _episode(cpr: str, indsats: int, kommune: str, start: str, slut: str | None) -> Episode:
    return Episode(
        cpr,
        indsats,
        kommune,
        D.fromisoformat(start),
        D.fromisoformat(slut) if slut else None,
        ("i",),
    )


def test_counted_only_when_active_young_and_alive() -> None:
    persons = {
        "a": Person("M", D(2010, 1, 1), None),
        "dead": Person("K", D(2012, 1, 1), D(2022, 12, 31)),
        "old": Person("K", D(2004, 7, 1), None),
        "anon": Person("", None, None),
    }
    eps = [
        _episode("a", 5, "101", "2021-01-01", "2022-01-01"),  # active on 1 Jan 2022 only
        _episode("a", 1, "101", "2023-01-01", None),
        _episode("dead", 5, "147", "2020-01-01", None),  # counted 2022, not after
        _episode("old", 7, "101", "2021-01-01", None),  # 18 in 2022
        _episode("anon", 4, "101", "2024-02-01", None),
    ]
    counted = {
        y: sorted(f["person"] + f["INDSATSER"] for f in year_facts(eps, persons, y))
        for y in (2022, 2023, 2024)
    }
    assert counted == {2022: ["a5", "dead5"], 2023: ["a1"], 2024: ["a1", "anon4"]}
    [anon] = [f for f in year_facts(eps, persons, 2024) if f["person"] == "anon"]
    assert (anon["KØN"], anon["ALDER"], anon["MODTAGER"], anon["FORLOEB"]) == (
        "9",
        "999",
        "NY",
        "NY",
    )


def test_first_time_children_consider_every_earlier_episode() -> None:
    persons = {"a": Person("M", D(2010, 1, 1), None), "b": Person("K", D(2010, 1, 1), None)}
    eps = [
        _episode("a", 5, "101", "2019-01-01", "2019-06-30"),  # long ended, other type/kommune
        _episode("a", 1, "147", "2023-03-01", None),
        _episode("b", 1, "147", "2023-03-01", None),
    ]
    facts = {f["person"]: f for f in year_facts(eps, persons, 2023)}
    assert (facts["a"]["MODTAGER"], facts["b"]["MODTAGER"]) == ("FORTS", "NY")
    assert facts["a"]["FORLOEB"] == "NY"


def test_a_child_in_two_municipalities_counts_once_nationally() -> None:
    persons = {"a": Person("M", D(2010, 1, 1), None)}
    eps = [
        _episode("a", 5, "101", "2022-01-01", "2022-06-30"),
        _episode("a", 5, "147", "2022-07-01", None),
    ]
    specs = {s.id: s for s in handbu_tables()}
    cells = compute_cells(specs["HANDBU01"], {2022: year_facts(eps, persons, 2022)})
    assert cells[("000", "100", "0", "2022")] == 2
    assert cells[("000", "110", "0", "2022")] == 1
    assert cells[("101", "110", "D", "2022")] == cells[("147", "110", "D", "2022")] == 1
    assert cells[("751", "110", "D", "2022")] == 0
    landsdel = compute_cells(specs["HANDBU03"], {2022: year_facts(eps, persons, 2022)})
    assert landsdel[("01", "110", "2022")] == 1 and landsdel[("01", "5", "2022")] == 2


def test_every_cell_is_written_with_zeros(small_out: Path) -> None:
    sizes = {"HANDBU01": 100 * 2 * 4, "HANDBU02": 100 * 2 * 5, "HANDBU03": 12 * 10,
             "HANDBU04": 10 * 5 * 4, "HANDBU05": 100 * 9 * 3, "HANDBU06": 100 * 3}  # fmt: skip
    for table, cells_per_year in sizes.items():
        lines = (
            (small_out / "truth" / "tables" / f"{table}.csv")
            .read_text(encoding="utf-8")
            .splitlines()
        )
        assert lines[0].endswith(";TID;INDHOLD")
        assert len(lines) == 1 + 4 * cells_per_year


def test_truth_is_recomputed_identically_from_the_files(small_out: Path, tmp_path: Path) -> None:
    import shutil

    for folder in ("population", "deliveries"):
        shutil.copytree(small_out / folder, tmp_path / folder)
    write_handbu_truth(tmp_path, {})
    for path in (small_out / "truth" / "tables").glob("HANDBU*.csv"):
        assert (tmp_path / "truth" / "tables" / path.name).read_bytes() == path.read_bytes()
    assert (tmp_path / "truth" / "handbu_episodes.csv").read_bytes() == (
        small_out / "truth" / "handbu_episodes.csv"
    ).read_bytes()
