"""Known answers for the GENBRUG truth on tiny hand-made full loads (R-IN-7/8, R-GB-1..5)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from handistat.synth.truth.common import Person
from handistat.synth.truth.genbrug import LoanRow, active, alerams, statistikbankkommune
from handistat.synth.truth.genbrug_run import write_genbrug_truth

D = dt.date
HEADER = "indberetningskommune;betalingskommune;udlaan_id;hmi_nummer;cpr;paragraf;udleveringsdato;indleveringsdato"  # noqa: E501
OLD = "0101404001"  # born 1940 (age 82 in 2022)
MAN = "0202504002"  # born 1950
DEAD = "0303301003"  # born 1930, died 2023-05-01
MEMBER = "0404454004"  # born 1945, lives in 671


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def world(tmp_path: Path, loads: dict[str, list[str]], switch: str | None = None) -> Path:
    _write(tmp_path / "population" / "personer.csv", [
        "cpr;koen;foedselsdato;doedsdato",
        f"{OLD};K;1940-01-01;", f"{MAN};M;1950-02-02;", f"{DEAD};M;1930-03-03;2023-05-01",
        f"{MEMBER};K;1945-04-04;",
    ])  # fmt: skip
    _write(tmp_path / "population" / "bopael.csv", [
        "cpr;kommune;fra;til", f"{OLD};101;2000-01-01;", f"{MAN};101;2000-01-01;",
        f"{DEAD};101;2000-01-01;2023-05-01", f"{MEMBER};665;2000-01-01;2022-12-31",
        f"{MEMBER};671;2023-01-01;",
    ])  # fmt: skip
    _write(tmp_path / "hmi_katalog.csv", ["hmi_nummer;iso_kode", "12345;120601"])
    _write(tmp_path / "systemskifter.csv", ["kommune;fra;til;dato", *([switch] if switch else [])])
    for name, rows in loads.items():
        _write(tmp_path / "deliveries" / "genbrug" / name, [HEADER, *rows])
    return tmp_path


def cells(out: Path, table: str) -> dict[tuple[str, ...], int]:
    lines = (out / "truth" / "tables" / f"{table}.csv").read_text(encoding="utf-8").splitlines()
    return {tuple(line.split(";")[:-1]): int(line.split(";")[-1]) for line in lines[1:]}


def test_period_2022_starts_on_1_july_and_a_loan_not_returned_ends_at_death(tmp_path: Path) -> None:
    out = world(tmp_path, {"101_S_2026-04-05.csv": [
        f"101;101;1;12345;{OLD};SEL112;2020-01-01;2022-06-30",  # returned before the period
        f"101;101;2;12345;{OLD};SEL112;2020-01-01;2022-07-01",  # returned on its first day
        f"101;101;3;12345;{MAN};;2023-12-31;",  # delivered on the last day of 2023
        f"101;101;4;12345;{DEAD};;2021-01-01;",  # never returned: ends 2023-05-01
        f"101;101;5;12345;{DEAD};;2023-05-01;2024-01-10",  # delivered on the death day
        f"101;101;6;12345;{DEAD};;2023-05-02;",  # delivered after death: removed
    ]})  # fmt: skip
    write_genbrug_truth(out, {})
    hjalp1 = cells(out, "HJALP1")
    # R-GB-5 (a loan ends on return or death, whichever first): 2022 loans 2, 4; 2023 loans 3,
    # 4, 5; 2024 and 2025 loan 3 only (loan 5 ended at the death on 2023-05-01, not 2024-01-10)
    assert [hjalp1[("101", str(y))] for y in (2022, 2023, 2024, 2025)] == [2, 3, 1, 1]
    assert hjalp1[("000", "2023")] == 3
    summary = json.loads((out / "truth" / "genbrug_summary.json").read_text())
    assert summary["removed"] == {"dead_at_delivery": 1, "returned_before_period": 1}
    hjalp2 = cells(out, "HJALP2")
    assert hjalp2[("101", "0", "TOT", "2023")] == 2  # MAN and DEAD; three loans
    assert hjalp2[("101", "1", "90-", "2023")] == 1  # DEAD is 93 at the end of 2023
    assert hjalp2[("101", "1", "7074", "2023")] == 1  # MAN is 73
    # R-GB-5: nobody is counted after death, though the family returned the device in 2024
    assert hjalp2[("000", "0", "TOT", "2024")] == 1


def test_invalid_and_fictitious_cprs_are_removed(tmp_path: Path) -> None:
    out = world(tmp_path, {"101_S_2026-04-05.csv": [
        "101;101;1;12345;3201404001;;2023-01-01;",  # 32 January
        "101;101;2;12345;101404001;;2023-01-01;",  # lost its leading zero
        "101;101;3;12345;0101000123;;2023-01-01;",  # institution: 1 January 1900, not a person
        "101;101;4;12345;010140-4001;;2023-01-01;",  # with a dash: fine
        f"101;101;5;99;{OLD};;2023-01-01;2022-12-01",  # returned before delivered
    ]})  # fmt: skip
    write_genbrug_truth(out, {})
    summary = json.loads((out / "truth" / "genbrug_summary.json").read_text())
    assert summary["removed"] == {
        "fictitious_cpr": 1,
        "invalid_cpr": 2,
        "returned_before_delivered": 1,
    }
    assert cells(out, "HJALP1")[("101", "2023")] == 1


def _row(betaler: str, cpr: str = MEMBER, ud: str = "2023-06-01") -> LoanRow:
    return LoanRow("S", "661", betaler, "1", "12345", cpr, "", D.fromisoformat(ud), None)


def test_statistikbankkommune_for_a_collaboration() -> None:
    spells = [("665", D(2000, 1, 1), D(2022, 12, 31)), ("671", D(2023, 1, 1), None)]
    assert statistikbankkommune(_row("665"), spells) == "665"  # another member pays
    assert statistikbankkommune(_row("661"), spells) == "671"  # left as reporter: residence
    assert statistikbankkommune(_row("661", ud="2022-08-01"), spells) == "665"
    assert statistikbankkommune(_row("101"), spells) == "671"  # paid elsewhere: residence
    assert statistikbankkommune(_row("661"), []) == "661"  # no residence: the reporter
    outside = LoanRow("S", "101", "147", "1", "12345", OLD, "", D(2023, 6, 1), None)
    assert statistikbankkommune(outside, []) == "101"  # no collaboration: the reporter


def test_collaboration_end_to_end(tmp_path: Path) -> None:
    out = world(tmp_path, {"661_S_2026-04-05.csv": [
        f"661;661;1;12345;{MEMBER};;2022-09-01;",  # lived in 665 then
        f"661;661;2;12345;{MEMBER};;2023-09-01;",  # lives in 671 now
        f"661;665;3;12345;{MEMBER};;2023-09-02;",  # the paying member
    ]})  # fmt: skip
    write_genbrug_truth(out, {})
    hjalp1, hjalp2 = cells(out, "HJALP1"), cells(out, "HJALP2")
    assert (hjalp1[("665", "2023")], hjalp1[("671", "2023")], hjalp1[("661", "2023")]) == (2, 1, 0)
    assert hjalp2[("665", "2", "TOT", "2023")] == hjalp2[("671", "2", "TOT", "2023")] == 1
    assert hjalp2[("000", "2", "7579", "2023")] == 1  # once nationally, age 78


def test_latest_load_per_system_and_the_vendor_switch(tmp_path: Path) -> None:
    out = world(
        tmp_path,
        {
            "101_A_2023-10-05.csv": [f"101;101;9;12345;{MAN};;2023-01-01;"],  # superseded
            "101_A_2024-02-29.csv": [
                f"101;101;1;12345;{OLD};;2023-01-01;",  # migrated, moved 3 days: same loan
                f"101;101;2;777;{OLD};;2023-01-01;",  # migrated, moved 4 days: another loan
                f"101;101;3;12345;{MAN};;2023-02-01;2023-12-01",  # returned before: only here
                f"101;101;4;12345;{DEAD};;2024-03-01;",  # on/after the cut-over: ignored
            ],
            "101_B_2026-04-05.csv": [
                f"101;101;x1;12345;{OLD};;2023-01-04;2024-06-30",
                f"101;101;x2;777;{OLD};;2023-01-05;",
            ],
        },
        switch="101;A;B;2024-03-01",
    )
    write_genbrug_truth(out, {})
    summary = json.loads((out / "truth" / "genbrug_summary.json").read_text())
    assert summary["switch_duplicates_dropped"] == 1
    hjalp1 = cells(out, "HJALP1")
    assert (hjalp1[("101", "2023")], hjalp1[("101", "2025")]) == (4, 2)
    register = (out / "truth" / "genbrug_udlaan.csv").read_text().splitlines()
    assert sorted(line.split(";")[2] for line in register[1:]) == ["2", "3", "x1", "x2"]


def test_age_groups_and_activity() -> None:
    def born(year: int) -> Person:
        return Person("K", D(year, 6, 1), None)

    assert [alerams(born(2023 - a), 2023) for a in (0, 24, 25, 49, 50, 64, 65, 89, 90, 104)] == [
        "0024", "0024", "2549", "2549", "5059", "6064", "6569", "8589", "90-", "90-",
    ]  # fmt: skip
    assert alerams(Person("K", None, None), 2023) == "999"  # Uoplyst alder, HJALP2's leaf
    assert active(D(2022, 12, 31), None, 2022) and not active(D(2023, 1, 1), None, 2022)
    assert not active(D(2020, 1, 1), D(2022, 6, 30), 2022) and active(
        D(2020, 1, 1), D(2022, 7, 1), 2022
    )
