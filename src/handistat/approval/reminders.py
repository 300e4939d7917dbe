"""Reminders (R-VAL-4): who is due what, by the declared schedule and the injected clock.

Steps run in order: a step is due once its day has come and every earlier step has been taken
since the municipality was last asked. The first step's day is deadline + `days_after_deadline`;
each later step is timed from the previous reminder as well (issue 11 item 1: the schedule's gap
between two steps is kept even when the first went out late), never before its day after the
deadline. Written steps go out as one letter per municipality covering all its open lists,
after staff saw a preview; the phone call and the escalation are logged by staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from handistat.approval.declarations import AWAITING, ReminderStep, Schedule, kommune_navn
from handistat.approval.mail import Mail, SmtpSettings, letter_mail, send
from handistat.approval.models import ApprovalReport, Reminder
from handistat.approval.workflow import Workflow, kind_of
from handistat.audit import record, utc
from handistat.clock import COPENHAGEN, today_copenhagen
from handistat.errors import Conflict, NotFound
from handistat.web.danish import antal, dato, tidspunkt

if TYPE_CHECKING:
    from handistat.app import App


def due_step(
    schedule: Schedule, deadline: dt.date, done: Mapping[str, dt.date], today: dt.date
) -> ReminderStep | None:
    """The next step not yet taken, if its day has come (pure: the schedule is data).

    `done` maps the steps taken to the day each was taken (Copenhagen date)."""
    previous: tuple[ReminderStep, dt.date] | None = None
    for step in schedule.steps:
        if step.code in done:
            previous = (step, done[step.code])
            continue
        day = deadline + dt.timedelta(days=step.days_after_deadline)
        if previous is not None:
            gap = step.days_after_deadline - previous[0].days_after_deadline
            day = max(day, previous[1] + dt.timedelta(days=gap))
        return step if today >= day else None
    return None


@dataclass(frozen=True)
class Due:
    report: ApprovalReport
    step: ReminderStep

    def view(self) -> dict[str, Any]:
        r = self.report
        return {
            "rapport": r.id,
            "statistik": r.statistic,
            "aar": r.year,
            "periode": r.period or None,
            "kommune": r.kommune,
            "kommunenavn": kommune_navn(r.kommune),
            "tilstand": r.state,
            "frist": r.deadline.isoformat() if r.deadline else None,
            "frist_tekst": dato(r.deadline),
            "trin": self.step.code,
            "trin_tekst": self.step.title,
            "skriftlig": self.step.written,
        }


def _taken(reminders: list[Reminder], report: ApprovalReport) -> dict[str, dt.date]:
    since = utc(report.asked_at) if report.asked_at else None
    return {
        m.step: utc(m.at).astimezone(COPENHAGEN).date()
        for m in reminders
        if since is None or utc(m.at) >= since
    }


@dataclass(frozen=True)
class Letter:
    """One written reminder to one municipality, covering every list due a written step."""

    kommune: str
    items: tuple[Due, ...]
    mail: Mail

    def view(self) -> dict[str, Any]:
        return {
            "kommune": self.kommune,
            "kommunenavn": kommune_navn(self.kommune),
            "lister": len(self.items),
            "modtagere": list(self.mail.recipients),
            "emne": self.mail.subject,
            "tekst": self.mail.body,
        }


class Reminders:
    def __init__(self, application: App, smtp: SmtpSettings | None = None) -> None:
        self.app = application
        self.catalogue = application.catalogue
        self.clock = application.clock
        self.smtp = smtp or SmtpSettings()

    def due(self) -> list[Due]:
        today = today_copenhagen(self.clock)
        with self.catalogue.session() as s:
            reports = list(
                s.scalars(
                    select(ApprovalReport)
                    .where(ApprovalReport.state.in_([a.value for a in AWAITING]))
                    .order_by(ApprovalReport.deadline, ApprovalReport.kommune)
                )
            )
            taken = list(s.scalars(select(Reminder)))
        by_report: dict[int, list[Reminder]] = {}
        for m in taken:
            by_report.setdefault(m.report_id, []).append(m)
        found = []
        for report in reports:
            if report.deadline is None:
                continue
            schedule = kind_of(report.statistic).schedule
            step = due_step(
                schedule, report.deadline, _taken(by_report.get(report.id, []), report), today
            )
            if step is not None:
                found.append(Due(report, step))
        return found

    def letters(self, portal_url: str) -> list[Letter]:
        """The letters `send_written` would send now: the preview staff confirm."""
        from handistat.accounts.resolve import accounts

        today = today_copenhagen(self.clock)
        by_kommune: dict[str, list[Due]] = {}
        for due in (d for d in self.due() if d.step.written):
            by_kommune.setdefault(due.report.kommune, []).append(due)
        found = []
        for kommune, items in sorted(by_kommune.items()):
            recipients = tuple(accounts(self.app).recipients(kommune))
            pairs = [(d.report, d.step) for d in items]
            mail = letter_mail(kommune, pairs, recipients, portal_url, today)
            found.append(Letter(kommune, tuple(items), mail))
        return found

    def send_written(
        self, actor: str, portal_url: str, expected: int | None = None
    ) -> list[dict[str, Any]]:
        """Send every due written reminder, one letter per municipality; store a reminder
        row per list. `expected`: the number of letters the confirmed preview showed; when
        it no longer matches, nothing is sent (the situation changed since the preview)."""
        letters = self.letters(portal_url)
        if expected is not None and expected != len(letters):
            raise Conflict(
                f"forhåndsvisningen viste {antal(expected, 'brev')}, men nu er "
                f"{antal(len(letters), 'brev')} klar; se forhåndsvisningen igen"
            )
        now = self.clock()
        sent = []
        for letter in letters:
            outcome = send(letter.mail, self.smtp)
            for due in letter.items:
                self._store(
                    due.report,
                    due.step,
                    actor,
                    now,
                    letter.mail.subject,
                    letter.mail.body,
                    {"til": list(letter.mail.recipients)},
                    outcome,
                )
                sent.append(
                    {**due.view(), "udsendt": outcome, "modtagere": list(letter.mail.recipients)}
                )
        return sent

    def log(self, report_id: int, step_code: str, actor: str, note: str) -> dict[str, Any]:
        """Staff log a phone reminder or the escalation; it must be the next step."""
        if not note.strip():
            raise Conflict("skriv en note om opkaldet eller eskaleringen")
        with self.catalogue.session() as s:
            report = s.get(ApprovalReport, report_id)
            if report is None:
                raise NotFound(f"rapport {report_id} findes ikke")
            taken = _taken(
                list(s.scalars(select(Reminder).where(Reminder.report_id == report_id))), report
            )
        schedule = kind_of(report.statistic).schedule
        expected = next((step for step in schedule.steps if step.code not in taken), None)
        if report.state not in AWAITING or expected is None or expected.code != step_code:
            wanted = expected.code if expected else "ingen"
            raise Conflict(
                f"trinnet '{step_code}' er ikke det næste for rapporten "
                f"(næste: {wanted}, tilstand: {report.state})"
            )
        self._store(
            report, expected, actor, self.clock(), expected.title, note.strip(), {}, "logget"
        )
        return {"rapport": report_id, "trin": step_code}

    def _store(
        self,
        report: ApprovalReport,
        step: ReminderStep,
        actor: str,
        now: dt.datetime,
        subject: str,
        body: str,
        recipients: dict[str, Any],
        outcome: str,
    ) -> None:
        with self.catalogue.session() as s:
            s.add(
                Reminder(
                    report_id=report.id,
                    step=step.code,
                    at=now,
                    actor=actor,
                    recipients=recipients,
                    subject=subject[:300],
                    body=body,
                    delivery=outcome,
                )
            )
            record(
                s,
                now,
                actor,
                f"reminder.{step.code}",
                Workflow.subject(report),
                {"udsendt": outcome},
            )

    def of_report(self, report_id: int) -> list[dict[str, Any]]:
        with self.catalogue.session() as s:
            found = s.scalars(
                select(Reminder).where(Reminder.report_id == report_id).order_by(Reminder.id)
            )
            return [
                {
                    "trin": m.step,
                    "tidspunkt": utc(m.at).isoformat(),
                    "tidspunkt_tekst": tidspunkt(utc(m.at)),
                    "af": m.actor,
                    "emne": m.subject,
                    "tekst": m.body,
                    "modtagere": m.recipients,
                    "udsendt": m.delivery,
                }
                for m in found
            ]
