"""Users, logins, sessions and API tokens (R-SEC-3), over the catalogue gateway.

Logins are rate limited per (e-mail, client address): after `LOGIN_MAX_FAILURES` failures in
`LOGIN_WINDOW` every attempt is refused with 429 until the window has passed, even with the
right password; attempts are counted atomically before the password is checked. Sessions
live server-side and end after `SESSION_IDLE` without use or
`SESSION_MAX` in all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from handistat.accounts import crypto
from handistat.accounts.models import ApiToken, LoginFailure, User, WebSession
from handistat.accounts.principal import STAFF_ROLES, Principal, Role
from handistat.audit import record, utc
from handistat.clock import Clock
from handistat.errors import Conflict, HandistatError, NotAuthenticated, UsageError
from handistat.reference import kommune_koder
from handistat.stores.catalogue import Catalogue

LOGIN_WINDOW = dt.timedelta(minutes=15)
LOGIN_MAX_FAILURES = 5
SESSION_IDLE = dt.timedelta(hours=2)
SESSION_MAX = dt.timedelta(hours=12)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,185}\.[^@\s]{2,}$")
PERSON_ROLES = (Role.SAGSBEHANDLER, Role.PERSONALE, Role.ADMIN)


class TooManyAttempts(HandistatError):
    http_status = 429
    code = "TOO_MANY_ATTEMPTS"


@dataclass(frozen=True)
class Account:
    """A user as the rest of the system sees it (never the password hash)."""

    id: int
    email: str
    role: Role
    kommuner: tuple[str, ...]
    active: bool = True

    def principal(self) -> Principal:
        scope = None if self.role in STAFF_ROLES else frozenset(self.kommuner)
        return Principal(self.email, self.role, scope)


@dataclass(frozen=True)
class LoggedIn:
    session_id: str
    csrf: str
    account: Account


def _account(user: User) -> Account:
    return Account(user.id, user.email, Role(user.role), tuple(user.kommuner), user.active)


def check_kommuner(kommuner: Iterable[str]) -> tuple[str, ...]:
    listed = tuple(sorted(set(kommuner)))
    unknown = [k for k in listed if k not in kommune_koder()]
    if unknown:
        raise UsageError(f"ukendte kommunekoder: {', '.join(unknown)} (tre cifre, fx 101)")
    return listed


def token_name(token: ApiToken) -> str:
    return f"system:{token.name} (token {token.id})"


class Accounts:
    def __init__(self, catalogue: Catalogue, clock: Clock) -> None:
        self.catalogue = catalogue
        self.clock = clock

    # users ----------------------------------------------------------------------------------
    def add_user(
        self, email: str, role: Role, kommuner: Iterable[str], password: str | None, actor: str
    ) -> Account:
        email = email.strip().lower()
        if not _EMAIL.match(email):
            raise UsageError(f"{email!r} er ikke en e-mailadresse")
        if role not in PERSON_ROLES:
            raise UsageError("rollen skal være sagsbehandler, personale eller admin")
        listed = check_kommuner(kommuner)
        if role is Role.SAGSBEHANDLER and not listed:
            raise UsageError("en sagsbehandler skal have mindst én kommune (--kommune)")
        if role is not Role.SAGSBEHANDLER and listed:
            raise UsageError("personale og admin ser alle kommuner; angiv ikke --kommune")
        if password is not None and len(password) < crypto.MIN_PASSWORD_LENGTH:
            raise UsageError(f"adgangskoden skal have mindst {crypto.MIN_PASSWORD_LENGTH} tegn")
        hashed = crypto.hash_password(password) if password is not None else None
        now = self.clock()
        try:
            with self.catalogue.session() as s:
                user = User(
                    email=email,
                    password_hash=hashed,
                    role=role.value,
                    kommuner=list(listed),
                    active=True,
                    created_at=now,
                )
                s.add(user)
                s.flush()
                record(s, now, actor, "user.created", email, {"role": role, "kommuner": listed})
                return _account(user)
        except IntegrityError:
            raise Conflict(f"brugeren {email} findes allerede") from None

    def users(self) -> list[Account]:
        with self.catalogue.session() as s:
            return [_account(u) for u in s.scalars(select(User).order_by(User.email))]

    def recipients(self, kommune: str) -> list[str]:
        """E-mail addresses of the active case officers of a municipality."""
        return [
            a.email
            for a in self.users()
            if a.active and a.role is Role.SAGSBEHANDLER and kommune in a.kommuner
        ]

    # logins and sessions ----------------------------------------------------------------------
    def login(self, email: str, password: str, client: str) -> LoggedIn:
        """A new session, or `NotAuthenticated` / `TooManyAttempts`.

        The attempt is counted before the password is checked, in its own committed unit of
        work: the k-th concurrent attempt sees at least k rows, so no more than
        `LOGIN_MAX_FAILURES` attempts in a window are ever checked, right password or not.
        """
        email = email.strip().lower()
        key = crypto.sha256(f"{email}|{client}")
        now = self.clock()
        self._count_attempt(key, now)
        with self.catalogue.session() as s:
            tried = s.scalar(
                select(func.count())
                .select_from(LoginFailure)
                .where(LoginFailure.key_hash == key, LoginFailure.at > now - LOGIN_WINDOW)
            )
            blocked = (tried or 0) > LOGIN_MAX_FAILURES
            user = None if blocked else s.scalar(select(User).where(User.email == email))
        ok = not blocked and crypto.verify_password(user.password_hash if user else None, password)
        if ok and user is not None and user.active:
            return self._open_session(user, key, now, client)
        with self.catalogue.session() as s:
            action = "login.blocked" if blocked else "login.failed"
            record(s, now, email, action, email, {"client": client})
        if blocked:
            raise TooManyAttempts(
                "for mange mislykkede forsøg på at logge ind; vent 15 minutter og prøv igen"
            )
        raise NotAuthenticated("forkert e-mail eller adgangskode")

    def _count_attempt(self, key: str, now: dt.datetime) -> None:
        """Every attempt is a `LoginFailure` row until it succeeds (then the key's rows go)."""
        with self.catalogue.session() as s:
            s.add(LoginFailure(key_hash=key, at=now))

    def _open_session(self, user: User, key: str, now: dt.datetime, client: str) -> LoggedIn:
        session_id, csrf = crypto.new_secret(), crypto.new_secret()
        with self.catalogue.session() as s:
            s.execute(delete(LoginFailure).where(LoginFailure.key_hash == key))
            s.execute(delete(WebSession).where(WebSession.last_seen_at < now - SESSION_MAX))
            s.add(
                WebSession(
                    id_hash=crypto.sha256(session_id),
                    user_id=user.id,
                    csrf=csrf,
                    created_at=now,
                    last_seen_at=now,
                )
            )
            record(s, now, user.email, "login.ok", user.email, {"client": client})
        return LoggedIn(session_id, csrf, _account(user))

    def session(self, session_id: str) -> LoggedIn | None:
        """The live session with this id (sliding idle timeout), or None."""
        now = self.clock()
        with self.catalogue.session() as s:
            found = s.get(WebSession, crypto.sha256(session_id))
            if found is None:
                return None
            user = s.get(User, found.user_id)
            expired = (
                now - utc(found.last_seen_at) > SESSION_IDLE
                or now - utc(found.created_at) > SESSION_MAX
            )
            if expired or user is None or not user.active:
                s.delete(found)
                return None
            if now - utc(found.last_seen_at) > dt.timedelta(minutes=1):
                found.last_seen_at = now
            return LoggedIn(session_id, found.csrf, _account(user))

    def logout(self, session_id: str) -> None:
        now = self.clock()
        with self.catalogue.session() as s:
            found = s.get(WebSession, crypto.sha256(session_id))
            if found is not None:
                user = s.get(User, found.user_id)
                s.delete(found)
                record(s, now, user.email if user else "?", "logout", "session")

    # API tokens ----------------------------------------------------------------------------------
    def create_token(
        self, kommuner: Iterable[str], name: str, actor: str, owner: str | None = None
    ) -> tuple[str, int]:
        """A new token (returned once, stored hashed) and its id; `owner`: the e-mail of the
        person answerable for it (deactivating them revokes it)."""
        listed = check_kommuner(kommuner)
        if not listed:
            raise UsageError("et token skal have mindst én kommune (--kommune)")
        token, now = crypto.new_api_token(), self.clock()
        with self.catalogue.session() as s:
            owner_id = None
            if owner is not None:
                person = s.scalar(select(User).where(User.email == owner.strip().lower()))
                if person is None or not person.active:
                    raise UsageError(f"ejeren {owner} er ikke en aktiv bruger")
                owner_id = person.id
            row = ApiToken(
                name=name[:200],
                token_hash=crypto.sha256(token),
                kommuner=list(listed),
                created_at=now,
                revoked_at=None,
                owner_id=owner_id,
            )
            s.add(row)
            s.flush()
            record(s, now, actor, "token.created", token_name(row), {"kommuner": listed})
            return token, row.id

    def token_principal(self, token: str) -> Principal | None:
        if not token.startswith(crypto.TOKEN_PREFIX) or len(token) > 200:
            return None
        with self.catalogue.session() as s:
            found = s.scalar(select(ApiToken).where(ApiToken.token_hash == crypto.sha256(token)))
            if found is None or found.revoked_at is not None:
                return None
            owner = s.get(User, found.owner_id) if found.owner_id is not None else None
            if owner is not None and not owner.active:
                return None
            return Principal(token_name(found), Role.SYSTEM, frozenset(found.kommuner))

    def revoke_token(self, token_id: int, actor: str) -> None:
        now = self.clock()
        with self.catalogue.session() as s:
            found = s.get(ApiToken, token_id)
            if found is None:
                raise UsageError(f"token {token_id} findes ikke")
            found.revoked_at = now
            record(s, now, actor, "token.revoked", token_name(found))

    def tokens(self) -> list[dict[str, object]]:
        with self.catalogue.session() as s:
            return [
                {
                    "id": t.id,
                    "navn": t.name,
                    "kommuner": t.kommuner,
                    "oprettet": utc(t.created_at).isoformat(),
                    "tilbagekaldt": utc(t.revoked_at).isoformat() if t.revoked_at else None,
                }
                for t in s.scalars(select(ApiToken).order_by(ApiToken.id))
            ]
