"""The municipality portal (R-WEB-2, §0): log in, upload deliveries and see the report at once,
key single HANDBU records, browse and download own data and error lists, approve the
validation lists. Danish, server-rendered, no JavaScript; nothing of another municipality is
ever shown (pages about a municipality check it; deliveries of others are 404).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from handistat.accounts import crypto
from handistat.accounts.ownership import get_visible, list_visible
from handistat.accounts.resolve import SESSION_COOKIE, accounts
from handistat.api.auth import PageNotFound, require_csrf
from handistat.api.deliveries_stream import RowId
from handistat.api.deps import Principal, get_app
from handistat.api.session import client_address, set_session_cookie
from handistat.approval.queries import visible_reports
from handistat.audit import AuditLog
from handistat.clock import today_copenhagen
from handistat.errors import HandistatError, NotFound
from handistat.intake.rawzone import RawZone, read_chunks
from handistat.web import portal_approval, portal_cpr, portal_records
from handistat.web.portal_data import PORTAL_REPORTS, own_report
from handistat.web.portal_formats import missing_header
from handistat.web.portal_pages import (
    back_to,
    chosen_kommune,
    page_principal,
    render,
    safe_next,
)
from handistat.web.portal_upload import receive_upload
from handistat.web.report_texts import error_view, raw_rows, rejected_csv

if TYPE_CHECKING:
    from handistat.app import App

router = APIRouter(prefix="/portal", include_in_schema=False)
Person = Annotated[Principal, Depends(page_principal)]
Kommune = Annotated[str | None, Query(min_length=3, max_length=3)]
LOGIN_CSRF = "handistat_login_csrf"
PAGE = 50


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    token = crypto.new_secret()
    response = render(request, "portal/login.html", None, login_csrf=token, next=next or "")
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", path="/portal")
    return response


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if not crypto.same(csrf, request.cookies.get(LOGIN_CSRF)):
        return render(
            request,
            "portal/login.html",
            None,
            403,
            login_csrf=csrf,
            next=next,
            message="Siden var for gammel; prøv at logge ind igen.",
        )
    try:
        logged_in = accounts(get_app(request)).login(email, password, client_address(request))
    except HandistatError as exc:
        return render(
            request,
            "portal/login.html",
            None,
            exc.http_status,
            login_csrf=csrf,
            next=next,
            message=exc.message,
            email=email,
        )
    home = "/personale" if logged_in.account.principal().is_staff else "/portal"
    response = back_to(safe_next(next, home))
    set_session_cookie(response, request, logged_in.session_id)
    response.delete_cookie(LOGIN_CSRF, path="/portal")
    return response


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        accounts(get_app(request)).logout(session_id)
    response = back_to("/portal/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("", response_class=HTMLResponse)
def home(request: Request, principal: Person, kommune: Kommune = None) -> Response:
    application = get_app(request)
    chosen = chosen_kommune(principal, kommune)
    _, latest = list_visible(application.intake, principal, kommune=chosen, limit=5)
    reports = visible_reports(application.catalogue, principal, kommune=chosen)
    waiting = [r for r in reports if r.state in ("sendt", "forældet")]
    cpr = own_report(application.warehouse, "cpr-fejl", chosen)
    return render(
        request,
        "portal/forside.html",
        principal,
        kommune=chosen,
        latest=latest,
        waiting=waiting,
        cpr_count=len(cpr["rows"]),
    )


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, principal: Person, kommune: Kommune = None) -> Response:
    chosen = chosen_kommune(principal, kommune)
    today = today_copenhagen(get_app(request).clock)
    return render(request, "portal/upload.html", principal, kommune=chosen, today=today)


@router.post("/upload", dependencies=[Depends(require_csrf)])
def upload(
    request: Request,
    principal: Person,
    fil: Annotated[UploadFile, File()],
    kommune: Annotated[str, Form(min_length=3, max_length=3)],
    statistik: Annotated[str, Form(pattern="^(handbu|genbrug)$")] = "handbu",
    kildesystem: Annotated[str, Form(max_length=64)] = "",
    udtraeksdato: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    application = get_app(request)
    chosen = chosen_kommune(principal, kommune)
    missing = missing_header(statistik, kildesystem, udtraeksdato)
    if missing:  # issue 11 item 10: nothing is received; the form keeps what was filled in
        today = today_copenhagen(application.clock)
        values = {"kildesystem": kildesystem, "udtraeksdato": udtraeksdato}
        return render(
            request,
            "portal/upload.html",
            principal,
            422,
            kommune=chosen,
            today=today,
            errors=missing,
            values=values,
        )
    header = {
        "indberetningskommune": chosen,
        "kildesystem": kildesystem,
        "udtraeksdato": udtraeksdato,
    }
    try:
        report = receive_upload(
            application, principal, chosen, statistik, fil.file, fil.filename or "", header
        )
    except HandistatError as exc:
        report = {"outcome": "rejected", "message": exc.message, "errors": []}
    AuditLog(application.catalogue, application.clock).log(
        principal.name,
        "portal.upload",
        f"{statistik} kommune {chosen}",
        {"udfald": report.get("outcome"), "leverance": report.get("delivery_id")},
    )
    return render(
        request,
        "portal/rapport.html",
        principal,
        status_code=int(report.get("http_status", 200)),  # 413: XLSX too large (issue 13.8)
        kommune=chosen,
        report=report,
        error_rows=error_views(application, principal, report),
        title="Modtagelsesrapport",
    )


def _raw_path(application: App, principal: Principal, report: dict[str, Any]) -> Path | None:
    delivery_id = report.get("delivery_id")
    if not delivery_id:
        return None
    try:
        found = get_visible(application.intake, principal, int(delivery_id))
    except NotFound:
        return None
    if found.media_type.startswith("application/json"):
        return None
    return RawZone(application.settings.raw_zone).path_of(found.sha256)


def error_views(
    application: App, principal: Principal, report: dict[str, Any]
) -> list[dict[str, Any]]:
    """The report's errors in Danish words, with each row's case id (issue 11 item 7)."""
    errors = list(report.get("errors") or [])[:500]
    rows = raw_rows(
        _raw_path(application, principal, report), {int(e.get("row", 0)) for e in errors}
    )
    return [error_view(e, rows) for e in errors]


@router.get("/leverancer/{delivery_id}/afviste.csv")
def rejected_rows(request: Request, principal: Person, delivery_id: RowId) -> Response:
    """The rejected rows of a delivery as CSV, to fix and send again."""
    application = get_app(request)
    try:
        found = get_visible(application.intake, principal, delivery_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from None
    errors = list(found.report.get("errors") or [])
    path = _raw_path(application, principal, {"delivery_id": found.id})
    rows = raw_rows(path, {int(e["row"]) for e in errors})
    AuditLog(application.catalogue, application.clock).log(
        principal.name, "delivery.downloaded", f"afviste rækker, leverance {found.id}"
    )
    return StreamingResponse(
        rejected_csv(rows, errors),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="afviste-{found.id}.csv"'},
    )


@router.get("/leverancer", response_class=HTMLResponse)
def deliveries(
    request: Request,
    principal: Person,
    kommune: Kommune = None,
    side: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    chosen = chosen_kommune(principal, kommune)
    total, page = list_visible(
        get_app(request).intake, principal, kommune=chosen, offset=(side - 1) * PAGE, limit=PAGE
    )
    return render(
        request,
        "portal/leverancer.html",
        principal,
        kommune=chosen,
        total=total,
        deliveries=page,
        side=side,
        sider=max(1, -(-total // PAGE)),
    )


@router.get("/leverancer/{delivery_id}", response_class=HTMLResponse)
def delivery(
    request: Request, principal: Person, delivery_id: RowId, kommune: Kommune = None
) -> Response:
    chosen = chosen_kommune(principal, kommune)
    try:
        found = get_visible(get_app(request).intake, principal, delivery_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from None
    return render(
        request,
        "portal/rapport.html",
        principal,
        kommune=chosen,
        delivery=found,
        report=found.report,
        error_rows=error_views(get_app(request), principal, found.report),
        title=f"Leverance {found.id}",
    )


@router.get("/leverancer/{delivery_id}/fil")
def delivery_file(request: Request, principal: Person, delivery_id: RowId) -> Response:
    application = get_app(request)
    try:
        found = get_visible(application.intake, principal, delivery_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from None
    AuditLog(application.catalogue, application.clock).log(
        principal.name, "delivery.downloaded", f"leverance {found.id}"
    )
    suffix = "json" if found.media_type.startswith("application/json") else "csv"
    return StreamingResponse(
        iter(read_chunks(RawZone(application.settings.raw_zone).path_of(found.sha256))),
        media_type="application/json" if suffix == "json" else "text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="leverance-{found.id}.{suffix}"'},
    )


@router.get("/rapporter/{name}", response_class=HTMLResponse)
def register_report(
    request: Request,
    principal: Person,
    name: str,
    kommune: Kommune = None,
    bekraeftet: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    application = get_app(request)
    chosen = chosen_kommune(principal, kommune)
    if not any(name in names for names in PORTAL_REPORTS.values()):
        raise PageNotFound(f"rapporten {name!r} findes ikke")
    report = own_report(application.warehouse, name, chosen)
    if report["personal"]:
        AuditLog(application.catalogue, application.clock).log(
            principal.name, "portal.report.viewed", f"{name} kommune {chosen}"
        )
    return render(
        request,
        "portal/registerrapport.html",
        principal,
        kommune=chosen,
        report=report,
        reports=PORTAL_REPORTS,
        confirmed=portal_cpr.confirmations(application, chosen) if name == "cpr-fejl" else {},
        just_confirmed=bekraeftet,
    )


router.include_router(portal_records.router)
router.include_router(portal_cpr.router)
router.include_router(portal_approval.router)
