"""Staff page for depot collaborations (R-GB-4, R-GEN-4): the membership periods, a form to
add one and a form to end one. The same actions as `handistat samarbejde add | end | list`;
each change is audit-logged by `register.samarbejder`. Takes effect at the next processing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from handistat.accounts.principal import Principal
from handistat.api.auth import require_csrf
from handistat.api.deps import get_app
from handistat.errors import HandistatError
from handistat.register.samarbejder import add_samarbejde, end_samarbejde, list_samarbejder
from handistat.web.portal_pages import render, staff_principal

if TYPE_CHECKING:
    from handistat.app import App

router = APIRouter(prefix="/samarbejder", include_in_schema=False)
"""Included in `web.staff`'s router, so the pages live under `/personale/samarbejder`."""
Staff = Annotated[Principal, Depends(staff_principal)]
Kode = Annotated[str, Form(min_length=3, max_length=3)]
Dato = Annotated[str, Form(min_length=10, max_length=10)]


def _page(request: Request, principal: Principal, status: int = 200, **context: object) -> Response:
    periods = list_samarbejder(get_app(request).catalogue)
    return render(request, "staff/samarbejder.html", principal, status, perioder=periods, **context)


@router.get("", response_class=HTMLResponse)
def collaborations_page(request: Request, principal: Staff) -> Response:
    return _page(request, principal)


def _act(request: Request, principal: Principal, change: Callable[[App], str]) -> Response:
    """Make the change and show the page with what was done, or with why not."""
    try:
        message = change(get_app(request))
    except HandistatError as exc:
        return _page(request, principal, exc.http_status, fejl=exc.message)
    return _page(request, principal, besked=message)


@router.post("/tilfoej", dependencies=[Depends(require_csrf)])
def add(
    request: Request,
    principal: Staff,
    indberetter: Kode,
    medlem: Kode,
    fra: Dato,
    til: Annotated[str, Form(max_length=10)] = "",
    navn: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    def change(application: App) -> str:
        added = add_samarbejde(
            application.catalogue,
            application.clock,
            principal.name,
            indberetter=indberetter,
            medlem=medlem,
            fra=fra,
            til=til or None,
            navn=navn or None,
        )
        return (
            f"{added.medlemskommune} er medlem af {added.indberetningskommune}s samarbejde fra "
            f"{added.gyldig_fra.isoformat()}."
        )

    return _act(request, principal, change)


@router.post("/afslut", dependencies=[Depends(require_csrf)])
def end(request: Request, principal: Staff, indberetter: Kode, medlem: Kode, til: Dato) -> Response:
    def change(application: App) -> str:
        ended = end_samarbejde(
            application.catalogue,
            application.clock,
            principal.name,
            indberetter=indberetter,
            medlem=medlem,
            til=til,
        )
        return (
            f"{ended.medlemskommune}s medlemskab af {ended.indberetningskommune}s samarbejde "
            f"slutter {til}."
        )

    return _act(request, principal, change)
