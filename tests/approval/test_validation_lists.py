"""R-VAL-1 and R-VAL-2: known answers for the HANDBU validation list (counts per type, last
year, rates against the national rate, flags) and the GENBRUG monthly approval reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.accounts.helpers import CHILD_101, CHILD_101B, CHILD_147, load_people
from tests.conftest import deliver_handbu
from tests.register.genbrug_helpers import load, process, setup

from handistat.app import App
from handistat.approval.declarations import Flagging
from handistat.approval.genbrug import GENBRUG_KIND, approval_reports
from handistat.approval.handbu import change_flag, flags, table_rows, validation_lists
from handistat.intake.policies import HANDBU_POLICY
from handistat.register.process import process_handbu

TODAY = dt.date(2026, 3, 2)


def build(app: App, tmp_path: Path) -> None:
    load_people(app, tmp_path / "pop")
    deliver_handbu(
        app,
        f"101;a;{CHILD_101};SEL32;2024-01-01;;\n"
        f"101;b;{CHILD_101B};SEL36;2025-02-01;2025-03-01;\n"
        f"147;c;{CHILD_147};SEL32;2025-05-01;;",
    )
    process_handbu(app.intake, app.warehouse, HANDBU_POLICY, [2024, 2025])


def test_validation_list_counts_rates_and_last_year(app: App, tmp_path: Path) -> None:
    build(app, tmp_path)
    lists = validation_lists(app.warehouse, 2025, TODAY)
    assert len(lists) == 98 and ("411", "") not in lists
    own = lists[("101", "")]
    assert own["tal"] == {
        "i_alt": {"boern": 2, "indsatser": 2},
        "1": {"boern": 1, "indsatser": 1},
        "3": {"boern": 1, "indsatser": 1},
    }
    assert own["sidste_aar"] == {
        "i_alt": {"boern": 1, "indsatser": 1},
        "1": {"boern": 1, "indsatser": 1},
    }
    assert own["indbyggere_0_17"] == 2
    assert own["rate"] == 1000.0  # 2 children of 2 living there
    assert own["national_rate"] is None  # live 3 of 3 is embargoed (issue 13 item 9)
    assert lists[("151", "")]["tal"] == {} and lists[("151", "")]["rate"] is None
    rows = {r["kode"]: r for r in table_rows(own)}
    assert (
        rows["3"]["indsatser"],
        rows["3"]["indsatser_sidste_aar"],
        rows["3"]["indsatser_aendring"],
    ) == (1, 0, 1)
    assert rows["8"]["boern"] == 0


def test_flags_for_large_changes_and_deviating_rates() -> None:
    assert (
        change_flag("Børn i alt", 20, 10, 2025, Flagging())
        == "Børn i alt: +100 % fra 2024 (10 → 20)"
    )
    assert change_flag("Børn i alt", 12, 10, 2025, Flagging()) is None  # +20 %: below 25 %
    assert change_flag("Børn i alt", 13, 10, 2025, Flagging(change_min=5)) is None  # 3 < 5
    assert change_flag("Indsats 2", 6, 0, 2025, Flagging()) == "Indsats 2: 6 i 2025, ingen i 2024"
    figures = {
        "tal": {"i_alt": {"boern": 40, "indsatser": 50}},
        "sidste_aar": {"i_alt": {"boern": 40, "indsatser": 50}},
        "rate": 25.0,
        "national_rate": 10.0,
    }
    assert flags(figures, 2025) == ["Børn pr. 1.000 0-17-årige: 25.0 mod 10.0 på landsplan"]


PERSON = "0505500001"


def test_genbrug_monthly_reports(app: App, tmp_path: Path) -> None:
    setup(
        app, tmp_path, [f"{PERSON};M;1950-05-05;"], [f"{PERSON};101;1990-01-01;"], ["1001;122203"]
    )
    load(
        app,
        "101",
        "S",
        "2026-01-31",
        [
            f"101;101;u1;1001;{PERSON};;2024-01-05;2024-03-10",
            f"101;101;u2;1001;{PERSON};;2024-02-01;",
        ],
    )
    process(app)
    reports = approval_reports(app.warehouse, 2024, TODAY)
    assert len(reports) == 98 * 12
    assert reports[("101", "2024-01")]["tal"] == {"udleveringer": 1, "indleveringer": 0}
    assert reports[("101", "2024-02")]["tal"] == {"udleveringer": 1, "indleveringer": 0}
    assert reports[("101", "2024-03")]["tal"] == {"udleveringer": 0, "indleveringer": 1}
    assert reports[("101", "2024-01")]["paragraf"]["uden_paragraf"] == 1
    assert reports[("147", "2024-01")]["tal"] == {"udleveringer": 0, "indleveringer": 0}


def test_monthly_periods_start_in_july_2022_and_stop_at_the_current_month() -> None:
    assert GENBRUG_KIND.periods(2022, TODAY)[0] == "2022-07"
    assert len(GENBRUG_KIND.periods(2022, TODAY)) == 6
    assert GENBRUG_KIND.periods(2026, TODAY) == ["2026-01", "2026-02"]


def test_genbrug_months_are_approved_one_by_one_and_go_stale(app: App, tmp_path: Path) -> None:
    from handistat.approval.models import ApprovalReport
    from handistat.approval.workflow import Workflow

    setup(
        app, tmp_path, [f"{PERSON};M;1950-05-05;"], [f"{PERSON};101;1990-01-01;"], ["1001;122203"]
    )
    load(app, "101", "S", "2026-01-31", [f"101;101;u1;1001;{PERSON};;2024-01-05;2024-03-10"])
    process(app)
    workflow = Workflow(app)
    # issue 11 item 2: only 101 delivered; the 97 others get no reports
    assert workflow.send("genbrug", 2024, "staff") == 12

    def month(period: str) -> ApprovalReport:
        with app.catalogue.session() as s:
            return s.query(ApprovalReport).filter_by(kommune="101", period=period).one()

    for period in ("2024-01", "2024-02", "2024-03"):
        workflow.decide(month(period).id, "sag", approve=True, version=1)
    # the next full load moves the return from March to February
    load(app, "101", "S", "2026-02-28", [f"101;101;u1;1001;{PERSON};;2024-01-05;2024-02-10"])
    process(app)
    assert workflow.refresh("genbrug") == {"opdateret": 2, "forældet": 2}
    assert [month(p).state for p in ("2024-01", "2024-02", "2024-03")] == [
        "godkendt",
        "forældet",
        "forældet",
    ]
