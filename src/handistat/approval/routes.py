"""The approval workflow over HTTP (R-GEN-4: everything on the portal and the staff pages is
also in the API). Municipalities see and decide only their own reports; staff send, remind,
log, decide at release and run processing. State-changing calls made with a session cookie
carry the `X-CSRF-Token` header (see `POST /api/v1/session`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from handistat.accounts.principal import Principal, Role
from handistat.api.auth import require_csrf
from handistat.api.deliveries_stream import PathYear, RowId
from handistat.api.deps import get_app, require_principal, require_staff
from handistat.approval.processing import run_processing
from handistat.approval.queries import get_report, matrix, report_view, visible_reports
from handistat.approval.release import decide_release, release_decisions
from handistat.approval.reminders import Reminders
from handistat.approval.workflow import Workflow, kind_of
from handistat.clock import today_copenhagen
from handistat.errors import NotAuthorised

router = APIRouter(tags=["godkendelser"], dependencies=[Depends(require_csrf)])
BASE = "/api/v1/godkendelser"
Caller = Annotated[Principal, Depends(require_principal)]
Staff = Annotated[Principal, Depends(require_staff)]
Statistic = Annotated[str, Query(pattern="^(handbu|genbrug)$")]


class Send(BaseModel):
    statistik: str = Field(pattern="^(handbu|genbrug)$")
    aar: int = Field(ge=2000, le=2100)
    frist: dt.date | None = None


class Decide(BaseModel):
    version: int = Field(ge=1, le=2**31)
    kommentar: str = Field(default="", max_length=4000)


class LogStep(BaseModel):
    trin: str = Field(pattern="^(telefon|eskalering)$")
    note: str = Field(min_length=1, max_length=4000)


class ReleaseChoice(BaseModel):
    beslutning: str = Field(pattern="^(godkendt|ikke godkendt|udeladt)$")
    note: str = Field(default="", max_length=4000)


def require_case_officer(principal: Principal, kommune: str) -> None:
    if principal.role is not Role.SAGSBEHANDLER or not principal.may_act_for(kommune):
        raise NotAuthorised("kun kommunens egne sagsbehandlere kan godkende eller afvise")


@router.get(BASE, summary="Valideringslister og godkendelsesrapporter (egne kommuner)")
def list_reports(
    request: Request,
    principal: Caller,
    statistik: Statistic | None = None,
    aar: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    kommune: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    tilstand: str | None = None,
) -> dict[str, Any]:
    application = get_app(request)
    today = today_copenhagen(application.clock)
    found = visible_reports(
        application.catalogue,
        principal,
        statistic=statistik,
        year=aar,
        kommune=kommune,
        state=tilstand,
    )
    return {"rapporter": [report_view(r, today) for r in found]}


@router.post(f"{BASE}/send", summary="Send årets rapporter til kommunerne (personale)")
def send_reports(request: Request, principal: Staff, body: Send) -> dict[str, Any]:
    sent = Workflow(get_app(request)).send(body.statistik, body.aar, principal.name, body.frist)
    return {"statistik": body.statistik, "aar": body.aar, "sendt": sent}


@router.get(f"{BASE}/matrix/{{statistik}}/{{aar}}", summary="Godkendelsesmatricen (personale)")
def approval_matrix(request: Request, _: Staff, statistik: str, aar: PathYear) -> dict[str, Any]:
    kind_of(statistik)
    return matrix(get_app(request).catalogue, statistik, aar)


@router.get(f"{BASE}/paamindelser", summary="Påmindelser der er forfaldne (personale)")
def due_reminders(request: Request, _: Staff) -> dict[str, Any]:
    return {"forfaldne": [d.view() for d in Reminders(get_app(request)).due()]}


@router.post(f"{BASE}/paamindelser", summary="Udsend forfaldne skriftlige påmindelser")
def send_reminders(request: Request, principal: Staff) -> dict[str, Any]:
    sent = Reminders(get_app(request)).send_written(principal.name, str(request.base_url))
    return {"udsendt": sent}


@router.get(f"{BASE}/frigivelse/{{statistik}}/{{aar}}", summary="Kommunernes status ved udgivelse")
def get_release(request: Request, _: Staff, statistik: str, aar: PathYear) -> dict[str, Any]:
    kind_of(statistik)
    return {"kommuner": release_decisions(get_app(request), statistik, aar)}


@router.put(f"{BASE}/frigivelse/{{statistik}}/{{aar}}/{{kommune}}", summary="Beslut ved udgivelse")
def put_release(
    request: Request,
    principal: Staff,
    statistik: str,
    aar: PathYear,
    kommune: str,
    body: ReleaseChoice,
) -> dict[str, Any]:
    kind_of(statistik)
    return decide_release(
        get_app(request), statistik, aar, kommune, body.beslutning, body.note, principal.name
    )


@router.get(f"{BASE}/{{report_id}}", summary="En rapport med tallene")
def get_one(request: Request, report_id: RowId, principal: Caller) -> dict[str, Any]:
    application = get_app(request)
    report = get_report(application.catalogue, principal, report_id)
    view = report_view(report, today_copenhagen(application.clock))
    if principal.is_staff:
        view["paamindelser"] = Reminders(application).of_report(report_id)
    return view


def _decide(
    request: Request, report_id: RowId, principal: Principal, body: Decide, approve: bool
) -> dict[str, Any]:
    application = get_app(request)
    report = get_report(application.catalogue, principal, report_id)
    require_case_officer(principal, report.kommune)
    decided = Workflow(application).decide(
        report_id, principal.name, approve=approve, version=body.version, comment=body.kommentar
    )
    return report_view(decided, today_copenhagen(application.clock))


@router.post(f"{BASE}/{{report_id}}/godkend", summary="Godkend tallene (kommunens sagsbehandler)")
def approve(request: Request, report_id: RowId, principal: Caller, body: Decide) -> dict[str, Any]:
    return _decide(request, report_id, principal, body, approve=True)


@router.post(f"{BASE}/{{report_id}}/afvis", summary="Afvis tallene med en kommentar")
def reject(request: Request, report_id: RowId, principal: Caller, body: Decide) -> dict[str, Any]:
    return _decide(request, report_id, principal, body, approve=False)


@router.post(f"{BASE}/{{report_id}}/paamindelser", summary="Log telefonopkald eller eskalering")
def log_step(request: Request, report_id: RowId, principal: Staff, body: LogStep) -> dict[str, Any]:
    return Reminders(get_app(request)).log(report_id, body.trin, principal.name, body.note)


@router.post("/api/v1/behandling/{statistik}", summary="Dan registret igen (personale)")
def process(request: Request, principal: Staff, statistik: str) -> dict[str, Any]:
    return run_processing(get_app(request), statistik, principal.name)
