"""The operational store (R-GEN-1): deliveries catalogue and error lists, via SQLAlchemy 2.

This module is the only one that opens the operational database. SQLite by default; the same
code runs on PostgreSQL (R-GEN-2). The schema is owned by Alembic migrations (`migrate`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        dt.datetime: DateTime(timezone=True),
    }


class Delivery(Base):
    """One delivery as received: the raw bytes are at raw/<sha256>.

    `accepted_key` is set only on accepted deliveries and is unique: two senders racing with
    the same bytes for the same scope and header cannot both be acknowledged (issue 13.1);
    rejected deliveries leave it empty, so their bytes may be sent again (R-IN-2).
    """

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("accepted_key", name="uq_delivery_accepted_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    statistic: Mapped[str] = mapped_column(String(16), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    kommune: Mapped[str | None] = mapped_column(String(3), index=True)
    sender: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    media_type: Mapped[str] = mapped_column(String(64))
    kildesystem: Mapped[str | None] = mapped_column(String(64))
    udtraeksdato: Mapped[str | None] = mapped_column(String(10))
    received_at: Mapped[dt.datetime]
    size_bytes: Mapped[int]
    rows_total: Mapped[int]
    rows_accepted: Mapped[int]
    rows_rejected: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(32))
    report: Mapped[dict[str, Any]]
    accepted_key: Mapped[str | None] = mapped_column(String(64))


class SystemSwitch(Base):
    """A GENBRUG vendor switch declared by staff (R-IN-8)."""

    __tablename__ = "system_switch"
    __table_args__ = (UniqueConstraint("kommune", "fra", "til", name="uq_switch"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kommune: Mapped[str] = mapped_column(String(3))
    fra: Mapped[str] = mapped_column(String(64))
    til: Mapped[str] = mapped_column(String(64))
    dato: Mapped[str] = mapped_column(String(10))
    declared_at: Mapped[dt.datetime]


class AuditEvent(Base):
    """Who did what when (R-VAL-3, R-SEC-3). Never holds a CPR number."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"))
    details: Mapped[dict[str, Any]]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Catalogue:
    """The gateway to the operational database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, future=True)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration (idempotent)."""
        from alembic import command  # slow to import; only needed here
        from alembic.config import Config

        script_dir = resources.files("handistat.stores").joinpath("migrations")
        config = Config()
        config.set_main_option("script_location", str(script_dir))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")  # independent branches per area

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
