"""Written reminders (R-VAL-4): the Danish e-mail text, and sending it by SMTP when configured.

SMTP is configured with `HANDISTAT_SMTP_HOST` (and optionally `_PORT`, `_USER`, `_PASSWORD`,
`_SENDER`, `_STARTTLS`). Without a host the text is generated and stored only, and staff see
that it still has to go out.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from handistat.approval.declarations import ReminderStep, kommune_navn
from handistat.approval.models import ApprovalReport
from handistat.web.danish import antal, dato, periode

STATISTIC_NAMES = {
    "handbu": "handicapkompenserende indsatser til børn og unge",
    "genbrug": "genbrugshjælpemidler",
}


class SmtpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HANDISTAT_SMTP_", extra="ignore")

    host: str | None = None
    port: int = Field(default=587, gt=0, lt=65536)
    user: str | None = None
    password: str | None = None
    sender: str = "handistat@localhost"
    starttls: bool = True

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
    recipients: tuple[str, ...]


def _what(report: ApprovalReport) -> str:
    name = STATISTIC_NAMES.get(report.statistic, report.statistic)
    if report.period:
        return f"godkendelsesrapporten for {name}, {periode(report.period)}"
    return f"valideringslisten for {name} {report.year}"


def reminder_mail(
    report: ApprovalReport,
    step: ReminderStep,
    recipients: tuple[str, ...],
    portal_url: str,
    today: dt.date,
) -> Mail:
    """The text of a written reminder about one report."""
    return letter_mail(report.kommune, [(report, step)], recipients, portal_url, today)


def letter_mail(
    kommune_kode: str,
    items: Sequence[tuple[ApprovalReport, ReminderStep]],
    recipients: tuple[str, ...],
    portal_url: str,
    today: dt.date,
) -> Mail:
    """One letter to a municipality covering every open list it is reminded of (issue 11
    item 1: GENBRUG's monthly reports no longer mean twelve letters at once). It is the
    second reminder when any of the lists is at its second step; that one says what
    happens next."""
    kommune = kommune_navn(kommune_kode)
    base = portal_url.rstrip("/")
    second = any(step.code == "paamindelse_2" for _, step in items)
    lines = [f"Til {kommune} Kommune", ""]
    if len(items) == 1:
        report = items[0][0]
        lines += [
            f"Danmarks Statistik har bedt jer gennemgå {_what(report)}. Fristen var "
            f"{dato(report.deadline)}, og vi har endnu ikke modtaget jeres godkendelse eller "
            "afvisning.",
            "",
            "Log ind på kommuneportalen og godkend tallene, eller afvis dem med en kommentar:",
            f"{base}/portal/godkendelser/{report.id}",
            "",
        ]
    else:
        lines += [
            f"Danmarks Statistik har bedt jer gennemgå {antal(len(items), 'liste')}, som vi "
            "endnu ikke har modtaget jeres godkendelse eller afvisning af:",
            "",
            *(
                f"- {_what(r)} (frist {dato(r.deadline)}): {base}/portal/godkendelser/{r.id}"
                for r, _ in items
            ),
            "",
            "Log ind på kommuneportalen og godkend tallene, eller afvis dem med en kommentar. "
            "Månedsrapporterne kan godkendes samlet på siden Godkendelser.",
            "",
        ]
    if second:
        lines += [
            "Dette er anden skriftlige påmindelse. Har vi ikke hørt fra jer inden for en uge, "
            "ringer vi, og derefter orienteres ministeriet.",
            "",
        ]
    lines += [
        "Er der fejl i tallene, kan I rette indberetningerne i portalen eller sende en ny "
        "leverance; tallene bliver så dannet igen.",
        "",
        "Med venlig hilsen",
        "Danmarks Statistik",
        f"(sendt {dato(today)})",
    ]
    prefix = "2. påmindelse" if second else "Påmindelse"
    if len(items) == 1:
        what = _what(items[0][0])
        subject = f"{prefix}: {what[0].upper()}{what[1:]} – {kommune}"
    else:
        subject = f"{prefix}: {antal(len(items), 'liste')} venter på jeres svar – {kommune}"
    return Mail(subject, "\n".join(lines), recipients)


def send(mail: Mail, settings: SmtpSettings) -> str:
    """Send by SMTP when configured; returns how it went out (stored on the reminder)."""
    if not settings.configured:
        return "gemt"
    if not mail.recipients:
        return "gemt (ingen modtagere)"
    message = EmailMessage()
    message["Subject"], message["From"] = mail.subject, settings.sender
    message["To"] = ", ".join(mail.recipients)
    message.set_content(mail.body)
    try:
        with smtplib.SMTP(str(settings.host), settings.port, timeout=30) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user and settings.password:
                smtp.login(settings.user, settings.password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        return f"smtp-fejl: {type(exc).__name__}"[:200]
    return "smtp"
