"""Staff pages for releases (R-PUB-1, R-PUB-4, R-GEN-4): every release and its state, the
preview of one (tables as they will be published, revisions, the Nyt text with an editor),
and approving it. The same actions as `handistat release ...`; forms carry the CSRF token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from handistat.accounts.resolve import require_csrf
from handistat.api.deps import Principal
from handistat.dissemination.access import release_service
from handistat.dissemination.webpage import not_found, page, staff_page
from handistat.errors import Conflict, NotFound
from handistat.release.pages import article_html, release_title, revision_rows

router = APIRouter(prefix="/personale/udgivelser", include_in_schema=False)
Staff = Annotated[Principal, Depends(staff_page)]
MAX_ARTICLE = 50_000


@router.get("")
def releases_page(request: Request, _: Staff) -> Response:
    service = release_service(request)
    now = request.app.state.app.clock()
    rows = [(r, release_title(r), r.is_public(now)) for r in reversed(service.releases())]
    return page(request, "personale_udgivelser.html", {"rows": rows}, private=True)


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
    }
    return page(request, "personale_udgivelse.html", context, private=True)


def _back(release_id: str, message: str) -> Response:
    return RedirectResponse(f"/personale/udgivelser/{release_id}?besked={message}", status_code=303)


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


@router.post("/{release_id}/godkend", dependencies=[Depends(require_csrf)])
def approve(request: Request, release_id: str, principal: Staff) -> Response:
    service = release_service(request)
    try:
        service.publish(release_id, principal.name)
    except (Conflict, NotFound) as exc:
        return _back(release_id, exc.message)
    return _back(release_id, "Udgivelsen er godkendt til offentliggørelse.")
