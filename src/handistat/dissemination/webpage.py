"""Shared by the public pages: rendering a template, the not-found page, the staff check.

A page that shows a release before it is public is private: `Cache-Control: no-store`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from handistat.api.auth import LoginRequired, PageForbidden, csrf_token
from handistat.api.deps import Principal, current_principal
from handistat.web.templating import TEMPLATES

STYLESHEET = Path(__file__).parent.parent / "web" / "templates" / "public" / "statbank.css"


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    private: bool = False,
) -> Response:
    principal = current_principal(request)
    context = {
        "staff": principal is not None and principal.is_staff,
        "csrf": csrf_token(request),
        **context,
    }
    response = TEMPLATES.TemplateResponse(
        request, f"public/{template}", context, status_code=status
    )
    if private:
        response.headers["Cache-Control"] = "no-store, private"
    return response


def not_found(request: Request, message: str, heading: str = "Siden findes ikke") -> Response:
    """Missing and embargoed look the same (R-PUB-2)."""
    context = {"status": 404, "message": message, "heading": heading}
    return page(request, "fejl.html", context, status=404)


def staff_page(request: Request) -> Principal:
    """The logged-in staff member, or a redirect to the login page / a refusal page."""
    principal = current_principal(request)
    if principal is None:
        raise LoginRequired("log ind for at se udgivelser før offentliggørelse")
    if not principal.is_staff:
        raise PageForbidden("kun for Danmarks Statistiks medarbejdere")
    return principal


_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)


def scroll_tables(html: str) -> str:
    """Each table of rendered Markdown in its own scroll box (a named, focusable region), so
    a wide table scrolls inside the page instead of widening it (WCAG 1.4.10)."""
    count = 0

    def box(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return (
            f'<div class="scroll" role="region" tabindex="0" aria-label="Tabel {count}">'
            f"<table>{match.group(1)}</table></div>"
        )

    return _TABLE.sub(box, html)
