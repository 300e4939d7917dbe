"""Known-answer tests of the GENBRUG methodology (R-IN-7..9, R-GB-1..6).

Expectations are worked out by hand from the rules' wording in each test's comments.
"""

from __future__ import annotations

from pathlib import Path

from tests.register.genbrug_helpers import load, process, setup

from handistat.app import App
from handistat.intake.genbrug import declare_system_switch
from handistat.tables.registry import compute, table_spec

P1 = "0505500001"  # man born 1950-05-05 (73 at end of 2023)
P2 = "1212300002"  # woman born 1930-12-12 (93 at end of 2023), dies 2023-03-01
P3 = "0101800003"  # woman born 1980-01-01 (43)
P4 = "0202200004"  # man born 1920-02-02, died 2022-01-01
FICTIVE = "0101010101"  # valid form, not in the register (an institution)
PERSONS = [
    f"{P1};M;1950-05-05;",
    f"{P2};K;1930-12-12;2023-03-01",
    f"{P3};K;1980-01-01;",
    f"{P4};M;1920-02-02;2022-01-01",
]
RESIDENCES = [f"{P1};671;1990-01-01;", f"{P3};101;2000-01-01;"]
CATALOGUE = ["1001;122203", "1002;181203", "1003;093303"]


def cell(app: App, table: str, year: int, *codes: str) -> int | None:
    return compute(app.warehouse, table_spec(table), [year]).values[(*codes, str(year))]


def rensning(app: App) -> set[tuple[str, str, str, int]]:
    rows = app.warehouse.query("SELECT * FROM genbrug_rensning").to_pylist()
    return {(r["kommune"], r["fejlkode"], r["handling"], r["antal"]) for r in rows}


def test_cleaning_removes_and_counts_per_municipality(app: App, tmp_path: Path) -> None:
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    load(
        app,
        "101",
        "A",
        "2024-01-05",
        [
            f"101;101;u1;1001;{P1};SEL112;2023-01-10;",  # kept
            "101;101;u2;1001;3213500001;SEL112;2023-01-10;",  # day 32: invalid CPR
            f"101;101;u3;1001;{FICTIVE};SEL112;2023-01-10;",  # not in register: fictitious
            f"101;101;u4;1001;{P4};SEL112;2023-01-10;",  # dead (2022-01-01) before delivery
            f"101;101;u5;1001;{P3};SEL112;2021-01-10;2022-06-30",  # returned before 2022-07-01
            f"101;101;u6;1001;{P3};SEL112;2023-05-10;2023-05-01",  # returned before delivered
            f"101;101;u7;9999;{P3};SEL112;2023-01-10;",  # unknown HMI: kept, reported
            "101;101;u8;1001;abc;;2023-01-10;",  # not a CPR at all
        ],
    )
    process(app)
    assert rensning(app) == {
        ("101", "UGYLDIG_CPR", "fjernet", 2),
        ("101", "FIKTIV_CPR", "fjernet", 1),
        ("101", "DOED_VED_UDLEVERING", "fjernet", 1),
        ("101", "INDLEVERET_FOER_PERIODEN", "fjernet", 1),
        ("101", "INDLEVERET_FOER_UDLEVERING", "fjernet", 1),
        ("101", "UKENDT_HMI", "beholdt", 1),
    }
    assert cell(app, "HJALP1", 2023, "101") == 2  # u1 and u7
    assert cell(app, "HJALP3", 2023, "ANDRE", "UDLAAN") == 1  # u7: class unknown
    assert cell(app, "HJALP3", 2023, "12", "UDLAAN") == 1  # u1: 122203 → 12


def test_a_new_full_load_replaces_the_previous_one_of_the_same_system(
    app: App, tmp_path: Path
) -> None:
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    load(
        app,
        "101",
        "A",
        "2023-04-01",
        [f"101;101;u1;1001;{P1};;2023-01-10;", f"101;101;u2;1002;{P1};;2023-01-10;"],
    )
    load(app, "101", "A", "2023-07-01", [f"101;101;u1;1001;{P1};;2023-01-10;"])
    load(app, "101", "B", "2023-07-01", [f"101;101;x9;1003;{P3};;2023-02-10;"])
    process(app)
    # System A: only the newer load (u1); system B is another source and counts too.
    assert cell(app, "HJALP1", 2023, "101") == 2
    assert cell(app, "HJALP2", 2023, "101", "0", "TOT") == 2


