"""An account's life after it is made (R-SEC-3, issue 13 item 14): deactivate, reset the
password, remove a municipality from the scope. Staff act; each action is audit-logged.

Deactivating ends the person's sessions and revokes the API tokens they own at once (and a
session or token of an inactive person is refused anyway). A reset makes a new random password,
shown once to the staff member who hands it over, and ends every session of the person.
Removing a municipality takes effect on the next request (scopes are read per request).
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from handistat.accounts import crypto
from handistat.accounts.models import ApiToken, User, WebSession
from handistat.accounts.principal import Role
from handistat.audit import record
from handistat.clock import Clock
from handistat.errors import NotFound, UsageError
from handistat.stores.catalogue import Catalogue

RESET_PASSWORD_LENGTH = 20


def _user(s: Session, email: str) -> User:
    found = s.scalar(select(User).where(User.email == email.strip().lower()))
    if found is None:
        raise NotFound(f"brugeren {email.strip().lower()} findes ikke")
    return found


def _end_sessions(s: Session, user: User) -> int:
    ended = s.execute(delete(WebSession).where(WebSession.user_id == user.id))
    return int(getattr(ended, "rowcount", 0) or 0)


class Lifecycle:
    """Staff actions on existing accounts, over the catalogue gateway."""

    def __init__(self, catalogue: Catalogue, clock: Clock) -> None:
        self.catalogue = catalogue
        self.clock = clock

    def deactivate(self, email: str, actor: str) -> dict[str, int]:
        """Block the person: sessions end and their tokens are revoked now."""
        now = self.clock()
        with self.catalogue.session() as s:
            user = _user(s, email)
            user.active = False
            sessions = _end_sessions(s, user)
            revoked = s.execute(
                update(ApiToken)
                .where(ApiToken.owner_id == user.id, ApiToken.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            tokens = int(getattr(revoked, "rowcount", 0) or 0)
            details = {"sessioner": sessions, "tokens": tokens}
            record(s, now, actor, "user.deactivated", user.email, details)
        return details

    def reactivate(self, email: str, actor: str) -> None:
        now = self.clock()
        with self.catalogue.session() as s:
            user = _user(s, email)
            user.active = True
            record(s, now, actor, "user.reactivated", user.email)

    def reset_password(self, email: str, actor: str) -> str:
        """A new random password (returned once, stored as an argon2 hash); sessions end."""
        password = crypto.new_secret()[:RESET_PASSWORD_LENGTH]
        hashed = crypto.hash_password(password)
        now = self.clock()
        with self.catalogue.session() as s:
            user = _user(s, email)
            user.password_hash = hashed
            sessions = _end_sessions(s, user)
            record(s, now, actor, "user.password_reset", user.email, {"sessioner": sessions})
        return password

    def remove_scope(self, email: str, kommune: str, actor: str) -> tuple[str, ...]:
        """The person's municipalities without `kommune`; the last one cannot go (deactivate)."""
        now = self.clock()
        with self.catalogue.session() as s:
            user = _user(s, email)
            if user.role != Role.SAGSBEHANDLER.value:
                raise UsageError("kun en sagsbehandler har kommuner; personale ser alle")
            if kommune not in user.kommuner:
                raise UsageError(f"{user.email} har ikke kommune {kommune}")
            left = [k for k in user.kommuner if k != kommune]
            if not left:
                raise UsageError(
                    f"{kommune} er {user.email}s eneste kommune; spær brugeren i stedet "
                    "(handistat user deactivate)"
                )
            user.kommuner = left
            record(s, now, actor, "user.scope_removed", user.email, {"kommune": kommune})
        return tuple(left)
