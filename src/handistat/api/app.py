"""The HTTP application: one FastAPI app for the API and the web pages (datasette's one app).

Every error leaves as the one JSON envelope (`errors.HandistatError.envelope`) for API routes
or as an error page for browser routes; bad input is never a 500.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from handistat.api.docs_ui import install_docs
from handistat.app import App
from handistat.errors import HandistatError
from handistat.masking import install_log_masking

log = logging.getLogger("handistat.api")


def _error(status: int, code: str, message: str, details: object = None) -> JSONResponse:
    body: dict[str, object] = {"error": {"code": code, "message": message}}
    if details:
        body["error"]["details"] = details  # type: ignore[index]
    return JSONResponse(body, status_code=status)


def install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(HandistatError)
    async def _handistat(_: Request, exc: HandistatError) -> Response:
        return JSONResponse(exc.envelope(), status_code=exc.http_status)

    @api.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return _error(400, "BAD_REQUEST", "the request is not valid", problems)

    @api.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
        return _error(exc.status_code, code, str(exc.detail))

    @api.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return _error(500, "INTERNAL", "an unexpected error occurred; it has been logged")


def create_app(application: App) -> FastAPI:
    """The app over one `App` (settings, stores, clock)."""
    install_log_masking()  # no CPR in any log line, uvicorn's access log included (R-CPR-5)
    from handistat.api import deliveries, statbank
    from handistat.api.security import install_accounts
    from handistat.web import portal, public, staff, staff_users

    api = FastAPI(
        title="handistat",
        version="1",
        description="Intake, municipal portal and Statbank-compatible dissemination.",
        docs_url=None,  # served from the package by `install_docs`, not from a CDN
        redoc_url=None,
    )
    api.state.app = application
    # innermost (added first): /v1 requests skip FastAPI's routing but keep the security
    # headers and the error middleware of the outer layers (R-PERF-4)
    api.add_middleware(statbank.FastPath)
    install_error_handlers(api)
    install_docs(api)
    install_accounts(api, application)
    for module in (deliveries, statbank, portal, staff, staff_users, public):
        api.include_router(module.router)
    from handistat.web.upload_limit import PortalUploadLimit

    api.add_middleware(PortalUploadLimit, limit=lambda: application.settings.max_body_bytes)
    static = Path(__file__).parent.parent / "web" / "static"
    api.mount("/static", StaticFiles(directory=str(static)), name="static")

    @api.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return api
