"""Issue 10, intake rules through the CLI: R-GB-2 (empty CPR is cleaning) and R-HB-1 (the
last row of a key in one HANDBU delivery wins). Known answers computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.methodology_helpers import (
    deliver_genbrug,
    deliver_handbu,
    init_with_population,
    report_rows,
    table_cells,
)
from tests.cli.test_cli import run

P1 = "0101501001"  # made up: woman born 1950-01-01
CHILD = "1506154001"  # made up: girl born 2015-06-15


def test_blank_cpr_is_cleaned_not_a_rejected_full_load(tmp_path: Path) -> None:
    # R-GB-2: three loans, two without a CPR (empty and blank). The load is accepted; the two
    # are removed by cleaning as invalid CPRs and counted; one loan remains in HJALP1.
    init_with_population(tmp_path, [f"{P1};K;1950-01-01;"], hmi=["1001;120606"])
    result = deliver_genbrug(
        tmp_path,
        "101",
        "A",
        "2024-01-05",
        [
            f"101;101;u1;1001;{P1};;2023-01-10;",
            "101;101;u2;1001;;;2023-01-10;",
            "101;101;u3;1001;   ;;2023-01-10;",
        ],
    )
    report = json.loads(result.stdout)
    assert (report["outcome"], report["rows_accepted"], report["rows_rejected"]) == (
        "accepted",
        3,
        0,
    )
    run(tmp_path, "process", "genbrug")
    cleaning = [r for r in report_rows(tmp_path, "rensning") if r["fejlkode"] == "UGYLDIG_CPR"]
    assert [(r["kommune"], r["handling"], r["antal"]) for r in cleaning] == [
        ("101", "fjernet", "2")
    ]
    cells = table_cells(tmp_path, "HJALP1", 2023)
    assert (cells[("101",)], cells[("000",)]) == ("1", "1")


def test_last_row_of_a_key_in_one_handbu_delivery_wins(tmp_path: Path) -> None:
    # R-HB-1: d1 holds r1 (ongoing since 2022). d2 annuls r1 and, later in the same file,
    # sends its correction (2023-02-01 to 2023-03-01). The last row wins: r1 counts in 2023
    # and no longer in 2022. (Before: both rows of r1 were rejected as errors and d1's r1,
    # open since 2022, still counted in 2022.)
    init_with_population(tmp_path, [f"{CHILD};K;2015-06-15;"])
    deliver_handbu(tmp_path, "d1.csv", [f"101;r1;{CHILD};SEL32;2022-01-01;;"])
    result = deliver_handbu(
        tmp_path,
        "d2.csv",
        [
            f"101;r1;{CHILD};SEL32;2022-01-01;;annulleret",
            f"101;r2;{CHILD};SEL32;2020-01-01;2020-02-01;",
            f"101;r1;{CHILD};SEL32;2023-02-01;2023-03-01;",
        ],
    )
    report = json.loads(result.stdout)
    assert report["outcome"] == "accepted"
    assert report["errors"] == []
    assert (report["rows_accepted"], report["rows_superseded"]) == (2, 1)
    assert report["superseded"] == [{"row": 2, "key": "101/r1", "replaced_by_row": 4}]
    run(tmp_path, "process", "handbu")
    assert table_cells(tmp_path, "HANDBU01", 2022)[("000", "100", "0")] == "0"
    assert table_cells(tmp_path, "HANDBU01", 2023)[("000", "100", "0")] == "1"


def test_repeated_udlaan_id_still_rejects_a_genbrug_full_load(tmp_path: Path) -> None:
    # R-GB-2/R-IN-4: in a full load a repeated udlaan_id stays a structural error (exit 1).
    init_with_population(tmp_path, [f"{P1};K;1950-01-01;"])
    row = f"101;101;u1;1001;{P1};;2023-01-10;"
    result = deliver_genbrug(tmp_path, "101", "A", "2024-01-05", [row, row], ok=False)
    assert result.returncode == 1
    assert json.loads(result.stdout)["error_totals"] == {"DUPLICATE_ID": 2}


def test_rejected_bytes_sent_again_exit_1_every_time(tmp_path: Path) -> None:
    # R-IN-2: a rejected full load sent again is judged afresh (exit 1, not "already received").
    init_with_population(tmp_path, [f"{P1};K;1950-01-01;"])
    bad = [f"101;101;u1;1001;{P1};;2023-13-10;"]  # no 13th month
    first = deliver_genbrug(tmp_path, "101", "A", "2024-01-05", bad, ok=False)
    again = deliver_genbrug(tmp_path, "101", "A", "2024-01-05", bad, ok=False)
    assert (first.returncode, again.returncode) == (1, 1)
    assert json.loads(again.stdout)["error_totals"] == {"BAD_DATE": 1}
    assert "duplicate_of" not in json.loads(again.stdout)