def test_an_older_extract_sent_later_does_not_replace_a_newer_one(app: App, tmp_path: Path) -> None:
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    load(app, "101", "A", "2023-07-01", [f"101;101;u1;1001;{P1};;2023-01-10;"])
    load(
        app,
        "101",
        "A",
        "2023-04-01",
        [f"101;101;u1;1001;{P1};;2023-01-10;", f"101;101;u2;1002;{P1};;2023-01-10;"],
    )
    process(app)
    assert cell(app, "HJALP1", 2023, "101") == 1


def test_system_switch_keeps_old_loans_before_cut_over_and_counts_duplicates_once(
    app: App, tmp_path: Path
) -> None:
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    declare_system_switch(
        app.intake, kommune="101", fra="A", til="B", dato="2023-06-01", actor="test"
    )
    load(
        app,
        "101",
        "A",
        "2023-06-01",
        [
            f"101;101;a1;1001;{P1};;2023-01-10;",  # also in B, 2 days apart: one loan
            f"101;101;a2;1002;{P1};;2023-02-10;",  # also in B, 4 days apart: two loans
            f"101;101;a3;1003;{P3};;2023-03-10;",  # only in A, before cut-over: kept
            f"101;101;a4;1003;{P1};;2023-07-10;",  # in A after cut-over: not taken from A
        ],
    )
    load(
        app,
        "101",
        "B",
        "2023-10-01",
        [
            f"101;101;b1;1001;{P1};;2023-01-12;",
            f"101;101;b2;1002;{P1};;2023-02-14;",
        ],
    )
    process(app)
    # Loans: a2, a3, b1, b2 = 4 (a1 duplicate of b1 counted once; a4 after cut-over).
    assert cell(app, "HJALP1", 2023, "101") == 4
    dupes = app.warehouse.query(
        "SELECT gammel_udlaan_id, ny_udlaan_id FROM genbrug_dubletter"
    ).to_pylist()
    assert dupes == [{"gammel_udlaan_id": "a1", "ny_udlaan_id": "b1"}]


def test_statistics_municipality_for_a_collaboration(app: App, tmp_path: Path) -> None:
    # 661 reports for 661, 665 and 671 (reference/samarbejder.csv).
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    load(
        app,
        "661",
        "A",
        "2024-01-05",
        [
            f"661;665;c1;1001;{P3};;2023-01-10;",  # paid by member 665 → 665
            f"661;661;c2;1001;{P1};;2023-01-10;",  # paid left as reporter → residence 671
            f"661;661;c3;1001;{P2};;2022-08-10;",  # no residence → the reporter 661
            f"661;101;c4;1001;{P3};;2023-01-10;",  # payer not a member → residence 101
        ],
    )
    load(app, "101", "A", "2024-01-05", [f"101;147;d1;1001;{P1};;2023-01-10;"])
    process(app)
    assert cell(app, "HJALP1", 2023, "665") == 1
    assert cell(app, "HJALP1", 2023, "671") == 1
    assert cell(app, "HJALP1", 2023, "661") == 1  # c3: P2 alive until 2023-03-01
    # Not a collaboration: the reporting municipality, whatever the payer.
    assert cell(app, "HJALP1", 2023, "101") == 2  # c4 by residence and d1
    assert cell(app, "HJALP1", 2023, "147") == 0


def test_active_in_period_with_returns_and_death(app: App, tmp_path: Path) -> None:
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    load(
        app,
        "101",
        "A",
        "2024-06-01",
        [
            f"101;101;e1;1001;{P3};;2021-03-01;2022-07-01",  # returned on the first day: 2022
            f"101;101;e2;1001;{P2};;2022-09-01;",  # ends at death 2023-03-01: 2022, 2023
            f"101;101;e3;1001;{P1};;2022-12-31;2023-12-31",  # 2022 and 2023
            f"101;101;e4;1001;{P1};;2024-01-01;",  # 2024 only
        ],
    )
    process(app)
    assert cell(app, "HJALP1", 2022, "000") == 3
    assert cell(app, "HJALP1", 2023, "000") == 2
    assert cell(app, "HJALP1", 2024, "000") == 1


