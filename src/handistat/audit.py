"""The audit log of staff and municipal actions (R-SEC-3, R-VAL-3): who did what, when.

Every action of a person or system on the portal, the staff pages or the API is one
`AuditEvent` row. Details never hold a CPR number: every string is masked on the way in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handistat.clock import Clock
from handistat.intake.report import mask_cpr
from handistat.stores.catalogue import AuditEvent, Catalogue


def utc(moment: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite hands them back naive)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_cpr(value)
    if isinstance(value, dict):
        return {str(k): _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_masked(v) for v in value]
    return value


def record(
    session: Session,
    at: dt.datetime,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any] | None = None,
    delivery_id: int | None = None,
) -> None:
    """Add one event inside the caller's unit of work (so it commits with the action)."""
    session.add(
        AuditEvent(
            at=at,
            actor=actor[:200],
            action=action[:64],
            subject=mask_cpr(subject)[:200],
            delivery_id=delivery_id,
            details=_masked(details or {}),
        )
    )


class AuditLog:
    """Writes and reads the audit log through the catalogue gateway."""

    def __init__(self, catalogue: Catalogue, clock: Clock) -> None:
        self.catalogue = catalogue
        self.clock = clock

    def log(
        self, actor: str, action: str, subject: str, details: dict[str, Any] | None = None
    ) -> None:
        with self.catalogue.session() as s:
            record(s, self.clock(), actor, action, subject, details)

    def recent(
        self, *, actions: Sequence[str] | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
        if actions:
            query = query.where(AuditEvent.action.in_(list(actions)))
        with self.catalogue.session() as s:
            return [
                {
                    "at": utc(e.at).isoformat(),
                    "actor": e.actor,
                    "action": e.action,
                    "subject": e.subject,
                    "details": e.details,
                }
                for e in s.scalars(query)
            ]
