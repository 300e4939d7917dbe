"""Portal: the municipality's validation lists (HANDBU, yearly) and approval reports (GENBRUG,
monthly) with table and chart, approved or rejected with a comment (R-VAL-1..3)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from handistat.api.auth import PageForbidden, PageNotFound, require_csrf
from handistat.api.deliveries_stream import RowId
from handistat.api.deps import Principal, Role, get_app
from handistat.approval.handbu import table_rows
from handistat.approval.models import ApprovalReport
from handistat.approval.queries import get_report, overdue, visible_reports
from handistat.approval.workflow import Workflow
from handistat.clock import today_copenhagen
from handistat.errors import HandistatError, NotAuthorised, NotFound
from handistat.web.danish import antal
from handistat.web.portal_charts import genbrug_chart, handbu_chart
from handistat.web.portal_pages import (
    back_to,
    chosen_kommune,
    page_principal,
    render,
    with_kommune,
)

router = APIRouter()
Person = Annotated[Principal, Depends(page_principal)]
Kommune = Annotated[str | None, Query(min_length=3, max_length=3)]


def report_context(application: Any, report: ApprovalReport) -> dict[str, Any]:
    """What the detail page shows: the table, the chart and the flags of one report."""
    figures = report.figures
    context: dict[str, Any] = {
        "report": report,
        "figures": figures,
        "flags": figures.get("flag", []),
    }
    if report.statistic == "handbu":
        rows = table_rows(figures)
        context["rows"] = rows
        context["chart"] = handbu_chart(rows, report.year)
    else:
        siblings = visible_reports(
            application.catalogue,
            _staff(),
            statistic="genbrug",
            year=report.year,
            kommune=report.kommune,
        )
        months = [{"periode": r.period, **r.figures.get("tal", {})} for r in siblings]
        context["months"] = months
        context["chart"] = genbrug_chart(months, report.year)
    return context


def _staff() -> Principal:
    return Principal("system", Role.PERSONALE, None)


def visible(request: Request, principal: Principal, report_id: RowId) -> ApprovalReport:
    try:
        return get_report(get_app(request).catalogue, principal, report_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from None


@router.get("/godkendelser", response_class=HTMLResponse)
def approvals(
    request: Request, principal: Person, kommune: Kommune = None, message: str = ""
) -> Response:
    application = get_app(request)
    chosen = chosen_kommune(principal, kommune)
    reports = visible_reports(application.catalogue, principal, kommune=chosen)
    today = today_copenhagen(application.clock)
    open_months: dict[int, list[ApprovalReport]] = {}
    for r in reports:
        if r.statistic == "genbrug" and r.state in ("sendt", "forældet"):
            open_months.setdefault(r.year, []).append(r)
    return render(
        request,
        "portal/godkendelser.html",
        principal,
        kommune=chosen,
        reports=reports,
        overdue={r.id for r in reports if overdue(r, today)},
        open_months=open_months if principal.role is Role.SAGSBEHANDLER else {},
        message=message,
    )


@router.post("/godkendelser/alle", dependencies=[Depends(require_csrf)])
def approve_all(
    request: Request,
    principal: Person,
    kommune: Annotated[str, Form(min_length=3, max_length=3)],
    rapport: Annotated[list[str], Form(max_length=200)],
) -> Response:
    """Approve every open GENBRUG month the page showed, in one action (issue 11 item 2)."""
    chosen = chosen_kommune(principal, kommune)
    if principal.role is not Role.SAGSBEHANDLER:  # R-SEC-1: refused like a single decision
        raise PageForbidden("kun kommunens egne sagsbehandlere kan godkende eller afvise")
    try:
        shown = {int(i): int(v) for i, v in (item.split(":", 1) for item in rapport)}
        n = Workflow(get_app(request)).approve_all(shown, principal.name, chosen)
        message = f"{antal(n, 'måned')} godkendt."
    except ValueError:
        message = "formularen var ugyldig; åbn siden igen"
    except HandistatError as exc:
        message = exc.message
    return back_to(with_kommune("/portal/godkendelser", chosen, message=message))


@router.get("/godkendelser/{report_id}", response_class=HTMLResponse)
def approval(request: Request, principal: Person, report_id: RowId) -> Response:
    application = get_app(request)
    report = visible(request, principal, report_id)
    may_decide = principal.role is Role.SAGSBEHANDLER and report.state in ("sendt", "forældet")
    return render(
        request,
        "portal/godkendelse.html",
        principal,
        kommune=report.kommune,
        may_decide=may_decide,
        **report_context(application, report),
    )


@router.post("/godkendelser/{report_id}", dependencies=[Depends(require_csrf)])
def decide(
    request: Request,
    principal: Person,
    report_id: RowId,
    handling: Annotated[str, Form(pattern="^(godkend|afvis)$")],
    version: Annotated[int, Form(ge=1)],
    kommentar: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    application = get_app(request)
    report = visible(request, principal, report_id)
    try:
        if principal.role is not Role.SAGSBEHANDLER:
            raise NotAuthorised("kun kommunens egne sagsbehandlere kan godkende eller afvise")
        Workflow(application).decide(
            report_id,
            principal.name,
            approve=handling == "godkend",
            version=version,
            comment=kommentar,
        )
    except HandistatError as exc:
        return render(
            request,
            "portal/godkendelse.html",
            principal,
            kommune=report.kommune,
            may_decide=principal.role is Role.SAGSBEHANDLER,
            message=exc.message,
            kommentar=kommentar,
            status_code=exc.http_status,
            **report_context(application, visible(request, principal, report_id)),
        )
    return back_to(f"/portal/godkendelser/{report_id}")
