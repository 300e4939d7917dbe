"""R-VAL-4: deadlines and the reminder schedule with an injected clock; the e-mail text; SMTP
only when configured; phone reminder and escalation logged by staff."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from tests.accounts.helpers import CHILD_101, cheap_hashing, load_people
from tests.conftest import deliver_handbu

from handistat.accounts.resolve import accounts
from handistat.api.deps import Role
from handistat.app import App
from handistat.approval.declarations import STANDARD_SCHEDULE
from handistat.approval.mail import SmtpSettings
from handistat.approval.models import ApprovalReport
from handistat.approval.processing import run_processing
from handistat.approval.reminders import Reminders, due_step
from handistat.approval.workflow import Workflow
from handistat.clock import fixed_clock
from handistat.errors import Conflict

DEADLINE = dt.date(2026, 3, 23)


def at(day: dt.date, hour: int = 9) -> Any:
    return fixed_clock(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC))


def on(*codes: str, day: dt.date | None = None) -> dict[str, dt.date]:
    """Steps taken, each on its own scheduled day unless `day` is given."""
    days = {s.code: DEADLINE + dt.timedelta(days=s.days_after_deadline) for s in STEPS}
    return {c: day or days[c] for c in codes}


STEPS = STANDARD_SCHEDULE.steps


@pytest.mark.parametrize(
    ("today", "done", "expected"),
    [
        (DEADLINE, {}, None),  # on the deadline nothing is due yet
        (DEADLINE + dt.timedelta(days=1), {}, "paamindelse_1"),
        (DEADLINE + dt.timedelta(days=7), on("paamindelse_1"), None),
        (DEADLINE + dt.timedelta(days=8), on("paamindelse_1"), "paamindelse_2"),
        (DEADLINE + dt.timedelta(days=30), {}, "paamindelse_1"),  # steps run in order
        (DEADLINE + dt.timedelta(days=15), on("paamindelse_1", "paamindelse_2"), "telefon"),
        (
            DEADLINE + dt.timedelta(days=22),
            on("paamindelse_1", "paamindelse_2", "telefon"),
            "eskalering",
        ),
        (
            DEADLINE + dt.timedelta(days=99),
            on("paamindelse_1", "paamindelse_2", "telefon", "eskalering"),
            None,
        ),
        # issue 11 item 1: the first reminder went out late (day 30); the second is timed
        # from it (7 days later, day 37), not due at once because day 8 has passed
        (
            DEADLINE + dt.timedelta(days=30),
            on("paamindelse_1", day=DEADLINE + dt.timedelta(days=30)),
            None,
        ),
        (
            DEADLINE + dt.timedelta(days=36),
            on("paamindelse_1", day=DEADLINE + dt.timedelta(days=30)),
            None,
        ),
        (
            DEADLINE + dt.timedelta(days=37),
            on("paamindelse_1", day=DEADLINE + dt.timedelta(days=30)),
            "paamindelse_2",
        ),
    ],
)
def test_due_step_follows_the_declared_schedule(
    today: dt.date, done: dict[str, dt.date], expected: str | None
) -> None:
    step = due_step(STANDARD_SCHEDULE, DEADLINE, done, today)
    assert (step.code if step else None) == expected


@pytest.fixture
def asked(app: App, tmp_path: Path) -> ApprovalReport:
    cheap_hashing()
    accounts(app).add_user(
        "sag@kommune101.dk", Role.SAGSBEHANDLER, ["101"], "et-langt-kodeord", "test"
    )
    load_people(app, tmp_path / "pop")
    deliver_handbu(app, f"101;a;{CHILD_101};SEL32;2025-01-01;;")
    run_processing(app, "handbu", "test")
    Workflow(app).send("handbu", 2025, "staff", deadline=DEADLINE)
    with app.catalogue.session() as s:
        return s.query(ApprovalReport).filter_by(kommune="101").one()


def due_codes(app: App) -> dict[str, str]:
    return {d.report.kommune: d.step.code for d in Reminders(app).due()}


def test_reminders_over_time(app: App, asked: ApprovalReport) -> None:
    app.clock = at(DEADLINE)
    assert due_codes(app) == {}
    app.clock = at(DEADLINE + dt.timedelta(days=1))
    assert due_codes(app)["101"] == "paamindelse_1"
    assert len(due_codes(app)) == 1, "only 101 delivered; the others got no list"
    sent = Reminders(app).send_written("staff", "https://handistat.example")
    assert len(sent) == 1
    mine = next(s for s in sent if s["kommune"] == "101")
    assert (mine["udsendt"], mine["modtagere"]) == ("gemt", ["sag@kommune101.dk"])
    assert due_codes(app) == {}, "nothing more is due the same day"
    history = Reminders(app).of_report(asked.id)
    assert history[0]["trin"] == "paamindelse_1"
    body = history[0]["tekst"]
    assert "Til København Kommune" in body
    assert "https://handistat.example/portal/godkendelser/" in body
    assert "23. marts 2026" in body
    assert history[0]["emne"].startswith("Påmindelse: Valideringslisten for handicap")
    app.clock = at(DEADLINE + dt.timedelta(days=8))
    Reminders(app).send_written("staff", "https://handistat.example")
    second = Reminders(app).of_report(asked.id)[-1]
    assert second["trin"] == "paamindelse_2"
    assert "anden skriftlige påmindelse" in second["tekst"]
    app.clock = at(DEADLINE + dt.timedelta(days=15))
    assert due_codes(app)["101"] == "telefon"
    assert Reminders(app).send_written("staff", "x") == [], "a phone call is not written"
    with pytest.raises(Conflict):
        Reminders(app).log(asked.id, "eskalering", "staff", "for tidligt")
    Reminders(app).log(asked.id, "telefon", "staff", "talt med Jens; svar på fredag")
    app.clock = at(DEADLINE + dt.timedelta(days=22))
    assert due_codes(app)["101"] == "eskalering"
    Reminders(app).log(asked.id, "eskalering", "staff", "sendt til ministeriet")
    assert "101" not in due_codes(app)
    steps = [h["trin"] for h in Reminders(app).of_report(asked.id)]
    assert steps == ["paamindelse_1", "paamindelse_2", "telefon", "eskalering"]


def test_an_answer_stops_the_reminders(app: App, asked: ApprovalReport) -> None:
    Workflow(app).decide(asked.id, "sag@kommune101.dk", approve=True, version=1)
    app.clock = at(DEADLINE + dt.timedelta(days=10))
    assert "101" not in due_codes(app)


def test_asking_again_restarts_the_schedule(app: App, asked: ApprovalReport) -> None:
    app.clock = at(DEADLINE + dt.timedelta(days=1))
    Reminders(app).send_written("staff", "x")
    Workflow(app).decide(asked.id, "sag@kommune101.dk", approve=True, version=1)
    app.clock = at(DEADLINE + dt.timedelta(days=2))
    deliver_handbu(app, f"101;b;{CHILD_101};SEL36;2025-01-01;;")
    run_processing(app, "handbu", "test")  # the approval is stale: new deadline in 21 days
    app.clock = at(DEADLINE + dt.timedelta(days=23))
    assert "101" not in due_codes(app)
    app.clock = at(dt.date(2026, 4, 16))  # deadline 2026-04-15 (asked 2026-03-25 + 21)
    assert due_codes(app)["101"] == "paamindelse_1"


def test_smtp_is_used_only_when_configured(
    app: App, asked: ApprovalReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox: list[EmailMessage] = []

    class FakeSMTP:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            self.host = host

        def __enter__(self) -> FakeSMTP:
            return self

        def __exit__(self, *_: object) -> None:
            return None

        def starttls(self) -> None:
            return None

        def login(self, user: str, password: str) -> None:
            return None

        def send_message(self, message: EmailMessage) -> None:
            outbox.append(message)

    monkeypatch.setattr("handistat.approval.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setenv("HANDISTAT_SMTP_HOST", "smtp.example")
    app.clock = at(DEADLINE + dt.timedelta(days=1))
    sent = Reminders(app, SmtpSettings()).send_written("staff", "https://h.example")
    assert {s["udsendt"] for s in sent if s["kommune"] == "101"} == {"smtp"}
    assert len(outbox) == 1, "only municipalities with a case officer get an e-mail"
    assert outbox[0]["To"] == "sag@kommune101.dk"
    assert "godkendelser" in outbox[0].get_content()
