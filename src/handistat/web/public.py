"""The public pages (R-WEB-1, R-PUB-2, R-PUB-5): the front page, the web statbank, the release
calendar, Nyt and the documentation; plus the staff pages for releases.

Everything figures-related goes through the release views, so nothing under embargo reaches
these pages; the statbank, release and staff routes live in their own modules.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from handistat import docs_content
from handistat.dissemination import statbank_pages
from handistat.dissemination.access import release_service, view_for
from handistat.dissemination.metadata import tables_of
from handistat.dissemination.webpage import not_found, page, scroll_tables
from handistat.errors import NotFound
from handistat.release import pages as release_pages
from handistat.release import staff_pages
from handistat.release.nyt import headline

router = APIRouter(include_in_schema=False)
router.include_router(statbank_pages.router)
router.include_router(release_pages.router)
router.include_router(staff_pages.router)


@router.get("/")
def front_page(request: Request) -> Response:
    """The newest published releases and articles, what is coming, and where to go."""
    service = release_service(request)
    now = request.app.state.app.clock()
    upcoming, published = release_pages.calendar(service, now)
    articles = [
        (r, headline(r.article))
        for r in reversed(service.releases())
        if r.article and r.is_public(now)
    ]
    context = {
        "upcoming": upcoming[:5],
        "published": published[:5],
        "articles": articles[:3],
        "tables": len(tables_of(view_for(request), None)),
    }
    return page(request, "forside.html", context)


@router.get("/dokumentation")
def documentation_index(request: Request) -> Response:
    return page(request, "dokumentation.html", {"documents": docs_content.DOCUMENTS})


@router.get("/dokumentation/{slug}")
def documentation_page(request: Request, slug: str) -> Response:
    try:
        document = docs_content.document(slug)
    except NotFound:
        return not_found(request, f"Dokumentationen {slug} findes ikke.")
    body = Markup(scroll_tables(docs_content.html(slug)))
    return page(request, "dokument.html", {"document": document, "body": body})
