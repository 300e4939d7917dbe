"""Portal: the municipality's HANDBU records — browse, download, and the entry form to add,
correct or annul one record (the web-reporting path for municipalities without a system
integration, R-IN-1 c). Each submission is a one-record delivery through the normal intake.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from handistat.api.auth import require_csrf
from handistat.api.deps import Principal, get_app
from handistat.audit import AuditLog
from handistat.web import portal_formats
from handistat.web.portal_data import current_records, one_record, records_csv
from handistat.web.portal_entry import FIELDS, field_errors, paragraphs
from handistat.web.portal_pages import chosen_kommune, page_principal, render
from handistat.web.portal_pending import pending_records
from handistat.web.portal_upload import entry_delivery

router = APIRouter()
Person = Annotated[Principal, Depends(page_principal)]
Kommune = Annotated[str | None, Query(min_length=3, max_length=3)]
PAGE = 100


@router.get("/indberetninger", response_class=HTMLResponse)
def records(
    request: Request,
    principal: Person,
    kommune: Kommune = None,
    q: Annotated[str, Query(max_length=64)] = "",
    side: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    chosen = chosen_kommune(principal, kommune)
    application = get_app(request)
    rows = current_records(application.warehouse, chosen, q, PAGE + 1, (side - 1) * PAGE)
    built = application.warehouse.has_table("indberetninger")
    return render(
        request,
        "portal/indberetninger.html",
        principal,
        kommune=chosen,
        rows=rows[:PAGE],
        more=len(rows) > PAGE,
        q=q,
        side=side,
        built=built,
        pending=pending_records(application, chosen, q) if side == 1 else [],
    )


@router.get("/data.csv")
def records_download(request: Request, principal: Person, kommune: Kommune = None) -> Response:
    application = get_app(request)
    chosen = chosen_kommune(principal, kommune)
    AuditLog(application.catalogue, application.clock).log(
        principal.name, "portal.data.downloaded", f"handbu kommune {chosen}"
    )
    return StreamingResponse(
        records_csv(application.warehouse, chosen),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="handbu-{chosen}.csv"'},
    )


@router.get("/indberetning", response_class=HTMLResponse)
def entry_form(
    request: Request,
    principal: Person,
    kommune: Kommune = None,
    indsats_id: Annotated[str, Query(max_length=64)] = "",
    annuller: bool = False,
) -> Response:
    chosen = chosen_kommune(principal, kommune)
    application = get_app(request)
    record = one_record(application.warehouse, chosen, indsats_id) if indsats_id else None
    if indsats_id:  # a version sent since the last processing is the one to correct
        pending = [r for r in pending_records(application, chosen) if r["indsats_id"] == indsats_id]
        record = pending[0] if pending else record
    values = {f: "" if record is None or record[f] is None else str(record[f]) for f in FIELDS}
    values["indsats_id"] = values["indsats_id"] or indsats_id
    if annuller:
        values["status"] = "annulleret"
    return render(
        request,
        "portal/indberetning.html",
        principal,
        kommune=chosen,
        values=values,
        existing=record is not None,
        paragraphs=paragraphs(),
    )


@router.post("/indberetning", dependencies=[Depends(require_csrf)])
def entry_submit(
    request: Request,
    principal: Person,
    kommune: Annotated[str, Form(min_length=3, max_length=3)],
    indsats_id: Annotated[str, Form(max_length=64)] = "",
    cpr: Annotated[str, Form(max_length=20)] = "",
    paragraf: Annotated[str, Form(max_length=20)] = "",
    startdato: Annotated[str, Form(max_length=10)] = "",
    slutdato: Annotated[str, Form(max_length=10)] = "",
    status: Annotated[str, Form(max_length=12)] = "aktiv",
    eksisterende: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    application = get_app(request)
    chosen = chosen_kommune(principal, kommune)
    record = {
        "indsats_id": indsats_id.strip(),
        "cpr": cpr.strip(),
        "paragraf": paragraf.strip(),
        "startdato": startdato.strip(),
        "slutdato": slutdato.strip(),
        "status": status.strip() or "aktiv",
    }
    errors = field_errors(application, chosen, record)
    if errors:  # issue 11 item 8: nothing is stored; the form comes back as it was typed
        return render(
            request,
            "portal/indberetning.html",
            principal,
            422,
            kommune=chosen,
            values=record,
            existing=eksisterende == "1",
            paragraphs=paragraphs(),
            errors=errors,
        )
    report = entry_delivery(application, principal, chosen, record)
    AuditLog(application.catalogue, application.clock).log(
        principal.name,
        "portal.record",
        f"handbu kommune {chosen}",
        {
            "indsats_id": record["indsats_id"],
            "status": record["status"],
            "udfald": report.get("outcome"),
            "leverance": report.get("delivery_id"),
        },
    )
    accepted = report.get("outcome") == "accepted"
    return render(
        request,
        "portal/indberetning.html",
        principal,
        kommune=chosen,
        values=record,
        existing=True,
        paragraphs=paragraphs(),
        report=report,
        accepted=accepted,
        status_code=200 if accepted else 422,
    )


# The upload page's template files (issue 11 item 13) share this router's place in the portal.
router.include_router(portal_formats.router)