def test_recipients_by_sex_and_age_on_31_december(app: App, tmp_path: Path) -> None:
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    load(
        app,
        "101",
        "A",
        "2024-06-01",
        [
            f"101;101;f1;1001;{P1};;2023-01-01;",
            f"101;101;f2;1002;{P1};;2023-01-01;",  # same man: one recipient, two loans
            f"101;101;f3;1001;{P2};;2022-10-01;",  # woman, 93 on 31 Dec 2023 (dies in March)
            f"101;101;f4;1001;{P3};;2023-06-01;",  # woman, 43
        ],
    )
    process(app)
    assert cell(app, "HJALP1", 2023, "101") == 4
    assert cell(app, "HJALP2", 2023, "101", "0", "TOT") == 3
    assert cell(app, "HJALP2", 2023, "101", "1", "7074") == 1
    assert cell(app, "HJALP2", 2023, "101", "2", "90-") == 1
    assert cell(app, "HJALP2", 2023, "101", "2", "2549") == 1
    assert cell(app, "HJALP2", 2023, "101", "2", "TOT") == 2
    assert cell(app, "HJALP3", 2023, "TOT", "MODTAGERE") == 3


def test_paragraph_table_and_report(app: App, tmp_path: Path) -> None:
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    load(
        app,
        "101",
        "A",
        "2024-06-01",
        [
            f"101;101;g1;1001;{P1};SEL112;2023-01-01;",  # 12 under § 112: plausible
            f"101;101;g2;1001;{P1};;2023-01-02;",  # without paragraph
            f"101;101;g3;1001;{P3};SEL999;2023-01-03;",  # outside the value set
            f"101;101;g4;1001;{P3};sel114;2023-01-04;",  # 12 under § 114 (car): plausible
            f"101;101;g5;1002;{P3};SEL114;2023-02-01;",  # 18 under § 114: implausible
        ],
    )
    process(app)
    assert cell(app, "HJALP5", 2023, "UOPL", "UDLAAN") == 1
    assert cell(app, "HJALP5", 2023, "ANDEN", "UDLAAN") == 1
    assert cell(app, "HJALP5", 2023, "SEL114", "UDLAAN") == 2
    assert cell(app, "HJALP5", 2023, "SEL114", "MODTAGERE") == 1
    rows = app.warehouse.query(
        "SELECT maaned, iso1, udlaan, uden_paragraf, ukendt_paragraf, usandsynlig_paragraf "
        "FROM genbrug_paragraf_rapport WHERE kommune = '101' ORDER BY ALL"
    ).to_pylist()
    assert [tuple(r.values()) for r in rows] == [
        ("2023-01", "12", 4, 1, 1, 0),
        ("2023-02", "18", 1, 0, 0, 1),
    ]


def test_structural_errors_reject_the_whole_load_and_keep_the_previous(
    app: App, tmp_path: Path
) -> None:
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    good = [f"101;101;u1;1001;{P1};;2023-01-10;"]
    assert "rejected" not in load(app, "101", "A", "2023-04-01", good)
    bad_loads = {
        "KOMMUNE_NOT_HEADER": [f"147;101;u1;1001;{P1};;2023-01-10;"],
        "DUPLICATE_ID": [f"101;101;u1;1001;{P1};;2023-01-10;"] * 2,
        "BAD_FORMAT": [f"101;101;u1;10x1;{P1};;2023-01-10;"],
        "BAD_DATE": [f"101;101;u1;1001;{P1};;2023-02-30;"],
        "UNKNOWN_CODE": [f"101;999;u1;1001;{P1};;2023-01-10;"],
        "MISSING_VALUE": [f"101;101;;1001;{P1};;2023-01-10;"],
    }
    for code, rows in bad_loads.items():
        report = load(app, "101", "A", "2023-07-01", rows)
        assert report.get("rejected"), code
        assert code in report["error_totals"], code  # type: ignore[operator]
    assert load(app, "101", "A", "2023-07-01", []).get("rejected")
    process(app)
    assert cell(app, "HJALP1", 2023, "101") == 1  # the earlier load is still the current one


def test_header_fields_are_checked(app: App, tmp_path: Path) -> None:
    setup(app, tmp_path, PERSONS, RESIDENCES, CATALOGUE)
    report = load(app, "999", "", "2023-13-01", [f"101;101;u1;1001;{P1};;2023-01-10;"])
    assert report.get("rejected")
    message = str(report["message"])
    assert "999" in message and "kildesystem" in message and "udtraeksdato" in message
