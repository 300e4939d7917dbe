"""Operational tables of the approval workflow (migration 0002_accounts).

One `ApprovalReport` per (statistic, year, municipality, period): period `""` for a yearly
validation list (HANDBU), `YYYY-MM` for a monthly approval report (GENBRUG).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from handistat.stores.catalogue import Base


class ApprovalReport(Base):
    __tablename__ = "approval_report"
    __table_args__ = (
        UniqueConstraint("statistic", "year", "kommune", "period", name="uq_approval_report"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    statistic: Mapped[str] = mapped_column(String(16), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kommune: Mapped[str] = mapped_column(String(3), index=True)
    period: Mapped[str] = mapped_column(String(7))
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    figures: Mapped[dict[str, Any]]
    fingerprint: Mapped[str] = mapped_column(String(64))
    approved_fingerprint: Mapped[str | None] = mapped_column(String(64))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    asked_at: Mapped[dt.datetime | None]
    """When the municipality was last asked (sent, or asked again after new figures)."""
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime]


class Reminder(Base):
    """A reminder step taken for a report: written (e-mail text kept), phone, escalation."""

    __tablename__ = "approval_reminder"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("approval_report.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(200))
    recipients: Mapped[dict[str, Any]]
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    delivery: Mapped[str] = mapped_column(String(200))
    """How it went out: `smtp`, `gemt` (no SMTP configured), `smtp-fejl: ...`, `logget`."""


class ReleaseDecision(Base):
    """R-VAL-5: at release time, each municipality is approved, not approved or excluded."""

    __tablename__ = "release_decision"
    __table_args__ = (UniqueConstraint("statistic", "year", "kommune", name="uq_release_decision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    statistic: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    kommune: Mapped[str] = mapped_column(String(3))
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime]
