"""Request dependencies shared by every router: the App, and who is asking.

`Principal` (defined in `accounts.principal`, re-exported here) is the one notion of an
authenticated caller; routers ask for it through these functions and never look at cookies or
headers themselves.
"""

from __future__ import annotations

from fastapi import Request

from handistat.accounts.principal import STAFF_ROLES, Principal, Role
from handistat.api.auth import principal_from_request
from handistat.app import App
from handistat.errors import NotAuthenticated, NotAuthorised

__all__ = [
    "STAFF_ROLES",
    "Principal",
    "Role",
    "current_principal",
    "get_app",
    "require_kommune",
    "require_principal",
    "require_staff",
]


def get_app(request: Request) -> App:
    application: App = request.app.state.app
    return application


def current_principal(request: Request) -> Principal | None:
    """The caller from `Authorization: Bearer <token>` or the session cookie, or None."""
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
