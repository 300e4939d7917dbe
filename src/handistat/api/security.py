"""What the accounts area needs of the one HTTP app: security headers on every response,
browser-friendly answers for the portal and staff pages, and the session and approval APIs.

`install_accounts(api, application)` is the single call `api.app.create_app` makes.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handistat.api.auth import CsrfFailed, LoginRequired, PageForbidden, PageNotFound
from handistat.app import App
from handistat.errors import HandistatError

_BASE = (
    "default-src 'self'; script-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
STRICT_CSP = _BASE + "; style-src 'self'"
"""Portal, staff pages and API: no inline scripts or styles at all."""
PUBLIC_CSP = _BASE + "; style-src 'self' 'unsafe-inline'"
"""Other pages may carry server-rendered SVG with inline styles; scripts stay external."""
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
)
"""Swagger UI and ReDoc come from the package (`api.docs_ui`); nothing from other hosts."""
PRIVATE_PREFIXES = (
    "/portal",
    "/personale",
    "/api/v1/leverancer",
    "/api/v1/godkendelser",
    "/api/v1/session",
    "/api/v1/kommuner",
    "/api/v1/behandling",
)
PAGE_PREFIXES = ("/portal", "/personale")
COMMON = (
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
    ("cross-origin-opener-policy", "same-origin"),
)


def headers_for(path: str) -> list[tuple[str, str]]:
    if path in ("/docs", "/redoc") or path.startswith("/docs/"):
        return [*COMMON, ("content-security-policy", DOCS_CSP)]
    if path.startswith(PRIVATE_PREFIXES):
        return [*COMMON, ("content-security-policy", STRICT_CSP), ("cache-control", "no-store")]
    return [*COMMON, ("content-security-policy", PUBLIC_CSP)]


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers without buffering (streamed bodies stay so)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(str(scope.get("path", "")))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _page(request: Request, exc: HandistatError) -> Response:
    from handistat.web.templating import TEMPLATES

    return TEMPLATES.TemplateResponse(
        request,
        "portal/fejl.html",
        {"status": exc.http_status, "message": exc.message},
        status_code=exc.http_status,
    )


def install_accounts(api: FastAPI, application: App) -> None:
    """Security headers, browser error handling, and the session and approval APIs."""
    from handistat.api import session as session_routes
    from handistat.approval import routes as approval_routes

    api.add_middleware(SecurityHeaders)

    @api.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/portal/login?next={quote(target, safe='')}", status_code=303)

    @api.exception_handler(PageForbidden)
    async def _forbidden(request: Request, exc: PageForbidden) -> Response:
        return _page(request, exc)

    @api.exception_handler(PageNotFound)
    async def _not_found(request: Request, exc: PageNotFound) -> Response:
        return _page(request, exc)

    @api.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        if request.url.path.startswith(PAGE_PREFIXES):
            return _page(request, exc)
        return JSONResponse(exc.envelope(), status_code=exc.http_status)

    api.include_router(session_routes.router)
    api.include_router(approval_routes.router)
