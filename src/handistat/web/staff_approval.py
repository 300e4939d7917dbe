"""Staff pages of the approval workflow: the matrix per statistic and year, sending the
reports, one report with its reminder history, due reminders, and the release decisions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from handistat.api.auth import PageNotFound, require_csrf
from handistat.api.deliveries_stream import RowId
from handistat.api.deps import Principal, get_app
from handistat.approval.declarations import STANDARD_SCHEDULE, Decision, kommune_navn
from handistat.approval.queries import get_report, matrix, report_years
from handistat.approval.release import decide_release, release_decisions
from handistat.approval.reminders import Reminders
from handistat.approval.workflow import KINDS, Workflow
from handistat.clock import today_copenhagen
from handistat.errors import Conflict, HandistatError, NotFound
from handistat.web.danish import antal, dato
from handistat.web.portal_approval import report_context
from handistat.web.portal_pages import back_to, render, staff_principal
from handistat.web.staff_forms import (
    AarFelt,
    Bekraeft,
    StatistikFelt,
    back_with,
    confirmed,
)

router = APIRouter()


Staff = Annotated[Principal, Depends(staff_principal)]
Statistic = Annotated[str, Query(pattern="^(handbu|genbrug)$")]
Year = Annotated[int | None, Query(ge=2000, le=2100)]


def _year(request: Request, statistic: str, year: int | None) -> int:
    application = get_app(request)
    if year is not None:
        return year
    years = report_years(application.catalogue, statistic)
    return years[0] if years else today_copenhagen(application.clock).year - 1


@router.get("/godkendelser", response_class=HTMLResponse)
def approval_matrix(
    request: Request,
    principal: Staff,
    statistik: Statistic = "handbu",
    aar: Year = None,
    message: str = "",
) -> Response:
    application = get_app(request)
    year = _year(request, statistik, aar)
    return render(
        request,
        "staff/matrix.html",
        principal,
        matrix=matrix(application.catalogue, statistik, year),
        statistik=statistik,
        aar=year,
        kinds=KINDS,
        years=application.default_years(),
        message=message,
    )


def _deadline(frist: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(frist) if frist else None
    except ValueError:
        raise Conflict(f"fristen «{frist}» er ikke en dato; skriv den som ÅÅÅÅ-MM-DD") from None


@router.get("/godkendelser/send", response_class=HTMLResponse)
def send_preview(
    request: Request,
    principal: Staff,
    statistik: Statistic,
    aar: Annotated[int, Query(ge=2000, le=2100)],
    frist: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """Step 1 of sending: what will go out, to whom, which municipalities are skipped."""
    try:
        plan = Workflow(get_app(request)).plan(statistik, aar, _deadline(frist))
    except HandistatError as exc:
        return back_with(
            "/personale/godkendelser", statistik=statistik, aar=aar, message=exc.message
        )
    return render(
        request,
        "staff/send.html",
        principal,
        plan=plan,
        modtager_kommuner=sorted({k for k, _ in plan.keys}),
        skipped=[(k, kommune_navn(k)) for k in plan.skipped],
    )


@router.post("/godkendelser/send", dependencies=[Depends(require_csrf)])
def send(
    request: Request,
    principal: Staff,
    statistik: StatistikFelt,
    aar: AarFelt,
    frist: Annotated[str, Form(max_length=10)] = "",
    bekraeft: Bekraeft = "",
) -> Response:
    """Step 2: send, only with the confirmation from the preview."""
    if not confirmed(bekraeft):
        return back_with("/personale/godkendelser/send", statistik=statistik, aar=aar, frist=frist)
    application = get_app(request)
    try:
        sent = Workflow(application).send(statistik, aar, principal.name, _deadline(frist))
        message = f"{antal(sent, 'rapport')} sendt"
        if not sent:
            message = (
                "Ingen nye rapporter at sende: alle er sendt før. Brug «Flyt frist» for at "
                "give kommunerne en ny frist."
            )
    except HandistatError as exc:
        message = exc.message
    return back_with("/personale/godkendelser", statistik=statistik, aar=aar, message=message)


@router.post("/godkendelser/frist", dependencies=[Depends(require_csrf)])
def move_deadline(
    request: Request,
    principal: Staff,
    statistik: StatistikFelt,
    aar: AarFelt,
    frist: Annotated[str, Form(max_length=10)],
    kommune: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Move the deadline of every report still awaiting an answer (or one municipality's)."""
    try:
        deadline = _deadline(frist)
        if deadline is None:
            raise Conflict("vælg den nye frist")
        moved = Workflow(get_app(request)).move_deadline(
            statistik, aar, deadline, principal.name, kommune or None
        )
        message = f"Fristen er flyttet til {dato(deadline)} for {antal(moved, 'rapport')}"
    except HandistatError as exc:
        message = exc.message
    return back_with("/personale/godkendelser", statistik=statistik, aar=aar, message=message)


