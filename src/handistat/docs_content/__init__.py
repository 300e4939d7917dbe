"""Statistics documentation (R-PUB-5): one Markdown document per statistic, in Danish, packaged
with the code and rendered by the public pages (``/dokumentation/<slug>``). Imports only
`errors` of handistat; imported by `web.public`."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from markdown_it import MarkdownIt

from handistat.errors import NotFound

_MARKDOWN = MarkdownIt("js-default")


@dataclass(frozen=True)
class Document:
    slug: str
    title: str
    summary: str


DOCUMENTS = (
    Document(
        "handbu",
        "Handicapindsatser til børn og unge",
        "Kommunernes handicapkompenserende indsatser til børn og unge 0-17 år (HANDBU01-06).",
    ),
    Document(
        "genbrug",
        "Genbrugshjælpemidler",
        "Kommunernes udlån af genbrugshjælpemidler fra hjælpemiddeldepoterne (HJALP).",
    ),
    Document(
        "statbank-api",
        "Statistikbankens API",
        "Hent tabellerne maskinelt: /v1/subjects, /v1/tables, /v1/tableinfo og /v1/data.",
    ),
)


def document(slug: str) -> Document:
    for found in DOCUMENTS:
        if found.slug == slug:
            return found
    raise NotFound(f"dokumentationen {slug!r} findes ikke")


def markdown(slug: str) -> str:
    document(slug)
    text: str = resources.files(__name__).joinpath(f"{slug}.md").read_text(encoding="utf-8")
    return text


def html(slug: str) -> str:
    """The document as HTML; table headers get `scope` for screen readers."""
    rendered = str(_MARKDOWN.render(markdown(slug)))
    return rendered.replace("<th>", '<th scope="col">').replace(
        "<th style", '<th scope="col" style'
    )
