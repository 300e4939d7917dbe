"""`/v1/subjects`, `/v1/tables` and `/v1/tableinfo` bodies (statbank_api.md §2-4) from a view.

Only tables the view holds are listed, with only the periods it has published: before a
release is public nothing here hints at its figures or its new period (R-PUB-2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from handistat.clock import COPENHAGEN
from handistat.dissemination.errors import EXTRACT_NOTFOUND, ApiError
from handistat.publisher import DEFAULT_PUBLISHER, Publisher
from handistat.release.vintages import PublicTable, VintageView
from handistat.tables.cube import Cube
from handistat.tables.formats._common import (
    code_text,
    dimension_text,
    in_lang,
    join_words,
    table_label,
    table_text,
    unit_text,
)

MAPS = {"KOMMUNEDK": "denmark_municipality_07", "LANDSDEL": "denmark_landsdel_07"}


@dataclass(frozen=True)
class Subject:
    id: str
    text: str
    text_en: str
    statistic: str | None = None
    children: tuple[Subject, ...] = ()


SUBJECTS = (
    Subject(
        "10",
        "Sociale forhold",
        "Social conditions",
        children=(
            Subject(
                "1010",
                "Handicapindsatser til børn og unge",
                "Disability interventions for children",
                "handbu",
            ),
            Subject("1020", "Genbrugshjælpemidler", "Reusable assistive devices", "genbrug"),
        ),
    ),
)


def all_subjects() -> list[Subject]:
    found, todo = [], list(SUBJECTS)
    while todo:
        subject = todo.pop(0)
        found.append(subject)
        todo.extend(subject.children)
    return found


def subject_of(statistic: str) -> Subject | None:
    return next((s for s in all_subjects() if s.statistic == statistic), None)


def local_stamp(moment: dt.datetime) -> str:
    """``2026-09-30T08:00:00``: Copenhagen time without a zone, as Statbank writes it."""
    return moment.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M:%S")


def list_text(cube: Cube, lang: str) -> str:
    """The table's text in lists: its title by the variables other than time, so that tables
    of one statistic read differently (``... efter kommune, indsats og køn``; issue 12 item 10).
    """
    others = [dimension_text(d, lang) for d in cube.dimensions if not d.time]
    by = " by " if lang == "en" else " efter "
    return table_text(cube, lang) + (by + join_words(others, lang) if others else "")


def table_item(table: PublicTable, lang: str) -> dict[str, Any]:
    cube = table.cube
    periods = table.time_dimension.code_ids()
    return {
        "id": cube.table_id.upper(),
        "text": list_text(cube, lang),
        "unit": unit_text(cube, lang),
        "updated": local_stamp(table.updated),
        "firstPeriod": periods[0],
        "latestPeriod": periods[-1],
        "active": True,
        "variables": [dimension_text(d, lang) for d in cube.dimensions],
    }


def tables_of(view: VintageView, statistic: str | None) -> list[PublicTable]:
    found = [view.table(t) for t in view.table_ids()]
    return [t for t in found if statistic is None or t.table.statistic == statistic]


def table_list(
    view: VintageView,
    lang: str,
    subjects: Sequence[str] = (),
    past_days: int | None = None,
    now: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    wanted = _statistics_under(subjects) if subjects else None
    since = now - dt.timedelta(days=past_days) if past_days is not None and now else None
    return [
        table_item(table, lang)
        for table in tables_of(view, None)
        if (wanted is None or table.table.statistic in wanted)
        and (since is None or table.updated >= since)
    ]


def _statistics_under(ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    todo = [s for s in all_subjects() if s.id in ids]
    while todo:
        subject = todo.pop()
        if subject.statistic:
            found.add(subject.statistic)
        todo.extend(subject.children)
    return found


def _has_tables(subject: Subject, view: VintageView) -> bool:
    statistics = _statistics_under([subject.id])
    return any(t.table.statistic in statistics for t in tables_of(view, None))


@dataclass(frozen=True)
class SubjectQuery:
    lang: str
    recursive: bool = False
    with_tables: bool = False
    omit_empty: bool = False


def subject_node(
    subject: Subject, view: VintageView, query: SubjectQuery, *, expand: bool
) -> dict[str, Any]:
    """A node with its children when asked for (`expand`) or when walking (`recursive`)."""
    children = [c for c in subject.children if not query.omit_empty or _has_tables(c, view)]
    node: dict[str, Any] = {
        "id": subject.id,
        "description": in_lang(query.lang, subject.text, subject.text_en),
        "active": True,
        "hasSubjects": bool(children),
        "subjects": [subject_node(c, view, query, expand=False) for c in children]
        if expand or query.recursive
        else [],
    }
    if query.with_tables:
        node["tables"] = (
            [table_item(t, query.lang) for t in tables_of(view, subject.statistic)]
            if subject.statistic
            else []
        )
    return node


def subjects_body(
    view: VintageView, query: SubjectQuery, ids: Sequence[str]
) -> list[dict[str, Any]]:
    """The top level, or each asked-for subject with its children; unknown ids raise."""
    if not ids:
        tops = [s for s in SUBJECTS if not query.omit_empty or _has_tables(s, view)]
        return [subject_node(s, view, query, expand=False) for s in tops]
    by_id = {s.id: s for s in all_subjects()}
    nodes = []
    for subject_id in ids:
        if subject_id not in by_id:
            raise ApiError(
                EXTRACT_NOTFOUND,
                f"Emnet findes ikke: {subject_id}",
                f"Subject not found: {subject_id}",
            )
        nodes.append(subject_node(by_id[subject_id], view, query, expand=True))
    return nodes


def contacts(publisher: Publisher) -> list[dict[str, str]]:
    """Statbank's ``contacts`` from the one publisher setting (issue 12 item 8)."""
    return [{"name": publisher.contact, "phone": publisher.phone, "mail": publisher.mail}]


def tableinfo(
    table: PublicTable,
    lang: str,
    documentation_url: str,
    publisher: Publisher = DEFAULT_PUBLISHER,
) -> dict[str, Any]:
    cube = table.cube
    variables = []
    for dim in cube.dimensions:
        variable: dict[str, Any] = {
            "id": dim.id,
            "text": dimension_text(dim, lang),
            "elimination": dim.id in table.table.totals,
            "time": dim.time,
        }
        if dim.id in MAPS:
            variable["map"] = MAPS[dim.id]
        variable["values"] = [{"id": c.code, "text": code_text(c, lang)} for c in dim.codes]
        variables.append(variable)
    return {
        "id": cube.table_id.upper(),
        "text": list_text(cube, lang),
        "description": table_label(cube, lang),
        "unit": unit_text(cube, lang),
        "suppressedDataValue": "0",
        "updated": local_stamp(table.updated),
        "active": True,
        "contacts": contacts(publisher),
        "documentation": {"id": table.table.statistic, "url": documentation_url},
        "footnote": "\n".join(cube.notes) or None,
        "variables": variables,
    }
