"""Resolve the caller of a request: an API token (`Authorization: Bearer ...`) or a session
cookie; and check the CSRF token of every state-changing request made with a session.

The result is kept on `request.state`, so the dependencies of one request resolve it once.
The errors a browser page raises (`LoginRequired`, `PageForbidden`, `PageNotFound`,
`CsrfFailed`) live here too; `api.security` answers them. Imports `accounts` (the service,
the cookie's name, `Principal`), never the other way round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from handistat.accounts import crypto
from handistat.accounts.resolve import SESSION_COOKIE, accounts
from handistat.errors import NotAuthenticated, NotAuthorised, NotFound

if TYPE_CHECKING:
    from handistat.accounts.principal import Principal
    from handistat.app import App

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfFailed(NotAuthorised):
    code = "CSRF_FAILED"


class LoginRequired(NotAuthenticated):
    """A browser page needs a logged-in user: answered with a redirect to the login page."""


class PageForbidden(NotAuthorised):
    """A browser page the user may not see: answered with an HTML page."""


class PageNotFound(NotFound):
    """A browser page that does not exist for this user: answered with an HTML page."""


def _application(request: Request) -> App:
    """As `api.deps.get_app`; repeated here so that `api.deps` can import this module."""
    application: App = request.app.state.app
    return application


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _resolve(application: App, request: Request) -> tuple[Principal | None, str | None, str]:
    token = _bearer(request)
    if token is not None:  # a presented credential is never silently replaced by a cookie
        principal = accounts(application).token_principal(token) if token else None
        return principal, None, "token"
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        live = accounts(application).session(session_id)
        if live is not None:
            return live.account.principal(), live.csrf, "session"
    return None, None, "none"


def principal_from_request(application: App, request: Request) -> Principal | None:
    if not getattr(request.state, "principal_resolved", False):
        principal, csrf, via = _resolve(application, request)
        request.state.principal = principal
        request.state.csrf = csrf
        request.state.auth_via = via
        request.state.principal_resolved = True
    found: Principal | None = request.state.principal
    return found


def csrf_token(request: Request) -> str:
    """The session's CSRF token for forms (empty when not logged in)."""
    return getattr(request.state, "csrf", None) or ""


async def require_csrf(request: Request) -> None:
    """Dependency: a request that changes state with a session cookie must carry the
    session's CSRF token, in the `X-CSRF-Token` header or the `csrf` form field."""
    if request.method in SAFE_METHODS:
        return
    principal_from_request(_application(request), request)
    if request.state.auth_via != "session":
        return  # tokens are never sent by a browser on its own; anonymous callers get 401
    supplied = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if supplied is None and content_type.startswith(FORM_TYPES):
        value = (await request.form()).get("csrf")
        supplied = value if isinstance(value, str) else None
    if not crypto.same(supplied, request.state.csrf):
        raise CsrfFailed(
            "sikkerhedstokenet (CSRF) mangler eller er forkert; genindlæs siden og prøv igen"
        )
