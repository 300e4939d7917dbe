"""System-to-system deliveries (SPEC §13, R-IN-1, R-IN-5, R-IN-6) and a caller's own deliveries.

`POST /api/v1/leverancer/handbu` (CSV, or JSON with `Content-Type: application/json`) and
`POST /api/v1/leverancer/genbrug?indberetningskommune=K&kildesystem=S&udtraeksdato=D` (CSV)
answer with the intake report: 201 when new, 200 with `duplicate_of` for the same bytes again,
422 (envelope with the report) when rejected, 403 outside the caller's municipalities, 413
over the size limit. A delivery of another municipality is always 404, never 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from handistat.accounts.ownership import delivery_summary, get_visible, list_visible
from handistat.api.auth import require_csrf
from handistat.api.deliveries_stream import (
    BadRequest,
    RowId,
    UnsupportedMediaType,
    check_declared_size,
    file_chunks,
    json_top_level,
    known_kommune,
    media_type_of,
    receive_streamed,
    spool,
)
from handistat.api.deps import (
    Principal,
    get_app,
    require_kommune,
    require_principal,
    require_staff,
)
from handistat.app import App
from handistat.approval.status import delivery_status
from handistat.audit import AuditLog
from handistat.errors import NotFound
from handistat.intake.genbrug import receive_full_load
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.rawzone import RawZone, read_chunks
from handistat.intake.service import Policy, Sender
from handistat.reference import kommune_koder
from handistat.register.reports import REPORTS
from handistat.web.portal_data import current_records, own_report

router = APIRouter(tags=["leverancer"])
BASE = "/api/v1/leverancer"

JSON = "application/json"
CSV_TYPES = frozenset({"", "text/csv", "text/plain", "application/csv", "application/octet-stream"})
Caller = Annotated[Principal, Depends(require_principal)]
Staff = Annotated[Principal, Depends(require_staff)]
CSV_BODY = {"text/csv": {"schema": {"type": "string", "description": "§2.1/§2.2 CSV (;)"}}}
JSON_BODY = {
    "application/json": {
        "schema": {
            "type": "object",
            "required": ["records"],
            "properties": {
                "kommune": {"type": "string", "pattern": "^[0-9]{3}$"},
                "records": {"type": "array", "items": {"type": "object"}},
            },
        }
    }
}
REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "de samme bytes er modtaget før (`duplicate_of`)"},
    201: {"description": "modtaget; svaret er modtagelsesrapporten"},
    401: {"description": "mangler gyldigt token"},
    403: {"description": "kommunen er uden for tokenets kommuner"},
    413: {"description": "større end grænsen"},
    415: {"description": "forkert Content-Type"},
    422: {"description": "afvist; fejlkuverten har rapporten i `error.details.report`"},
}


def narrowed(principal: Principal, kommune: str | None) -> Sender:
    """The sender for intake: the caller, limited to one municipality when it names one."""
    if kommune is not None:
        require_kommune(principal, kommune)
        return Sender(principal.name, frozenset({kommune}), "api")
    return Sender(principal.name, principal.kommuner, "api")


def answer(application: App, principal: Principal, report: dict[str, Any]) -> JSONResponse:
    """201 for a new delivery; 200 for the same bytes again (reduced when not the caller's)."""
    if "duplicate_of" not in report:
        location = f"/api/v1/leverancer/{report['delivery_id']}"
        return JSONResponse(report, status_code=201, headers={"Location": location})
    AuditLog(application.catalogue, application.clock).log(
        principal.name, "delivery.repeated", report["statistic"], {"of": report["duplicate_of"]}
    )
    try:
        get_visible(application.intake, principal, int(report["duplicate_of"]))
    except NotFound:
        keep = ("statistic", "sha256", "duplicate_of", "delivery_id", "outcome", "message")
        report = {k: report[k] for k in keep if k in report}
    return JSONResponse(report, status_code=200)


async def _receive_json(
    request: Request, application: App, principal: Principal, policy: Policy
) -> dict[str, Any]:
    handle = await spool(request, application.settings.max_body_bytes)
    try:
        kommune = await anyio.to_thread.run_sync(json_top_level, handle, "kommune")
        if kommune is not None:  # the top-level municipality must be the caller's (403)
            require_kommune(principal, kommune)
        sender = narrowed(principal, kommune if kommune in kommune_koder() else None)

        def run() -> dict[str, Any]:
            return application.intake.receive(policy, file_chunks(handle), sender, media_type=JSON)

        return await anyio.to_thread.run_sync(run)
    finally:
        handle.close()


@router.post(
    f"{BASE}/handbu",
    status_code=201,
    responses=REPORT_RESPONSES,
    summary="HANDBU-leverance (§2.1): CSV eller JSON",
    dependencies=[Depends(require_csrf)],
    openapi_extra={"requestBody": {"required": True, "content": {**CSV_BODY, **JSON_BODY}}},
)
async def deliver_handbu(
    request: Request,
    principal: Caller,
    kommune: Annotated[
        str | None, Query(description="valgfri: leverancen gælder kun denne kommune")
    ] = None,
) -> JSONResponse:
    application = get_app(request)
    check_declared_size(request, application.settings.max_body_bytes)
    media = media_type_of(request)
    if kommune is not None:
        known_kommune(kommune, "kommune")
    if media == JSON:
        report = await _receive_json(request, application, principal, HANDBU_POLICY)
        return answer(application, principal, report)
    if media not in CSV_TYPES:
        raise UnsupportedMediaType("send CSV (text/csv) eller JSON (application/json)")
    sender = narrowed(principal, kommune)

    def run(chunks: Iterator[bytes]) -> dict[str, Any]:
        return application.intake.receive(HANDBU_POLICY, chunks, sender, media_type="text/csv")

    return answer(application, principal, await receive_streamed(request, run))


@router.post(
    f"{BASE}/genbrug",
    status_code=201,
    responses=REPORT_RESPONSES,
    summary="GENBRUG-fuld leverance (§2.2): CSV med hovedoplysninger i forespørgslen",
    dependencies=[Depends(require_csrf)],
    openapi_extra={"requestBody": {"required": True, "content": CSV_BODY}},
)
async def deliver_genbrug(
    request: Request,
    principal: Caller,
    indberetningskommune: Annotated[str, Query(min_length=3, max_length=3)],
    kildesystem: Annotated[str, Query(min_length=1, max_length=64)],
    udtraeksdato: Annotated[dt.date, Query(description="YYYY-MM-DD")],
) -> JSONResponse:
    application = get_app(request)
    known_kommune(indberetningskommune, "indberetningskommune")
    require_kommune(principal, indberetningskommune)
    check_declared_size(request, application.settings.max_body_bytes)
    if media_type_of(request) not in CSV_TYPES:
        raise UnsupportedMediaType("en GENBRUG-leverance er CSV (text/csv)")
    if not kildesystem.strip() or any(ord(c) < 32 for c in kildesystem):
        raise BadRequest("kildesystem skal udfyldes med højst 64 tegn uden kontroltegn")
    sender = Sender(principal.name, frozenset({indberetningskommune}), "api")

    def run(chunks: Iterator[bytes]) -> dict[str, Any]:
        return receive_full_load(
            application.intake,
            chunks,
            sender,
            kommune=indberetningskommune,
            kildesystem=kildesystem,
            udtraeksdato=udtraeksdato.isoformat(),
        )

    return answer(application, principal, await receive_streamed(request, run))


@router.get(BASE, summary="Egne leverancer, nyeste først")
def list_deliveries(
    request: Request,
    principal: Caller,
    statistik: Annotated[str | None, Query(pattern="^(handbu|genbrug)$")] = None,
    kommune: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
    side: Annotated[int, Query(ge=1, le=100_000)] = 1,
    antal: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    if kommune is not None:
        require_kommune(principal, kommune)
    total, page = list_visible(
        get_app(request).intake,
        principal,
        statistic=statistik,
        kommune=kommune,
        offset=(side - 1) * antal,
        limit=antal,
    )
    return {
        "total": total,
        "side": side,
        "antal": antal,
        "leverancer": [delivery_summary(d) for d in page],
    }


@router.get(f"{BASE}/status", summary="Leverancestatus for alle kommuner (personale)")
def status(request: Request, _: Staff) -> dict[str, Any]:
    return {"kommuner": delivery_status(get_app(request))}


@router.get(f"{BASE}/{{delivery_id}}", summary="En leverance med modtagelsesrapporten")
def get_delivery(request: Request, delivery_id: RowId, principal: Caller) -> dict[str, Any]:
    found = get_visible(get_app(request).intake, principal, delivery_id)
    return {**delivery_summary(found), "rapport": found.report}


@router.get(f"{BASE}/{{delivery_id}}/fil", summary="De modtagne bytes, uændret")
def download_delivery(request: Request, delivery_id: RowId, principal: Caller) -> Response:
    application = get_app(request)
    found = get_visible(application.intake, principal, delivery_id)
    path = RawZone(application.settings.raw_zone).path_of(found.sha256)
    AuditLog(application.catalogue, application.clock).log(
        principal.name, "delivery.downloaded", f"leverance {found.id}"
    )
    suffix = "json" if found.media_type.startswith(JSON) else "csv"
    return StreamingResponse(
        iter(read_chunks(path)),
        media_type=found.media_type if suffix == "json" else "text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="leverance-{found.id}.{suffix}"'},
    )


@router.get(
    "/api/v1/kommuner/{kommune}/indberetninger",
    tags=["kommunedata"],
    summary="Kommunens gældende HANDBU-indberetninger (med CPR; kun egen kommune)",
)
def own_records(
    request: Request,
    principal: Caller,
    kommune: str,
    q: Annotated[str, Query(max_length=64)] = "",
    side: Annotated[int, Query(ge=1, le=100_000)] = 1,
    antal: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    require_kommune(principal, kommune)
    application = get_app(request)
    rows = current_records(application.warehouse, kommune, q, antal, (side - 1) * antal)
    AuditLog(application.catalogue, application.clock).log(
        principal.name, "api.data.viewed", f"indberetninger kommune {kommune}"
    )
    return {"kommune": kommune, "side": side, "antal": antal, "indberetninger": rows}


@router.get(
    "/api/v1/kommuner/{kommune}/rapporter/{name}",
    tags=["kommunedata"],
    summary="Registrets fejl- og rensningsrapporter for kommunen",
)
def own_register_report(
    request: Request, principal: Caller, kommune: str, name: str
) -> dict[str, Any]:
    require_kommune(principal, kommune)
    if name not in REPORTS:
        raise NotFound(f"rapporten {name!r} findes ikke; kendte: {', '.join(REPORTS)}")
    application = get_app(request)
    report = own_report(application.warehouse, name, kommune)
    if report["personal"]:
        AuditLog(application.catalogue, application.clock).log(
            principal.name, "api.report.viewed", f"{name} kommune {kommune}"
        )
    return {
        "kommune": kommune,
        "rapport": name,
        "titel": report["title"],
        "dannet": report["built"],
        "raekker": report["rows"],
    }
