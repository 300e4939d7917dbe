"""Shared by the municipality portal and the staff pages: who is logged in, which municipality
a page is about, and rendering a template with the context every page needs."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from handistat.api.auth import (
    LoginRequired,
    PageForbidden,
    PageNotFound,
    csrf_token,
    principal_from_request,
)
from handistat.api.deps import Principal, Role, get_app
from handistat.approval.declarations import kommune_navn, municipalities
from handistat.audit import utc
from handistat.errors import HandistatError
from handistat.web import danish, report_labels
from handistat.web.templating import TEMPLATES


def local_time(moment: dt.datetime | None) -> str:
    """A stored time (naive from SQLite means UTC) as users read it, in Copenhagen time:
    `1. december 2026 kl. 08:00`."""
    return danish.tidspunkt(utc(moment)) if moment else ""


def danish_number(value: float | int | None, decimals: int = 1) -> str:
    """`1234.5` → `1.234,5` (Danish separators); None → `–`."""
    return danish.tal(value, decimals)


TEMPLATES.env.filters["lokaltid"] = local_time
TEMPLATES.env.filters["dansk"] = danish_number
TEMPLATES.env.filters["tal"] = danish.tal
TEMPLATES.env.filters["dansk_dato"] = danish.dato
TEMPLATES.env.filters["tidspunkt"] = danish.tidspunkt
TEMPLATES.env.filters["periode"] = danish.periode
TEMPLATES.env.globals["antal"] = danish.antal
TEMPLATES.env.filters["kolonne"] = report_labels.column_label
TEMPLATES.env.filters["rapportnavn"] = report_labels.report_name
TEMPLATES.env.globals["celle"] = report_labels.cell


def page_principal(request: Request) -> Principal:
    """Dependency: a logged-in person (a system token has no pages)."""
    principal = principal_from_request(get_app(request), request)
    if principal is None:
        raise LoginRequired("log ind for at se siden")
    if principal.role is Role.SYSTEM:
        raise PageForbidden("et API-token giver ikke adgang til portalen; log ind som person")
    return principal


def staff_principal(request: Request) -> Principal:
    principal = page_principal(request)
    if not principal.is_staff:
        raise PageForbidden("siden er kun for Danmarks Statistiks medarbejdere")
    return principal


def chosen_kommune(principal: Principal, requested: str | None) -> str:
    """The municipality a portal page is about: the requested one if the user may act for it,
    else the user's first; staff may choose any."""
    codes = {k.kode for k in municipalities()}
    if requested is not None and requested not in codes:
        raise PageNotFound(f"kommunen {requested!r} findes ikke")
    if principal.kommuner is None:
        return requested or "101"
    kommune = requested or sorted(principal.kommuner)[0]
    if kommune not in principal.kommuner:
        raise PageForbidden(f"du har ikke adgang til kommune {kommune}")
    return kommune


def kommune_choices(principal: Principal) -> list[tuple[str, str]]:
    listed = municipalities()
    if principal.kommuner is not None:
        listed = tuple(k for k in listed if k.kode in principal.kommuner)
    return [(k.kode, k.navn) for k in listed]


def with_kommune(path: str, kommune: str, **params: object) -> str:
    query = {"kommune": kommune, **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{path}?{urlencode(query)}"


def render(
    request: Request,
    template: str,
    principal: Principal | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    kommune = context.get("kommune")
    base = {
        "principal": principal,
        "csrf": csrf_token(request),
        "kommune_navn": kommune_navn(kommune) if kommune else "",
        "kommuner": kommune_choices(principal) if principal else [],
        "link": with_kommune,
    }
    return TEMPLATES.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )


def error_message(exc: HandistatError) -> str:
    return exc.message


def back_to(path: str) -> RedirectResponse:
    """Post/redirect/get: after a form, show the page again with GET."""
    return RedirectResponse(path, status_code=303)


def safe_next(target: str | None, fallback: str) -> str:
    """Only a local path is a valid place to go after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback
