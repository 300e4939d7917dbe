"""Portal: the caseworker confirms a CPR number on the CPR error list to Danmarks Statistik
(issue 11 item 11, R-CPR-3). The page asked for this without a way to do it; now each row
has a button. A confirmation is an audit event (`portal.cpr.confirmed`, subject
`handbu kommune K`, the case id in the details), so it is traceable and needs no table of its
own; the list shows who confirmed each row and when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from handistat.api.auth import PageNotFound, require_csrf
from handistat.api.deps import Principal, get_app
from handistat.audit import AuditLog
from handistat.web.portal_data import own_report
from handistat.web.portal_pages import back_to, chosen_kommune, page_principal, with_kommune

if TYPE_CHECKING:
    from handistat.app import App

router = APIRouter()
Person = Annotated[Principal, Depends(page_principal)]
ACTION = "portal.cpr.confirmed"


def confirmations(application: App, kommune: str) -> dict[str, dict[str, Any]]:
    """Case id → the newest confirmation (who, when) of the municipality's CPR errors."""
    events = AuditLog(application.catalogue, application.clock).recent(
        actions=[ACTION], limit=100_000
    )
    found: dict[str, dict[str, Any]] = {}
    for event in events:  # newest first
        if event["subject"] == f"handbu kommune {kommune}":
            found.setdefault(str(event["details"].get("indsats_id")), event)
    return found


@router.post("/rapporter/cpr-fejl/bekraeft", dependencies=[Depends(require_csrf)])
def confirm_cpr(
    request: Request,
    principal: Person,
    kommune: Annotated[str, Form(min_length=3, max_length=3)],
    indsats_id: Annotated[str, Form(min_length=1, max_length=64)],
) -> Response:
    """Confirm that the CPR number of one case on the list is right (audit-logged)."""
    application = get_app(request)
    chosen = chosen_kommune(principal, kommune)
    rows = own_report(application.warehouse, "cpr-fejl", chosen)["rows"]
    if not any(str(r["indsats_id"]) == indsats_id for r in rows):
        raise PageNotFound(f"sagen {indsats_id!r} står ikke på kommunens CPR-fejlliste")
    AuditLog(application.catalogue, application.clock).log(
        principal.name, ACTION, f"handbu kommune {chosen}", {"indsats_id": indsats_id}
    )
    return back_to(with_kommune("/portal/rapporter/cpr-fejl", chosen, bekraeftet=indsats_id))
