"""Staff pages for the people with accounts (R-SEC-3, R-GEN-4; issue 13 item 14): the list,
deactivate and reactivate, a password reset shown once, and removing a municipality from a
case officer. The same actions as `handistat user ...`; each is audit-logged by `Lifecycle`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from handistat.accounts.lifecycle import Lifecycle
from handistat.accounts.principal import Principal
from handistat.accounts.resolve import accounts
from handistat.api.auth import require_csrf
from handistat.api.deps import get_app
from handistat.errors import HandistatError
from handistat.web.portal_pages import render, staff_principal

router = APIRouter(prefix="/personale/brugere", include_in_schema=False)
Staff = Annotated[Principal, Depends(staff_principal)]
Email = Annotated[str, Form(max_length=254)]


def _page(request: Request, principal: Principal, status: int = 200, **context: object) -> Response:
    users = accounts(get_app(request)).users()
    return render(request, "staff/brugere.html", principal, status, users=users, **context)


def _act(request: Request, principal: Principal, action: Callable[[Lifecycle], str]) -> Response:
    application = get_app(request)
    try:
        message = action(Lifecycle(application.catalogue, application.clock))
    except HandistatError as exc:
        return _page(request, principal, exc.http_status, fejl=exc.message)
    return _page(request, principal, besked=message)


@router.get("", response_class=HTMLResponse)
def users_page(request: Request, principal: Staff) -> Response:
    return _page(request, principal)


@router.post("/spaer", dependencies=[Depends(require_csrf)])
def deactivate(request: Request, principal: Staff, email: Email) -> Response:
    def act(life: Lifecycle) -> str:
        done = life.deactivate(email, principal.name)
        return (
            f"{email} er spærret: {done['sessioner']} sessioner afsluttet, "
            f"{done['tokens']} tokens tilbagekaldt."
        )

    return _act(request, principal, act)


@router.post("/genaabn", dependencies=[Depends(require_csrf)])
def reactivate(request: Request, principal: Staff, email: Email) -> Response:
    def act(life: Lifecycle) -> str:
        life.reactivate(email, principal.name)
        return f"{email} er aktiv igen."

    return _act(request, principal, act)


@router.post("/nulstil", dependencies=[Depends(require_csrf)])
def reset_password(request: Request, principal: Staff, email: Email) -> Response:
    application = get_app(request)
    try:
        password = Lifecycle(application.catalogue, application.clock).reset_password(
            email, principal.name
        )
    except HandistatError as exc:
        return _page(request, principal, exc.http_status, fejl=exc.message)
    response = _page(request, principal, nulstillet=email, adgangskode=password)
    response.headers["Cache-Control"] = "no-store"  # the password is shown once
    return response


@router.post("/fjern-kommune", dependencies=[Depends(require_csrf)])
def remove_scope(
    request: Request,
    principal: Staff,
    email: Email,
    kommune: Annotated[str, Form(min_length=3, max_length=3)],
) -> Response:
    def act(life: Lifecycle) -> str:
        left = life.remove_scope(email, kommune, principal.name)
        return f"Kommune {kommune} er fjernet fra {email}; tilbage: {', '.join(left)}."

    return _act(request, principal, act)
