"""R-VAL-3: the approval state machine, stale approvals after new data, release decisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.accounts.helpers import CHILD_101, CHILD_101B, load_people
from tests.conftest import deliver_handbu

from handistat.app import App
from handistat.approval import release_decisions
from handistat.approval.declarations import State
from handistat.approval.models import ApprovalReport
from handistat.approval.processing import run_processing
from handistat.approval.release import decide_release
from handistat.approval.workflow import TRANSITIONS, Workflow, fingerprint, next_state
from handistat.errors import Conflict
from handistat.stores.catalogue import AuditEvent


@pytest.fixture
def sent(app: App, tmp_path: Path) -> Workflow:
    """HANDBU 2025 processed and the validation lists sent to every municipality."""
    load_people(app, tmp_path / "pop")
    deliver_handbu(
        app, f"101;a;{CHILD_101};SEL32;2025-01-01;;", f"147;b;{CHILD_101B};SEL36;2024-05-01;;"
    )
    run_processing(app, "handbu", "test")
    workflow = Workflow(app)
    assert workflow.send("handbu", 2025, "personale@dst.dk") == 2, "only 101 and 147 have data"
    return workflow


def report(app: App, kommune: str = "101") -> ApprovalReport:
    with app.catalogue.session() as s:
        return s.query(ApprovalReport).filter_by(kommune=kommune, year=2025).one()


def test_every_transition_is_declared_and_nothing_else_is_allowed() -> None:
    events = {"send", "godkend", "afvis", "nye tal"}
    for state in State:
        for event in events:
            if (state, event) in TRANSITIONS:
                assert next_state(state, event) == TRANSITIONS[(state, event)]
            else:
                with pytest.raises(Conflict):
                    next_state(state, event)
    assert next_state(State.GODKENDT, "nye tal") is State.FORAELDET
    assert next_state(State.AFVIST, "nye tal") is State.SENDT
    assert next_state(State.FORAELDET, "godkend") is State.GODKENDT


def test_sending_sets_state_deadline_and_figures(app: App, sent: Workflow) -> None:
    r = report(app)
    assert (r.state, r.version) == ("sendt", 1)
    assert r.deadline == dt.date(2026, 3, 23)  # 2 March + 21 days (the declared schedule)
    assert r.figures["tal"]["i_alt"] == {"boern": 1, "indsatser": 1}
    assert r.fingerprint == fingerprint(r.figures)
    assert sent.send("handbu", 2025, "x") == 0, "sending again sends nothing new"


def test_approve_then_new_data_makes_the_approval_stale(app: App, sent: Workflow) -> None:
    r = report(app)
    sent.decide(r.id, "sag@kommune101.dk", approve=True, version=1)
    assert report(app).state == "godkendt"
    assert report(app).approved_fingerprint == r.fingerprint
    # a delivery that does not change 101's figures leaves the approval alone
    deliver_handbu(app, f"147;c;{CHILD_101B};SEL45;2025-02-01;;")
    assert run_processing(app, "handbu", "test")["godkendelser"]["forældet"] == 0
    assert report(app).state == "godkendt"
    # a delivery that changes them turns it stale, asks again with a new deadline
    app.clock = lambda: dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
    deliver_handbu(app, f"101;d;{CHILD_101B};SEL45;2025-03-01;;")
    result = run_processing(app, "handbu", "test")
    assert result["godkendelser"]["forældet"] == 1
    stale = report(app)
    assert (stale.state, stale.version) == ("forældet", 2)
    assert stale.deadline == dt.date(2026, 4, 22)
    assert stale.figures["tal"]["i_alt"] == {"boern": 2, "indsatser": 2}
    # approving the old version is refused; the new one is accepted
    with pytest.raises(Conflict):
        sent.decide(stale.id, "sag@kommune101.dk", approve=True, version=1)
    sent.decide(stale.id, "sag@kommune101.dk", approve=True, version=2)
    assert report(app).state == "godkendt"


def test_rejection_needs_a_comment_and_new_data_asks_again(app: App, sent: Workflow) -> None:
    r = report(app)
    with pytest.raises(Conflict):
        sent.decide(r.id, "sag@kommune101.dk", approve=False, version=1, comment="  ")
    sent.decide(r.id, "sag@kommune101.dk", approve=False, version=1, comment="mangler 3 børn")
    assert (report(app).state, report(app).comment) == ("afvist", "mangler 3 børn")
    with pytest.raises(Conflict):
        sent.decide(r.id, "sag@kommune101.dk", approve=True, version=1)
    deliver_handbu(app, f"101;e;{CHILD_101B};SEL32;2025-06-01;;")
    run_processing(app, "handbu", "test")
    assert (report(app).state, report(app).version) == ("sendt", 2)


def test_every_transition_is_in_the_audit_log(app: App, sent: Workflow) -> None:
    r = report(app)
    sent.decide(r.id, "sag@kommune101.dk", approve=True, version=1)
    deliver_handbu(app, f"101;f;{CHILD_101B};SEL32;2025-06-01;;")
    run_processing(app, "handbu", "behandling-test")
    with app.catalogue.session() as s:
        events = [(e.actor, e.action) for e in s.query(AuditEvent).order_by(AuditEvent.id)]
    assert ("personale@dst.dk", "approval.sent") in events
    assert ("sag@kommune101.dk", "approval.approved") in events
    assert ("behandling-test", "approval.stale") in events
    assert ("behandling-test", "processing.run") in events


def test_release_decisions_follow_approvals_unless_staff_decide(app: App, sent: Workflow) -> None:
    assert release_decisions(app, "handbu", 2024) == [], "no workflow for 2024: as delivered"
    sent.decide(report(app).id, "sag@kommune101.dk", approve=True, version=1)
    sent.decide(
        report(app, "147").id, "sag@kommune147.dk", approve=False, version=1, comment="for få"
    )
    by_kommune = {d["kommune"]: d for d in release_decisions(app, "handbu", 2025)}
    assert len(by_kommune) == 98
    assert by_kommune["101"]["status"] == "godkendt"
    assert by_kommune["147"]["status"] == "ikke godkendt"
    assert "for få" in by_kommune["147"]["note"]
    assert by_kommune["151"]["status"] == "ikke godkendt"
    with pytest.raises(Conflict):
        decide_release(app, "handbu", 2025, "151", "udeladt", "", "staff")
    decide_release(app, "handbu", 2025, "151", "udeladt", "har ikke leveret", "staff")
    decided = {d["kommune"]: d for d in release_decisions(app, "handbu", 2025)}["151"]
    assert (decided["status"], decided["note"], decided["kilde"]) == (
        "udeladt",
        "har ikke leveret",
        "personale",
    )


def test_release_stage_reads_the_decisions(app: App, sent: Workflow) -> None:
    from handistat.release.decisions import municipality_decisions

    found = municipality_decisions(app, "handbu", 2025)
    assert found["source"] == "godkendelse"
    assert found["kommuner"]["101"]["status"] == "ikke godkendt"
