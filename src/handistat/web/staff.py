"""The staff dashboard (R-WEB-2, §0, R-VAL-4): delivery status of every municipality, the
approval matrix, due reminders, running processing and the CPR error lists. Everything here is
also in the API (`/api/v1/leverancer/status`, `/api/v1/godkendelser...`, `/api/v1/behandling`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from handistat.accounts.ownership import list_visible
from handistat.api.auth import PageNotFound, require_csrf
from handistat.api.deps import Principal, get_app
from handistat.approval.processing import run_processing
from handistat.approval.reminders import Reminders
from handistat.approval.status import delivery_status
from handistat.audit import AuditLog
from handistat.errors import HandistatError
from handistat.register.reports import REPORTS
from handistat.web import staff_approval, staff_samarbejder
from handistat.web.log_words import event_view
from handistat.web.portal_data import own_report
from handistat.web.portal_pages import render, staff_principal
from handistat.web.staff_dashboard import FILTERS, SORTS, choose_rows, processing_lines

router = APIRouter(prefix="/personale", include_in_schema=False)
Staff = Annotated[Principal, Depends(staff_principal)]
Kommune = Annotated[str | None, Query(min_length=3, max_length=3)]


@router.get("", response_class=HTMLResponse)
def dashboard(
    request: Request,
    principal: Staff,
    vis: Annotated[str, Query(max_length=20)] = "alle",
    sorter: Annotated[str, Query(max_length=20)] = "kommune",
) -> Response:
    application = get_app(request)
    status = delivery_status(application)
    due = Reminders(application).due()
    summary = {
        "handbu_forsinket": sum(1 for r in status if r["handbu"]["forsinket"]),
        "genbrug_forsinket": sum(1 for r in status if r["genbrug"]["forsinket"]),
        "cpr_fejl": sum(r["cpr_fejl"] for r in status),
        "overskredet": sum(r["godkendelser_overskredet"] for r in status),
        "paamindelser": len(due),
    }
    return render(
        request,
        "staff/oversigt.html",
        principal,
        status=choose_rows(status, vis, sorter),
        summary=summary,
        vis=vis if vis in FILTERS else "alle",
        sorter=sorter if sorter in SORTS else "kommune",
        filters=FILTERS,
        sorts=SORTS,
        years=application.default_years(),
    )


@router.post("/behandling", dependencies=[Depends(require_csrf)])
def process(
    request: Request,
    principal: Staff,
    statistik: Annotated[str, Form(pattern="^(handbu|genbrug)$")],
) -> Response:
    try:
        result = run_processing(get_app(request), statistik, principal.name)
    except HandistatError as exc:
        return render(
            request,
            "staff/behandling.html",
            principal,
            exc.http_status,
            statistik=statistik,
            message=exc.message,
        )
    lead, lines = processing_lines(result)
    return render(
        request,
        "staff/behandling.html",
        principal,
        statistik=statistik,
        result=result,
        lead=lead,
        lines=lines,
    )


@router.get("/cpr-fejl", response_class=HTMLResponse)
def cpr_errors(request: Request, principal: Staff, kommune: Kommune = None) -> Response:
    application = get_app(request)
    report = own_report(application.warehouse, "cpr-fejl", kommune)
    AuditLog(application.catalogue, application.clock).log(
        principal.name, "staff.report.viewed", f"cpr-fejl kommune {kommune or 'alle'}"
    )
    return render(request, "staff/cpr_fejl.html", principal, report=report, valgt=kommune)


@router.get("/rapporter/{name}", response_class=HTMLResponse)
def register_report(
    request: Request, principal: Staff, name: str, kommune: Kommune = None
) -> Response:
    """Any of the register's reports for all municipalities (or one); the dashboard's
    processing summary links here (issue 11 item 5)."""
    if name not in REPORTS:
        raise PageNotFound(f"rapporten {name!r} findes ikke")
    application = get_app(request)
    report = own_report(application.warehouse, name, kommune)
    if report["personal"]:
        AuditLog(application.catalogue, application.clock).log(
            principal.name, "staff.report.viewed", f"{name} kommune {kommune or 'alle'}"
        )
    return render(request, "staff/cpr_fejl.html", principal, report=report, valgt=kommune)


@router.get("/leverancer", response_class=HTMLResponse)
def deliveries(
    request: Request,
    principal: Staff,
    kommune: Kommune = None,
    side: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    total, page = list_visible(
        get_app(request).intake, principal, kommune=kommune, offset=(side - 1) * 100, limit=100
    )
    return render(
        request,
        "staff/leverancer.html",
        principal,
        deliveries=page,
        total=total,
        valgt=kommune,
        side=side,
        more=side * 100 < total,
    )


@router.get("/log", response_class=HTMLResponse)
def audit_log(request: Request, principal: Staff) -> Response:
    application = get_app(request)
    events = AuditLog(application.catalogue, application.clock).recent(limit=200)
    return render(request, "staff/log.html", principal, events=[event_view(e) for e in events])


router.include_router(staff_approval.router)


# The collaborations page (R-GB-4) is its own module; it shares this router's prefix.
router.include_router(staff_samarbejder.router)
