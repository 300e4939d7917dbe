"""Staff pages for releases (R-PUB-1, R-PUB-4, R-GEN-4): every release and its state,
creating one, the preview of one (tables as they will be published, revisions, the Nyt text
with an editor), and approving, rescheduling or withdrawing it before its public time. Every
action asks for confirmation on its own page first (no JavaScript) and is audited by the
service. The same actions as `handistat release ...`; forms carry the CSRF token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from handistat.api.auth import require_csrf
from handistat.api.deps import Principal
from handistat.dissemination.access import release_service
from handistat.dissemination.webpage import not_found, page, staff_page
from handistat.errors import Conflict, HandistatError, NotFound
from handistat.release.pages import article_html, release_title, revision_rows
from handistat.release.schedule import parse_schedule
from handistat.web import danish
from handistat.web.staff_forms import AarFelt, Bekraeft, StatistikFelt, back_with, confirmed

router = APIRouter(prefix="/personale/udgivelser", include_in_schema=False)
Staff = Annotated[Principal, Depends(staff_page)]
MAX_ARTICLE = 50_000


@router.get("")
def releases_page(request: Request, _: Staff, besked: str = "") -> Response:
    service = release_service(request)
    now = request.app.state.app.clock()
    rows = [(r, release_title(r), r.is_public(now)) for r in reversed(service.releases())]
    context = {"rows": rows, "message": besked, "year": now.year - 1}
    return page(request, "personale_udgivelser.html", context, private=True)


@router.get("/{release_id}")
def preview_page(request: Request, release_id: str, _: Staff, besked: str = "") -> Response:
    service = release_service(request)
    try:
        release = service.get(release_id)
    except NotFound:
        return not_found(request, f"Udgivelsen {release_id} findes ikke.")
    context = {
        "release": release,
        "title": release_title(release),
        "public": release.is_public(request.app.state.app.clock()),
        "revisions": revision_rows(service.revisions(release.id)),
        "article": article_html(service, release, release.article) if release.article else "",
        "message": besked,
        "disclosure": service.disclosure(release),
        "loss": (service.disclosure(release, internal=True) or {}).get("tab", {}),
    }
    return page(request, "personale_udgivelse.html", context, private=True)


def _back(release_id: str, message: str) -> Response:
    return back_with(f"/personale/udgivelser/{release_id}", besked=message)


@router.post("/{release_id}/artikel", dependencies=[Depends(require_csrf)])
def save_article(
    request: Request,
    release_id: str,
    principal: Staff,
    tekst: Annotated[str, Form(max_length=MAX_ARTICLE)] = "",
    nulstil: Annotated[str, Form()] = "",
) -> Response:
    service = release_service(request)
    try:
        service.set_article(release_id, None if nulstil else tekst, principal.name)
    except (Conflict, NotFound) as exc:
        return _back(release_id, exc.message)
    return _back(release_id, "Artiklen er gemt.")


ACTIONS = {
    "godkend": ("Godkend til offentliggørelse", "bliver offentlig {tid}."),
    "flyt": ("Flyt tidspunktet", "flyttes fra {fra} til {tid}."),
    "tilbagetraek": ("Træk udgivelsen tilbage", "bliver aldrig offentliggjort."),
}


def _confirm(
    request: Request, title: str, text: str, action: str, fields: dict[str, str]
) -> Response:
    context = {"title": title, "text": text, "action": action, "fields": fields}
    return page(request, "personale_bekraeft.html", context, private=True)


@router.post("", dependencies=[Depends(require_csrf)])
def create(
    request: Request,
    principal: Staff,
    statistik: StatistikFelt,
    aar: AarFelt,
    tidspunkt: Annotated[str, Form(max_length=16)],
    bekraeft: Bekraeft = "",
) -> Response:
    """Create (freeze) a release; the first post shows what will be created."""
    service = release_service(request)
    try:
        at = parse_schedule(tidspunkt, request.app.state.app.clock)
        if not confirmed(bekraeft):
            text = (
                f"Tabellerne for {statistik.upper()} {aar} og de to år før fryses nu og "
                f"planlægges til {danish.tidspunkt(at)}. Udgivelsen skal derefter godkendes."
            )
            fields = {"statistik": statistik, "aar": str(aar), "tidspunkt": tidspunkt}
            return _confirm(request, "Dan udgivelsen", text, "/personale/udgivelser", fields)
        release = service.create(statistik, aar, at, principal.name)
    except HandistatError as exc:
        return back_with("/personale/udgivelser", besked=exc.message)
    return _back(release.id, f"Udgivelsen {release.id} er dannet.")


def _act(request: Request, release_id: str, actor: str, action: str, tidspunkt: str) -> str:
    service = release_service(request)
    if action == "godkend":
        service.publish(release_id, actor)
        return "Udgivelsen er godkendt til offentliggørelse."
    if action == "tilbagetraek":
        service.withdraw(release_id, actor)
        return "Udgivelsen er trukket tilbage og bliver ikke offentliggjort."
    release = service.reschedule(
        release_id, parse_schedule(tidspunkt, request.app.state.app.clock), actor
    )
    return f"Udgivelsen er flyttet til {danish.tidspunkt(release.scheduled_at)}."


@router.post("/{release_id}/{handling}", dependencies=[Depends(require_csrf)])
def act(
    request: Request,
    release_id: str,
    handling: str,
    principal: Staff,
    tidspunkt: Annotated[str, Form(max_length=16)] = "",
    bekraeft: Bekraeft = "",
) -> Response:
    """Approve, reschedule or withdraw; the first post shows the confirmation page."""
    if handling not in ACTIONS:
        return not_found(request, f"Handlingen {handling} findes ikke.")
    try:
        release = release_service(request).get(release_id)
        if not confirmed(bekraeft):
            at = release.scheduled_at
            if handling == "flyt":
                at = parse_schedule(tidspunkt, request.app.state.app.clock)
            title, consequence = ACTIONS[handling]
            text = f"Udgivelsen {release.id} " + consequence.format(
                tid=danish.tidspunkt(at), fra=danish.tidspunkt(release.scheduled_at)
            )
            action = f"/personale/udgivelser/{release.id}/{handling}"
            return _confirm(request, title, text, action, {"tidspunkt": tidspunkt})
        message = _act(request, release.id, principal.name, handling, tidspunkt)
    except HandistatError as exc:
        return _back(release_id, exc.message)
    return _back(release_id, message)
