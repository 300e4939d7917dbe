"""The Nyt article of a HANDBU release (R-PUB-4), written from the release's own figures.

A draft in Markdown (Danish): the headline figure, the change from last year, shares by age
group and by type of intervention, the municipalities that had not approved or were left out,
and a ``[[figur]]`` line where the page puts the chart. Staff may edit the text until the
release is public; the figures in the chart always come from the frozen tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from handistat.release.artefact import FrozenTable
from handistat.release.decisions import APPROVED, EXCLUDED, NOT_APPROVED

FIGURE = "[[figur]]"
SOURCE_TABLE = "HANDBU04"  # INDSATSER × ALDER × KØN × Tid: every national figure the text uses
AGE_GROUPS = (("0005", "0-5 år"), ("0611", "6-11 år"), ("1217", "12-17 år"))
TYPE_CODES = ("1", "2", "3", "4", "5", "6", "7", "8")


def tal(value: int | None) -> str:
    """``12.200`` (Danish thousands separator); ``..`` when not published."""
    return ".." if value is None else f"{value:,}".replace(",", ".")


def pct(part: int | None, whole: int | None) -> str:
    if part is None or not whole:
        return ".."
    return f"{100 * part / whole:.1f}".replace(".", ",")


@dataclass(frozen=True)
class TypeFigure:
    code: str
    text: str
    count: int | None


@dataclass(frozen=True)
class NytFigures:
    year: str
    previous_year: str | None
    children: int | None
    children_before: int | None
    interventions: int | None
    interventions_before: int | None
    ages: tuple[tuple[str, int | None], ...]
    types: tuple[TypeFigure, ...]


def figures(table: FrozenTable) -> NytFigures:
    cube = table.cube
    years = table.years()
    year, before = years[-1], (years[-2] if len(years) > 1 else None)

    def cell(indsats: str, alder: str = "IALT", aar: str | None = year) -> int | None:
        return None if aar is None else cube.values.get((indsats, alder, "0", aar))

    texts = {c.code: c.text for c in cube.dimension("INDSATSER").codes}
    types = tuple(TypeFigure(code, short_type(texts[code]), cell(code)) for code in TYPE_CODES)
    return NytFigures(
        year=year,
        previous_year=before,
        children=cell("110"),
        children_before=cell("110", aar=before),
        interventions=cell("100"),
        interventions_before=cell("100", aar=before),
        ages=tuple((label, cell("110", code)) for code, label in AGE_GROUPS),
        types=tuple(t for t in types if t.count),
    )


def short_type(text: str) -> str:
    """The type's text without its paragraph references in brackets."""
    return text.split(" (")[0]


def change_sentence(now: int | None, before: int | None, year: str | None) -> str:
    if now is None or before is None or year is None:
        return ""
    diff = now - before
    if diff == 0:
        return f"Det er det samme antal som i {year}."
    direction = "flere" if diff > 0 else "færre"
    return f"Det er {tal(abs(diff))} {direction} end i {year} ({pct(abs(diff), before)} pct.)."


def municipality_section(decisions: Mapping[str, Any]) -> list[str]:
    """A summary, not a list of 97 names (issue 11 item 4): how many approved, how many did
    not (named only when few), and every excluded municipality with its reason."""
    kommuner: Mapping[str, Mapping[str, str]] = decisions.get("kommuner", {})
    if decisions.get("source") != "godkendelse":
        return [
            "Oplysninger om kommunernes godkendelse af tallene forelå ikke, da udgivelsen "
            "blev dannet. Alle kommuners indberetninger indgår."
        ]

    def names(status: str, with_note: bool) -> list[str]:
        return [
            f"{d.get('navn') or k}" + (f" ({d['note']})" if with_note and d.get("note") else "")
            for k, d in sorted(kommuner.items())
            if d["status"] == status
        ]

    approved = sum(1 for d in kommuner.values() if d["status"] == APPROVED)
    not_approved, excluded = names(NOT_APPROVED, True), names(EXCLUDED, True)
    if not not_approved and not excluded:
        return ["Alle kommuner har godkendt tallene."]
    lines = [f"{approved} af {len(kommuner)} kommuner har godkendt tallene."]
    if not_approved:
        many = len(not_approved) > 5
        who = "" if many else f": {_listed(not_approved)}"
        lines.append(
            f"{len(not_approved)} {'kommune' if len(not_approved) == 1 else 'kommuner'} har "
            f"ikke godkendt dem{who}; deres tal indgår som indberettet."
        )
    if excluded:
        lines.append(f"Udeladt af tallene: {_listed(excluded)}.")
    return [" ".join(lines)]


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def draft_article(
    statistic: str, tables: Mapping[str, FrozenTable], decisions: Mapping[str, Any]
) -> str | None:
    """The draft text, or None for a statistic without a Nyt (GENBRUG, seed 004 §8.4)."""
    if statistic != "handbu" or SOURCE_TABLE not in tables:
        return None
    f = figures(tables[SOURCE_TABLE])
    lines = [
        f"# {tal(f.children)} børn og unge modtog handicapindsatser i {f.year}",
        "",
        f"I {f.year} modtog {tal(f.children)} børn og unge i alderen 0-17 år en eller flere "
        "handicapkompenserende indsatser fra kommunerne. "
        + change_sentence(f.children, f.children_before, f.previous_year),
        "",
        f"Kommunerne gav i alt {tal(f.interventions)} indsatser i {f.year}. "
        + change_sentence(f.interventions, f.interventions_before, f.previous_year),
        "",
    ]
    if f.types:
        top = max(f.types, key=lambda t: t.count or 0)
        lines += [
            f"## {top.text} er den hyppigste indsats",
            "",
            f"{top.text} udgjorde {pct(top.count, f.interventions)} pct. af alle indsatser.",
            "",
            FIGURE,
            "",
            "| Indsats | Antal | Andel (pct.) |",
            "|---|---:|---:|",
            *(f"| {t.text} | {tal(t.count)} | {pct(t.count, f.interventions)} |" for t in f.types),
            "",
        ]
    ages = ", ".join(f"{label} {pct(n, f.children)} pct." for label, n in f.ages)
    lines += ["## Alder", "", f"Fordelt på alder (ultimo året) var modtagerne: {ages}", ""]
    lines += ["## Kommunerne", "", *municipality_section(decisions), ""]
    lines += [
        "## Om statistikken",
        "",
        "Et barn tælles én gang, selv om det modtager flere indsatser. Tallene for de to "
        "foregående år er opdateret ved denne udgivelse. Se tabellerne HANDBU01-HANDBU04 i "
        "[Statistikbanken](/statistikbanken) og [dokumentationen](/dokumentation/handbu).",
    ]
    return "\n".join(lines) + "\n"


def figure_data(tables: Mapping[str, FrozenTable]) -> tuple[list[str], list[int], str] | None:
    """Labels, counts and title of the article's chart: interventions by type."""
    if SOURCE_TABLE not in tables:
        return None
    f = figures(tables[SOURCE_TABLE])
    counts = [t for t in f.types if t.count is not None]
    title = f"Handicapindsatser til børn og unge efter indsats, {f.year}"
    return [t.text for t in counts], [t.count or 0 for t in counts], title


def headline(article: str) -> str:
    """The first heading of the text (the page title)."""
    for line in article.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return "Nyt"