@router.get("/godkendelser/{report_id}", response_class=HTMLResponse)
def report(request: Request, principal: Staff, report_id: RowId, message: str = "") -> Response:
    application = get_app(request)
    try:
        found = get_report(application.catalogue, principal, report_id)
    except NotFound as exc:
        raise PageNotFound(exc.message) from None
    reminders = Reminders(application)
    due = next((d for d in reminders.due() if d.report.id == report_id), None)
    return render(
        request,
        "staff/godkendelse.html",
        principal,
        kommune=found.kommune,
        history=reminders.of_report(report_id),
        step_titles={step.code: step.title for step in STANDARD_SCHEDULE.steps},
        due=due,
        message=message,
        **report_context(application, found),
    )


@router.post("/godkendelser/{report_id}/paamindelse", dependencies=[Depends(require_csrf)])
def log_step(
    request: Request,
    principal: Staff,
    report_id: RowId,
    trin: Annotated[str, Form(pattern="^(telefon|eskalering)$")],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    try:
        Reminders(get_app(request)).log(report_id, trin, principal.name, note)
        message = "registreret"
    except HandistatError as exc:
        message = exc.message
    return back_with(f"/personale/godkendelser/{report_id}", message=message)


@router.get("/paamindelser", response_class=HTMLResponse)
def due_reminders(request: Request, principal: Staff, message: str = "") -> Response:
    """The due reminders and, for the written ones, a preview of the letters to confirm."""
    reminders = Reminders(get_app(request))
    letters = reminders.letters(str(request.base_url))
    return render(
        request,
        "staff/paamindelser.html",
        principal,
        due=reminders.due(),
        letters=letters,
        lists=sum(len(letter.items) for letter in letters),
        recipients=len({r for letter in letters for r in letter.mail.recipients}),
        message=message,
    )


@router.post("/paamindelser", dependencies=[Depends(require_csrf)])
def send_reminders(
    request: Request,
    principal: Staff,
    breve: Annotated[int | None, Form(ge=0, le=100_000)] = None,
) -> Response:
    """Send the letters of the preview; `breve` is how many the confirmed preview showed."""
    if breve is None:
        return back_to("/personale/paamindelser")
    reminders = Reminders(get_app(request))
    try:
        sent = reminders.send_written(principal.name, str(request.base_url), expected=breve)
    except HandistatError as exc:
        return back_with("/personale/paamindelser", message=exc.message)
    letters = len({s["kommune"] for s in sent})
    stored = "sendt" if sent and sent[0]["udsendt"] == "smtp" else "dannet og gemt"
    message = (
        f"{antal(letters, 'brev')} {stored} til {antal(letters, 'kommune')} "
        f"om {antal(len(sent), 'liste')}."
    )
    return back_with("/personale/paamindelser", message=message)


@router.get("/frigivelse", response_class=HTMLResponse)
def release(
    request: Request,
    principal: Staff,
    statistik: Statistic = "handbu",
    aar: Year = None,
    message: str = "",
) -> Response:
    year = _year(request, statistik, aar)
    decisions = release_decisions(get_app(request), statistik, year)
    return render(
        request,
        "staff/frigivelse.html",
        principal,
        decisions=decisions,
        statistik=statistik,
        aar=year,
        choices=[d.value for d in Decision],
        message=message,
    )


@router.post("/frigivelse", dependencies=[Depends(require_csrf)])
def decide(
    request: Request,
    principal: Staff,
    statistik: StatistikFelt,
    aar: AarFelt,
    kommune: Annotated[str, Form(min_length=3, max_length=3)],
    beslutning: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    try:
        decide_release(get_app(request), statistik, aar, kommune, beslutning, note, principal.name)
        message = f"{kommune}: {beslutning}"
    except HandistatError as exc:
        message = exc.message
    return back_with("/personale/frigivelse", statistik=statistik, aar=aar, message=message)
