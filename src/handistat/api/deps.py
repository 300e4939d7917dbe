"""Request dependencies shared by every router: the App, and who is asking.

`Principal` is the one notion of an authenticated caller (a person with a session or a system
with an API token); routers ask for it through these functions and never look at cookies or
headers themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fastapi import Request

from handistat.app import App
from handistat.errors import NotAuthenticated, NotAuthorised


class Role(StrEnum):
    SAGSBEHANDLER = "sagsbehandler"  # municipal case officer
    PERSONALE = "personale"  # statistics office staff
    ADMIN = "admin"
    SYSTEM = "system"  # a municipality's system with an API token


STAFF_ROLES = frozenset({Role.PERSONALE, Role.ADMIN})


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    kommuner: frozenset[str] | None
    """The municipalities it may act for; None: all (staff)."""

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def may_act_for(self, kommune: str) -> bool:
        return self.kommuner is None or kommune in self.kommuner


def get_app(request: Request) -> App:
    application: App = request.app.state.app
    return application


def current_principal(request: Request) -> Principal | None:
    """The caller from `Authorization: Bearer <token>` or the session cookie, or None."""
    from handistat.accounts.resolve import principal_from_request

    return principal_from_request(get_app(request), request)


def require_principal(request: Request) -> Principal:
    principal = current_principal(request)
    if principal is None:
        raise NotAuthenticated("log ind eller send et gyldigt API-token")
    return principal


def require_staff(request: Request) -> Principal:
    principal = require_principal(request)
    if not principal.is_staff:
        raise NotAuthorised("kun for Danmarks Statistiks medarbejdere")
    return principal


def require_kommune(principal: Principal, kommune: str) -> None:
    if not principal.may_act_for(kommune):
        raise NotAuthorised(f"du har ikke adgang til kommune {kommune}")
