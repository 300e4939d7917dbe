"""Known-answer tests of the HANDBU methodology, one rule each (R-HB-1..9, R-CPR-1..5).

Every expectation is worked out by hand in the test's comment from the rule's wording.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import build_handbu

from handistat.app import App
from handistat.tables.registry import compute, table_spec

A = "1506154001"  # boy born 2015-06-15 (7th digit 4, YY 15 ≤ 36 → 2000s)
B = "0101104002"  # girl born 2010-01-01
C = "3112054003"  # boy born 2005-12-31: 17 at end of 2022, 18 at end of 2023
N = "0503234004"  # girl born 2023-03-05
D = "0101154005"  # girl born 2015-01-01, died 2023-06-30
U = "0202124006"  # valid form, not in the population register
PERSONS = [
    (A, "M", "2015-06-15", ""),
    (B, "K", "2010-01-01", ""),
    (C, "M", "2005-12-31", ""),
    (N, "K", "2023-03-05", ""),
    (D, "K", "2015-01-01", "2023-06-30"),
]


def episodes(app: App) -> list[tuple[str, str, str, str, str | None, list[str]]]:
    rows = app.warehouse.query(
        "SELECT cpr, indsats, kommune, CAST(startdato AS VARCHAR) AS s, "
        "CAST(slutdato AS VARCHAR) AS e, indsats_ids FROM handbu_forloeb ORDER BY ALL"
    ).to_pylist()
    return [(r["cpr"], r["indsats"], r["kommune"], r["s"], r["e"], r["indsats_ids"]) for r in rows]


def cell(app: App, table: str, year: int, *codes: str) -> int | None:
    cube = compute(app.warehouse, table_spec(table), [year])
    return cube.values[(*codes, str(year))]


def test_gap_of_14_days_merges_and_15_does_not(app: App, tmp_path: Path) -> None:
    # R-HB-4: end 2023-01-01 → start 2023-01-16 is 14 whole days between: one episode;
    # end 2023-02-01 → start 2023-02-17 is 15 days between (02-02..02-16): a new episode.
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL32;2022-10-01;2023-01-01\n"
        f"101;r2;{A};SEL32;2023-01-16;2023-02-01\n"
        f"101;r3;{A};SEL32;2023-02-17;2023-03-01",
    )
    assert episodes(app) == [
        (A, "1", "101", "2022-10-01", "2023-02-01", ["r1", "r2"]),
        (A, "1", "101", "2023-02-17", "2023-03-01", ["r3"]),
    ]
    assert cell(app, "HANDBU03", 2023, "000", "100") == 2  # two interventions
    assert cell(app, "HANDBU03", 2023, "000", "110") == 1  # one child


def test_chains_merge_transitively(app: App, tmp_path: Path) -> None:
    # r1..r4 each within 14 days of the previous one: one episode 2023-01-01..2023-04-30
    # even though r1 and r4 are far apart.
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL36;2023-01-01;2023-01-31\n"
        f"101;r2;{A};SEL36;2023-02-10;2023-02-28\n"
        f"101;r3;{A};SEL36;2023-03-14;2023-03-31\n"
        f"101;r4;{A};SEL36;2023-04-01;2023-04-30",
    )
    assert episodes(app) == [(A, "3", "101", "2023-01-01", "2023-04-30", ["r1", "r2", "r3", "r4"])]


def test_nested_spell_does_not_end_the_long_one(app: App, tmp_path: Path) -> None:
    # r1 covers the year; r2 lies inside it and ends early; r3 starts 20 days after r2 ends
    # but inside r1, so all three are one episode (a running MAX of earlier ends, not LAG).
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL32;2023-01-01;2023-12-31\n"
        f"101;r2;{A};SEL32;2023-02-01;2023-02-28\n"
        f"101;r3;{A};SEL32;2023-03-20;2023-04-30",
    )
    assert episodes(app) == [(A, "1", "101", "2023-01-01", "2023-12-31", ["r1", "r2", "r3"])]


def test_open_end_dominates_and_keeps_counting(app: App, tmp_path: Path) -> None:
    # An open record merged with a closed later one: the episode stays open, so it is active
    # in every year from its start: counted in 2023, 2024 and 2025.
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{B};SEL44-84-1;2023-05-01;\n101;r2;{B};SEL44-84-1;2023-06-01;2023-07-01",
    )
    assert episodes(app) == [(B, "5", "101", "2023-05-01", None, ["r1", "r2"])]
    for year in (2023, 2024, 2025):
        assert cell(app, "HANDBU03", year, "000", "5") == 1
    assert cell(app, "HANDBU03", 2022, "000", "5") == 0


def test_same_type_in_two_municipalities(app: App, tmp_path: Path) -> None:
    # Episodes are per handlekommune: two interventions; the child counts once in each
    # municipality and once nationally (R-HB-7), so 101 + 147 (2) ≠ national (1).
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{B};SEL44-83;2023-01-01;2023-06-30\n147;r1;{B};SEL44-83;2023-07-01;2023-12-31",
    )
    assert cell(app, "HANDBU01", 2023, "000", "100", "0") == 2
    assert cell(app, "HANDBU01", 2023, "000", "110", "0") == 1
    assert cell(app, "HANDBU01", 2023, "101", "110", "0") == 1
    assert cell(app, "HANDBU01", 2023, "147", "110", "0") == 1
    # 101 and 147 are both in landsdel 01 Byen København: one child there.
    assert cell(app, "HANDBU03", 2023, "01", "110") == 1
    assert cell(app, "HANDBU03", 2023, "01", "100") == 2


def test_two_types_in_one_municipality(app: App, tmp_path: Path) -> None:
    # Overlapping records of different types never merge: 2 interventions, 1 child.
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL32;2023-01-01;2023-12-31\n101;r2;{A};SEL44-84-1;2023-03-01;2023-04-01",
    )
    assert cell(app, "HANDBU04", 2023, "100", "IALT", "0") == 2
    assert cell(app, "HANDBU04", 2023, "110", "IALT", "0") == 1
    assert cell(app, "HANDBU04", 2023, "1", "0611", "D") == 1  # A is 8 at end of 2023
    assert cell(app, "HANDBU04", 2023, "5", "0611", "D") == 1


def test_child_aged_18_at_year_end_is_left_out(app: App, tmp_path: Path) -> None:
    # C is 17 on 31 Dec 2022 (counted, 12-17) and 18 on 31 Dec 2023 (not counted).
    build_handbu(app, tmp_path, PERSONS, f"101;r1;{C};SEL45;2022-01-01;2023-12-31")
    assert cell(app, "HANDBU02", 2022, "000", "110", "1217") == 1
    assert cell(app, "HANDBU02", 2023, "000", "110", "IALT") == 0


def test_newborn_is_age_0(app: App, tmp_path: Path) -> None:
    build_handbu(app, tmp_path, PERSONS, f"101;r1;{N};SEL32A;2023-09-01;")
    assert cell(app, "HANDBU02", 2023, "101", "110", "0005") == 1
    assert cell(app, "HANDBU01", 2023, "101", "110", "P") == 1


def test_annulment_in_a_later_delivery_removes_the_record(app: App, tmp_path: Path) -> None:
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL32;2023-01-01;2023-06-30\n101;r2;{A};SEL36;2023-01-01;",
        f"101;r2;{A};SEL36;2023-01-01;;annulleret",
    )
    assert episodes(app) == [(A, "1", "101", "2023-01-01", "2023-06-30", ["r1"])]


def test_correction_in_a_later_delivery_replaces_the_record(app: App, tmp_path: Path) -> None:
    # r1 first ended 2023-01-31 (two episodes with r2), corrected to end 2023-03-01
    # (now r2 starting 2023-03-10 follows within 14 days: one episode).
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL32;2023-01-01;2023-01-31\n101;r2;{A};SEL32;2023-03-10;2023-05-01",
        f"101;r1;{A};SEL32;2023-01-01;2023-03-01",
    )
    assert episodes(app) == [(A, "1", "101", "2023-01-01", "2023-05-01", ["r1", "r2"])]


def test_unknown_cpr_goes_to_the_error_list_and_is_left_out(app: App, tmp_path: Path) -> None:
    build_handbu(
        app, tmp_path, PERSONS, f"101;r1;{U};SEL32;2023-01-01;\n101;r2;{A};SEL32;2023-01-01;"
    )
    errors = app.warehouse.query("SELECT kommune, indsats_id, fejlkode FROM handbu_cpr_fejl")
    assert errors.to_pylist() == [{"kommune": "101", "indsats_id": "r1", "fejlkode": "UKENDT_CPR"}]
    assert cell(app, "HANDBU03", 2023, "000", "110") == 1


def test_invalid_cpr_date_is_rejected_with_a_masked_value(app: App, tmp_path: Path) -> None:
    from tests.conftest import deliver_handbu

    report = deliver_handbu(app, "101;r1;3002154007;SEL32;2023-01-01;")[0]
    assert report["outcome"] == "rejected"
    [error] = report["errors"]  # type: ignore[misc]
    assert (error["row"], error["column"], error["code"]) == (2, "cpr", "INVALID_CPR")
    assert error["value"] == "300215-****"
    assert "3002154007" not in str(report)


def test_hyphenated_cpr_is_the_same_child(app: App, tmp_path: Path) -> None:
    hyphenated = f"{A[:6]}-{A[6:]}"
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{hyphenated};SEL32;2023-01-01;2023-01-31\n101;r2;{A};SEL32;2023-02-01;2023-02-28",
    )
    assert episodes(app) == [(A, "1", "101", "2023-01-01", "2023-02-28", ["r1", "r2"])]


def test_exact_duplicates_are_reported_and_counted_once(app: App, tmp_path: Path) -> None:
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL32;2023-01-01;2023-06-30\n101;r2;{A};SEL32;2023-01-01;2023-06-30",
    )
    dupes = app.warehouse.query(
        "SELECT kommune, antal, foerste_id, sidste_id FROM handbu_dubletter"
    )
    assert dupes.to_pylist() == [
        {"kommune": "101", "antal": 2, "foerste_id": "r1", "sidste_id": "r2"}
    ]
    assert cell(app, "HANDBU03", 2023, "000", "100") == 1


def test_year_boundaries(app: App, tmp_path: Path) -> None:
    # Ends on 1 Jan 2023: active in 2022 and 2023. Starts 31 Dec 2023: active in 2023 only
    # (ends the same day). Started in Y vs continued (R-HB-6).
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL32;2022-03-01;2023-01-01\n101;r2;{B};SEL32;2023-12-31;2023-12-31",
    )
    assert cell(app, "HANDBU03", 2022, "000", "100") == 1
    assert cell(app, "HANDBU03", 2023, "000", "100") == 2
    assert cell(app, "HANDBU03", 2024, "000", "100") == 0
    assert cell(app, "HANDBU05", 2023, "000", "100", "NY") == 1
    assert cell(app, "HANDBU05", 2023, "000", "100", "FORTS") == 1
    # R-HB-7: B first time in 2023; A had an episode before 2023.
    assert cell(app, "HANDBU06", 2023, "000", "NY") == 1
    assert cell(app, "HANDBU06", 2023, "000", "FORTS") == 1


def test_child_dead_before_the_year_is_not_counted(app: App, tmp_path: Path) -> None:
    # D died 2023-06-30 with an open episode: counted in 2023, not in 2024.
    build_handbu(app, tmp_path, PERSONS, f"101;r1;{D};SEL32;2022-01-01;")
    assert cell(app, "HANDBU03", 2023, "000", "110") == 1
    assert cell(app, "HANDBU03", 2024, "000", "110") == 0


def test_rebuild_is_deterministic(app: App, tmp_path: Path) -> None:
    # R-HB-1: processing twice from the same raw zone gives the identical register.
    from handistat.intake.policies import HANDBU_POLICY
    from handistat.register.process import process_handbu

    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL32;2023-01-01;\n147;r9;{B};SEL45;2022-01-01;2022-12-31",
    )
    first = episodes(app)
    for staged in (app.settings.data_dir / "staged").rglob("*.parquet"):
        staged.unlink()  # derived files are re-created from the raw bytes
    process_handbu(app.intake, app.warehouse, HANDBU_POLICY, [2022, 2023])
    assert episodes(app) == first
