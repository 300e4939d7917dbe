"""The session API: log in and out without the browser (R-GEN-4), e.g. from a script that then
calls the approval endpoints with the cookie and the `X-CSRF-Token` header."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from handistat.accounts.client import client_address as address_of
from handistat.accounts.client import networks
from handistat.accounts.resolve import SESSION_COOKIE, accounts
from handistat.accounts.service import LoggedIn
from handistat.api.auth import require_csrf
from handistat.api.deps import Principal, get_app, require_principal

router = APIRouter(prefix="/api/v1/session", tags=["konto"])


class Login(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


def client_address(request: Request) -> str:
    """The client as the rate limit sees it (`accounts.client`)."""
    trusted = networks(get_app(request).settings.trusted_proxies)
    return address_of(request, trusted)


def set_session_cookie(response: Response, request: Request, session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def describe(principal: Principal, csrf: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "navn": principal.name,
        "rolle": principal.role.value,
        "kommuner": sorted(principal.kommuner) if principal.kommuner is not None else None,
    }
    if csrf:
        body["csrf"] = csrf
    return body


@router.post("", summary="Log ind (sætter sessionscookien og svarer med CSRF-tokenet)")
def login(body: Login, request: Request, response: Response) -> dict[str, Any]:
    logged_in: LoggedIn = accounts(get_app(request)).login(
        body.email, body.password, client_address(request)
    )
    set_session_cookie(response, request, logged_in.session_id)
    return describe(logged_in.account.principal(), logged_in.csrf)


@router.get("", summary="Hvem er logget ind")
def whoami(
    request: Request, principal: Annotated[Principal, Depends(require_principal)]
) -> dict[str, Any]:
    return describe(principal, getattr(request.state, "csrf", None))


@router.delete("", summary="Log ud", dependencies=[Depends(require_csrf)])
def logout(request: Request, response: Response) -> dict[str, str]:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        accounts(get_app(request)).logout(session_id)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"status": "logget ud"}
