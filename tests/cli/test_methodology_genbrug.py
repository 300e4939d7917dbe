"""Issue 10, GENBRUG rules through the CLI with hand-computed answers: R-IN-8 (one-to-one
pairing across a system switch), R-GB-5 (a loan ends at death), R-GB-4 (collaboration
membership on `udleveringsdato`, maintained with `handistat samarbejde`) and the HJALP2 leaves
for unknown sex and age."""

from __future__ import annotations

from pathlib import Path

from tests.cli.methodology_helpers import (
    deliver_genbrug,
    init_with_population,
    report_rows,
    table_cells,
)
from tests.cli.test_cli import run

# made-up CPR numbers of the test population
P1 = "0101501001"  # woman born 1950-01-01
P2 = "0202502002"  # man born 1950-02-02
P3 = "0303503003"  # in the register without sex or birth date
HMI = ["1001;120606"]


def test_system_switch_pairs_one_to_one(tmp_path: Path) -> None:
    # R-IN-8: the old system holds two identical loans (a1, a2: "four blocks for a bed"),
    # the new one a single copy (b1). One pair (a1-b1: equal distance, lower udlaan_id);
    # a2 stays. Two loans in 2023, not one.
    init_with_population(tmp_path, [f"{P1};K;1950-01-01;"], hmi=HMI)
    run(tmp_path, "systemskifte", "--kommune", "101", "--fra", "A", "--til", "B", "--dato",
        "2023-06-01")  # fmt: skip
    old = [f"101;101;{i};1001;{P1};;2023-01-10;" for i in ("a2", "a1")]
    deliver_genbrug(tmp_path, "101", "A", "2023-05-31", old)
    deliver_genbrug(tmp_path, "101", "B", "2023-07-01", [f"101;101;b1;1001;{P1};;2023-01-11;"])
    run(tmp_path, "process", "genbrug")
    pairs = report_rows(tmp_path, "genbrug-dubletter")
    assert [(p["gammel_udlaan_id"], p["ny_udlaan_id"]) for p in pairs] == [("a1", "b1")]
    assert table_cells(tmp_path, "HJALP1", 2023)[("101",)] == "2"


def test_four_identical_copies_a_side_pair_completely(tmp_path: Path) -> None:
    # R-IN-8: four identical old loans (a0-a3) and four identical new copies (b0-b3), all on
    # 2023-01-10. Greedy by (distance, old id, new id): a0-b0, a1-b1, a2-b2, a3-b3; the four
    # new loans remain. Two pairing rounds paired only two (six loans counted).
    init_with_population(tmp_path, [f"{P1};K;1950-01-01;"], hmi=HMI)
    run(tmp_path, "systemskifte", "--kommune", "101", "--fra", "A", "--til", "B", "--dato",
        "2023-06-01")  # fmt: skip
    old = [f"101;101;a{i};1001;{P1};;2023-01-10;" for i in range(4)]
    new = [f"101;101;b{i};1001;{P1};;2023-01-10;" for i in range(4)]
    deliver_genbrug(tmp_path, "101", "A", "2023-05-31", old)
    deliver_genbrug(tmp_path, "101", "B", "2023-07-01", new)
    run(tmp_path, "process", "genbrug")
    pairs = report_rows(tmp_path, "genbrug-dubletter")
    assert sorted((p["gammel_udlaan_id"], p["ny_udlaan_id"]) for p in pairs) == [
        ("a0", "b0"),
        ("a1", "b1"),
        ("a2", "b2"),
        ("a3", "b3"),
    ]
    assert table_cells(tmp_path, "HJALP1", 2023)[("101",)] == "4"


def test_closest_dates_pair_first(tmp_path: Path) -> None:
    # R-IN-8: old a3 (Feb 1) and a4 (Feb 5); new b2 (Feb 4) and b3 (Feb 2). Closest first:
    # a3-b3 (1 day), a4-b2 (1 day); nothing left over, two loans.
    init_with_population(tmp_path, [f"{P1};K;1950-01-01;"], hmi=HMI)
    run(tmp_path, "systemskifte", "--kommune", "101", "--fra", "A", "--til", "B", "--dato",
        "2023-06-01")  # fmt: skip
    deliver_genbrug(
        tmp_path,
        "101",
        "A",
        "2023-05-31",
        [f"101;101;a3;1001;{P1};;2023-02-01;", f"101;101;a4;1001;{P1};;2023-02-05;"],
    )
    deliver_genbrug(
        tmp_path,
        "101",
        "B",
        "2023-07-01",
        [f"101;101;b2;1001;{P1};;2023-02-04;", f"101;101;b3;1001;{P1};;2023-02-02;"],
    )
    run(tmp_path, "process", "genbrug")
    pairs = report_rows(tmp_path, "genbrug-dubletter")
    assert sorted((p["gammel_udlaan_id"], p["ny_udlaan_id"]) for p in pairs) == [
        ("a3", "b3"),
        ("a4", "b2"),
    ]
    assert table_cells(tmp_path, "HJALP1", 2023)[("101",)] == "2"


