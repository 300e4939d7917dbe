"""The release row in the operational store (R-PUB-1): what was frozen, when it goes public.

The figures themselves are not here: they are the release artefact (`release.artefact`), an
immutable directory whose manifest checksum this row records. The row is committed only after
the artefact is complete, so a killed `release create` leaves no release (R-REL-1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from handistat.stores.catalogue import Base

PREPARED = "forberedt"
"""Frozen and scheduled; staff only."""
APPROVED = "godkendt"
"""Approved for publication (`release publish`): public from `scheduled_at` on."""
WITHDRAWN = "trukket tilbage"
"""Withdrawn by staff before its public time (issue 11 item 3): never public, not in the
calendar; the artefact stays for the record."""
STATUSES = (PREPARED, APPROVED, WITHDRAWN)


class ReleaseRow(Base):
    __tablename__ = "release"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    statistic: Mapped[str] = mapped_column(String(16), index=True)
    reference_year: Mapped[int] = mapped_column(Integer)
    years: Mapped[list[int]] = mapped_column(JSON)
    tables: Mapped[list[str]] = mapped_column(JSON)
    scheduled_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    approved_at: Mapped[dt.datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(200))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    article: Mapped[str | None] = mapped_column(Text)
    article_edited_by: Mapped[str | None] = mapped_column(String(200))
    municipalities: Mapped[dict[str, Any]] = mapped_column(JSON)


def utc(moment: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite hands them back naive)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


@dataclass(frozen=True)
class Release:
    """A snapshot of a release row, safe to pass around after its session has closed."""

    id: str
    statistic: str
    reference_year: int
    years: tuple[int, ...]
    tables: tuple[str, ...]
    scheduled_at: dt.datetime
    created_at: dt.datetime
    created_by: str
    status: str
    approved_at: dt.datetime | None
    manifest_sha256: str
    article: str | None
    municipalities: dict[str, Any]

    @classmethod
    def of(cls, row: ReleaseRow) -> Release:
        return cls(
            id=row.id,
            statistic=row.statistic,
            reference_year=row.reference_year,
            years=tuple(row.years),
            tables=tuple(row.tables),
            scheduled_at=utc(row.scheduled_at),
            created_at=utc(row.created_at),
            created_by=row.created_by,
            status=row.status,
            approved_at=utc(row.approved_at) if row.approved_at else None,
            manifest_sha256=row.manifest_sha256,
            article=row.article,
            municipalities=dict(row.municipalities or {}),
        )

    def is_public(self, now: dt.datetime) -> bool:
        """Approved and past its scheduled time: the one embargo rule (R-PUB-2)."""
        return self.status == APPROVED and self.scheduled_at <= now

    @property
    def order(self) -> tuple[dt.datetime, dt.datetime, str]:
        """Vintage order: later scheduled releases supersede earlier ones, year by year."""
        return (self.scheduled_at, self.created_at, self.id)
