"""Public release pages: the release calendar (titles and times only), a published release
with its revision report, and the Nyt articles. Before its time a release has no page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markdown_it import MarkdownIt
from markupsafe import Markup

from handistat.dissemination.access import release_service
from handistat.dissemination.chart import bar_chart
from handistat.dissemination.metadata import subject_of
from handistat.dissemination.webpage import not_found, page
from handistat.errors import NotFound
from handistat.release.models import WITHDRAWN, Release
from handistat.release.nyt import FIGURE, figure_data, headline
from handistat.release.service import ReleaseService
from handistat.release.vintages import RevisedCell

router = APIRouter(include_in_schema=False)
_MARKDOWN = MarkdownIt("js-default")  # no raw HTML from edited text
_FIGURE_HTML = f"<p>{FIGURE}</p>"


@dataclass(frozen=True)
class CalendarEntry:
    title: str
    at: dt.datetime
    release_id: str | None
    """Set once public (then the entry links to the release)."""


def release_title(release: Release) -> str:
    subject = subject_of(release.statistic)
    name = subject.text if subject else release.statistic.upper()
    return f"{name} {release.reference_year}"


def calendar(
    service: ReleaseService, now: dt.datetime
) -> tuple[list[CalendarEntry], list[CalendarEntry]]:
    """Upcoming (newest plan per statistic and year) and published releases, newest first."""
    upcoming: dict[tuple[str, int], CalendarEntry] = {}
    published = []
    for r in service.releases():
        if r.is_public(now):
            published.append(CalendarEntry(release_title(r), r.scheduled_at, r.id))
        elif r.scheduled_at > now and r.status != WITHDRAWN:
            upcoming[(r.statistic, r.reference_year)] = CalendarEntry(
                release_title(r), r.scheduled_at, None
            )
    return sorted(upcoming.values(), key=lambda e: e.at), sorted(
        published, key=lambda e: e.at, reverse=True
    )


def article_html(service: ReleaseService, release: Release, text: str) -> Markup:
    """The article's Markdown as HTML, the chart where the text says ``[[figur]]``."""
    html = _MARKDOWN.render(text)
    figure = ""
    found = figure_data(service.load(release))
    if found and found[0]:  # no chart when every type is hidden by disclosure control
        labels, counts, title = found
        figure = (
            f'<figure class="chart">{bar_chart(labels, counts, title, "Indsats")}'
            f"<figcaption>{title}. Kilde: {service.app.settings.publisher.name}, "
            f"udgivelse {release.id}.</figcaption></figure>"
        )
    return Markup(html.replace(_FIGURE_HTML, figure))


@router.get("/udgivelser")
def calendar_page(request: Request) -> Response:
    service = release_service(request)
    upcoming, published = calendar(service, request.app.state.app.clock())
    return page(request, "udgivelser.html", {"upcoming": upcoming, "published": published})


def _public(request: Request, release_id: str) -> Release | None:
    service = release_service(request)
    try:
        release = service.get(release_id)
    except NotFound:
        return None
    return release if release.is_public(request.app.state.app.clock()) else None


def revision_rows(cells: list[RevisedCell]) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            c.table,
            ", ".join(
                f"{d}={code}" for d, code in zip(c.dimensions[:-1], c.codes[:-1], strict=True)
            ),
            c.year,
            ".." if c.old is None else str(c.old),
            ".." if c.new is None else str(c.new),
        )
        for c in cells
    ]


@router.get("/udgivelser/{release_id}")
def release_page(request: Request, release_id: str) -> Response:
    release = _public(request, release_id)
    if release is None:
        return not_found(request, f"Udgivelsen {release_id} findes ikke.")
    rows = revision_rows(release_service(request).revisions(release.id))
    context = {"release": release, "title": release_title(release), "revisions": rows}
    return page(request, "udgivelse.html", context)


@router.get("/nyt")
def articles_page(request: Request) -> Response:
    now = request.app.state.app.clock()
    service = release_service(request)
    articles = [
        (r, headline(r.article))
        for r in reversed(service.releases())
        if r.article and r.is_public(now)
    ]
    return page(request, "nyt_liste.html", {"articles": articles})


@router.get("/nyt/{release_id}")
def article_page(request: Request, release_id: str) -> Response:
    release = _public(request, release_id)
    if release is None or not release.article:
        return not_found(request, f"Artiklen {release_id} findes ikke.")
    html = article_html(release_service(request), release, release.article)
    return page(request, "nyt.html", {"release": release, "article": html})
