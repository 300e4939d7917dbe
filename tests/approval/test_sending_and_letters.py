"""Issue 11 items 1-2: sending lists skips municipalities without data, refuses a deadline in
the past and lets staff move a deadline; reminders go out as one letter per municipality
covering all its open lists; municipalities approve all open GENBRUG months at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from tests.accounts.helpers import CHILD_101, CHILD_101B, cheap_hashing, load_people
from tests.conftest import deliver_handbu

from handistat.accounts.resolve import accounts
from handistat.api.deps import Role
from handistat.app import App
from handistat.approval.mail import letter_mail
from handistat.approval.models import ApprovalReport, Reminder
from handistat.approval.processing import run_processing
from handistat.approval.reminders import Reminders
from handistat.approval.workflow import Workflow
from handistat.clock import fixed_clock
from handistat.errors import Conflict

DEADLINE = dt.date(2026, 3, 23)


def at(day: dt.date) -> Any:
    return fixed_clock(dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC))


@pytest.fixture
def processed(app: App, tmp_path: Path) -> App:
    cheap_hashing()
    accounts(app).add_user(
        "sag@kommune101.dk", Role.SAGSBEHANDLER, ["101"], "et-langt-kodeord", "t"
    )
    load_people(app, tmp_path / "pop")
    deliver_handbu(
        app, f"101;a;{CHILD_101};SEL32;2025-01-01;;", f"147;b;{CHILD_101B};SEL36;2024-05-01;;"
    )
    run_processing(app, "handbu", "test")
    return app


def test_the_plan_skips_municipalities_without_data(processed: App) -> None:
    plan = Workflow(processed).plan("handbu", 2025, DEADLINE)
    assert [k for k, _ in plan.keys] == ["101", "147"]
    assert len(plan.skipped) == 96 and "151" in plan.skipped and "101" not in plan.skipped
    assert plan.already_sent == 0


def test_a_deadline_in_the_past_is_refused(processed: App) -> None:
    # the clock says 2 March 2026
    with pytest.raises(Conflict, match="ligger før i dag"):
        Workflow(processed).send("handbu", 2025, "staff", dt.date(2026, 3, 1))
    with processed.catalogue.session() as s:
        assert s.query(ApprovalReport).count() == 0


def test_moving_the_deadline_moves_the_reminders(processed: App) -> None:
    workflow = Workflow(processed)
    assert workflow.send("handbu", 2025, "staff", DEADLINE) == 2
    assert workflow.plan("handbu", 2025, DEADLINE).already_sent == 2
    assert workflow.move_deadline("handbu", 2025, dt.date(2026, 4, 1), "staff", "101") == 1
    processed.clock = at(DEADLINE + dt.timedelta(days=1))
    due = {d.report.kommune for d in Reminders(processed).due()}
    assert due == {"147"}, "101's new deadline is 1 April"
    with pytest.raises(Conflict):
        workflow.move_deadline("handbu", 2025, dt.date(2026, 3, 1), "staff")


def test_late_first_reminders_do_not_make_the_second_due_at_once(processed: App) -> None:
    Workflow(processed).send("handbu", 2025, "staff", DEADLINE)
    processed.clock = at(DEADLINE + dt.timedelta(days=20))  # staff sent nothing for 20 days
    assert {d.step.code for d in Reminders(processed).due()} == {"paamindelse_1"}
    Reminders(processed).send_written("staff", "https://h.example")
    assert Reminders(processed).due() == [], "the 2nd is timed from the 1st, a week later"
    processed.clock = at(DEADLINE + dt.timedelta(days=26))
    assert Reminders(processed).due() == []
    processed.clock = at(DEADLINE + dt.timedelta(days=27))
    assert {d.step.code for d in Reminders(processed).due()} == {"paamindelse_2"}


def test_one_letter_per_municipality_covers_all_its_lists(processed: App) -> None:
    workflow = Workflow(processed)
    workflow.send("handbu", 2025, "staff", DEADLINE)
    workflow.send("handbu", 2024, "staff", DEADLINE)  # 147 has data in 2024 and 2025
    processed.clock = at(DEADLINE + dt.timedelta(days=1))
    letters = Reminders(processed).letters("https://h.example")
    by_kommune = {letter.kommune: letter for letter in letters}
    assert len(by_kommune["147"].items) == 2
    assert by_kommune["147"].mail.subject == (
        "Påmindelse: 2 lister venter på jeres svar – Frederiksberg"
    )
    with pytest.raises(Conflict, match="forhåndsvisningen viste 9 breve"):
        Reminders(processed).send_written("staff", "x", expected=9)
    sent = Reminders(processed).send_written("staff", "x", expected=len(letters))
    with processed.catalogue.session() as s:
        assert s.query(Reminder).count() == len(sent)
        bodies = {r.body for r in s.query(Reminder)}
    assert len(bodies) == len(letters), "the lists of one municipality share one letter"


def test_letter_text_is_danish_with_dates_in_words(processed: App) -> None:
    Workflow(processed).send("handbu", 2025, "staff", DEADLINE)
    with processed.catalogue.session() as s:
        report = s.query(ApprovalReport).filter_by(kommune="101").one()
    from handistat.approval.declarations import STANDARD_SCHEDULE

    mail = letter_mail(
        "101", [(report, STANDARD_SCHEDULE.steps[1])], ("a@b.dk",), "https://h/", DEADLINE
    )
    assert "Fristen var 23. marts 2026" in mail.body
    assert "(sendt 23. marts 2026)" in mail.body
    assert mail.subject.startswith("2. påmindelse: Valideringslisten for handicap")