def test_a_loan_ends_at_the_recipients_death(tmp_path: Path) -> None:
    # R-GB-5: P1 dies 2023-03-15; the device comes back 2024-05-01. Counted in 2023 (active
    # until death), not in 2024. P2 (alive, same dates) is counted in both years.
    init_with_population(
        tmp_path, [f"{P1};K;1950-01-01;2023-03-15", f"{P2};M;1950-02-02;"], hmi=HMI
    )
    deliver_genbrug(
        tmp_path,
        "101",
        "A",
        "2024-06-01",
        [
            f"101;101;u1;1001;{P1};;2022-09-01;2024-05-01",
            f"101;101;u2;1001;{P2};;2022-09-01;2024-05-01",
        ],
    )
    run(tmp_path, "process", "genbrug")
    assert table_cells(tmp_path, "HJALP1", 2023)[("101",)] == "2"
    assert table_cells(tmp_path, "HJALP1", 2024)[("101",)] == "1"
    hjalp2 = table_cells(tmp_path, "HJALP2", 2024)
    assert (hjalp2[("101", "2", "TOT")], hjalp2[("101", "1", "7074")]) == ("0", "1")


def test_hjalp2_leaves_for_unknown_sex_and_age_add_up(tmp_path: Path) -> None:
    # P3 is in the register without sex or birth date: counted under KONAMS 9 and ALERAMS 999
    # so that the leaves add up to the total (2 recipients in 101 in 2023).
    init_with_population(tmp_path, [f"{P1};K;1950-01-01;", f"{P3};;;"], hmi=HMI)
    deliver_genbrug(
        tmp_path,
        "101",
        "A",
        "2024-01-05",
        [f"101;101;u1;1001;{P1};;2023-01-10;", f"101;101;u2;1001;{P3};;2023-01-10;"],
    )
    run(tmp_path, "process", "genbrug")
    cells = table_cells(tmp_path, "HJALP2", 2023)
    assert cells[("101", "0", "TOT")] == "2"
    assert (cells[("101", "9", "TOT")], cells[("101", "0", "999")]) == ("1", "1")
    assert (cells[("101", "9", "999")], cells[("101", "2", "7074")]) == ("1", "1")
    for total in ("0", "TOT"):
        sexes = [cells[("101", k, "TOT")] for k in ("1", "2", "9")]
        ages = [cells[("101", "0", a)] for a in ("0024", "6569", "7074", "999")]
        assert sum(map(int, sexes if total == "0" else ages)) == 2


def test_collaboration_membership_is_read_on_the_delivery_day(tmp_path: Path) -> None:
    # R-GB-4. The packaged collaboration 661 (members 665, 671 from 2022-07-01) ends on
    # 2023-06-30 (`samarbejde end`). Loans reported by 661:
    #   u1 paid by 665, delivered 2023-03-01 (member then)          -> 665
    #   u2 paid by 661, delivered 2023-03-01, recipient lives in 671 -> 671 (residence)
    #   u3 paid by 665, delivered 2023-09-01 (collaboration ended)   -> 661
    # Read on the processing date (2026) all three would go to 661.
    init_with_population(
        tmp_path,
        [f"{P1};K;1950-01-01;", f"{P2};M;1950-02-02;"],
        [f"{P1};661;1950-01-01;", f"{P2};671;1950-02-02;"],
        hmi=HMI,
    )
    for medlem in ("661", "665", "671"):
        run(tmp_path, "samarbejde", "end", "--indberetter", "661", "--medlem", medlem, "--til",
            "2023-06-30")  # fmt: skip
    listed = run(tmp_path, "samarbejde", "list").stdout.splitlines()
    assert listed[0] == "indberetningskommune;medlemskommune;gyldig_fra;gyldig_til;navn"
    assert listed[2].startswith("661;665;2022-07-01;2023-06-30;")
    deliver_genbrug(
        tmp_path,
        "661",
        "A",
        "2024-01-05",
        [
            f"661;665;u1;1001;{P1};;2023-03-01;",
            f"661;661;u2;1001;{P2};;2023-03-01;",
            f"661;665;u3;1001;{P1};;2023-09-01;",
        ],
    )
    run(tmp_path, "process", "genbrug")
    cells = table_cells(tmp_path, "HJALP1", 2023)
    assert (cells[("661",)], cells[("665",)], cells[("671",)]) == ("1", "1", "1")


def test_samarbejde_commands_validate_and_refuse_overlaps(tmp_path: Path) -> None:
    # R-GB-4/§13: a new membership, a refused overlapping one (exit 1), a bad code (exit 1).
    run(tmp_path, "init")
    run(tmp_path, "samarbejde", "add", "--indberetter", "101", "--medlem", "147", "--fra",
        "2024-01-01", "--navn", "Depot København-Frederiksberg")  # fmt: skip
    again = run(tmp_path, "samarbejde", "add", "--indberetter", "101", "--medlem", "147",
                "--fra", "2024-06-01", ok=False)  # fmt: skip
    assert again.returncode == 1 and "allerede medlem" in again.stderr
    bad = run(tmp_path, "samarbejde", "add", "--indberetter", "999", "--medlem", "147", "--fra",
              "2024-01-01", ok=False)  # fmt: skip
    assert bad.returncode == 1
    run(tmp_path, "samarbejde", "end", "--indberetter", "101", "--medlem", "147", "--til",
        "2024-12-31")  # fmt: skip
    run(tmp_path, "samarbejde", "add", "--indberetter", "101", "--medlem", "147", "--fra",
        "2025-03-01")  # fmt: skip
    rows = [
        r for r in run(tmp_path, "samarbejde", "list").stdout.splitlines() if r.startswith("101;")
    ]
    assert [r.split(";")[:4] for r in rows] == [
        ["101", "147", "2024-01-01", "2024-12-31"],
        ["101", "147", "2025-03-01", ""],
    ]
