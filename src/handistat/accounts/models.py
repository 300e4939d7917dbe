"""Operational tables of the accounts area (migration 0002_accounts).

Secrets are never stored: passwords as argon2 hashes, API tokens and session ids as SHA-256
of high-entropy random values, login failures under a hash of (e-mail, address).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from handistat.stores.catalogue import Base


class User(Base):
    """A person: municipal case officer (`sagsbehandler`), staff (`personale`) or `admin`."""

    __tablename__ = "account_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    kommuner: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]


class ApiToken(Base):
    """A municipal system's token, scoped to one or more municipalities (R-IN-5)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kommuner: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("account_user.id"), default=None)
    """The person answerable for it (optional; migration 0030): deactivating them revokes it."""


class WebSession(Base):
    """A server-side login session; the cookie holds the id, the table its hash."""

    __tablename__ = "web_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]


class LoginFailure(Base):
    """One failed login, keyed by a hash of (e-mail, client address), for the rate limit."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime]


class DeliveryOwner(Base):
    """The municipalities whose rows a delivery holds (for who may see it); `""`: unknown."""

    __tablename__ = "delivery_owner"
    __table_args__ = (UniqueConstraint("delivery_id", "kommune", name="uq_delivery_owner"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id"), index=True)
    kommune: Mapped[str] = mapped_column(String(3))


class UploadOriginal(Base):
    """The original file of a portal upload converted before intake (XLSX → CSV)."""

    __tablename__ = "upload_original"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[dt.datetime]
