"""The web statbank (R-WEB-1): subjects → tables → choose values → table, chart and files.

Plain GET forms, so every step works without JavaScript: ticking "Vælg alle" sends ``*``; a
search button (``formaction``) reloads the chooser with the values filtered and the ticks
kept. The table and the files are made by the API's own engine from the same selection.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response

from handistat.dissemination import output
from handistat.dissemination.access import view_for
from handistat.dissemination.chart import chart_data, chart_description, chart_svg
from handistat.dissemination.errors import ApiError
from handistat.dissemination.metadata import all_subjects, tables_of
from handistat.dissemination.notes import applicable, periods, with_applicable_notes
from handistat.dissemination.query import Extract, extract_cube
from handistat.dissemination.search import match
from handistat.dissemination.tableview import (
    cell_count,
    chooser,
    pivot,
    selection_query,
    web_selections,
)
from handistat.dissemination.webpage import STYLESHEET, not_found, page
from handistat.errors import NotFound
from handistat.release.vintages import PublicTable, VintageView
from handistat.tables.formats._common import table_label

router = APIRouter(include_in_schema=False)
Vintage = Annotated[str | None, Query()]
FILE_NAMES = {"JSONSTAT2": "{t}_jsonstat2.json", "SDMXCSV": "{t}_sdmx.csv"}


def _private(view: VintageView, request: Request) -> bool:
    now = request.app.state.app.clock()
    return any(not r.is_public(now) for r in view.releases)


@router.get("/statistikbanken/statbank.css")
def stylesheet() -> Response:
    return FileResponse(STYLESHEET, media_type="text/css")


@router.get("/statistikbanken")
def subjects_page(request: Request, q: str = "") -> Response:
    """Subjects and their published tables; `q` searches ids, titles, subjects, variable and
    value texts by Danish word stems (`dissemination.search`)."""
    view = view_for(request)
    groups = []
    for subject in all_subjects():
        if subject.statistic is None:
            continue
        hits = [match(t, subject, q) for t in tables_of(view, subject.statistic)]
        groups.append((subject, [h for h in hits if h is not None]))
    return page(request, "statistikbanken.html", {"groups": groups, "q": q})


class Missing(Exception):
    """What the reader is told when a table (or a version of it) cannot be shown."""

    def __init__(self, message: str, heading: str = "Siden findes ikke") -> None:
        super().__init__(message)
        self.heading = heading


def _table(request: Request, table_id: str, vintage: str | None) -> tuple[VintageView, PublicTable]:
    """The table now or in a vintage. An embargoed and an unknown vintage get the same
    answer, so the page reveals nothing about releases not yet public (R-PUB-2)."""
    try:
        view = view_for(request, vintage)
    except NotFound:
        raise Missing(
            f"Versionen {vintage} af tabellen {table_id} er ikke offentlig. "
            "Se de offentliggjorte udgivelser i udgivelseskalenderen.",
            "Versionen er ikke offentlig",
        ) from None
    try:
        return view, view.table(table_id)
    except NotFound:
        where = f" i versionen {vintage}" if vintage else ""
        raise Missing(f"Tabellen {table_id} findes ikke{where}.") from None


@router.get("/statistikbanken/{table_id}")
def choose_page(request: Request, table_id: str, vintage: Vintage = None) -> Response:
    try:
        view, table = _table(request, table_id, vintage)
    except Missing as exc:
        return not_found(request, str(exc), exc.heading)
    chosen, searches = web_selections(request.query_params.multi_items(), table.cube)
    return _chooser(request, view, table, chosen, searches, vintage)


def _chooser(
    request: Request,
    view: VintageView,
    table: PublicTable,
    chosen: dict[str, list[str]],
    searches: dict[str, str],
    vintage: str | None,
    error: str = "",
) -> Response:
    variables = chooser(table, chosen, searches)
    missing = [v for v in variables if not v.rows_given] if error else []
    if missing:  # name the variables by their labels, not their codes (WCAG 3.3.1)
        error = "Der mangler et valg for: " + ", ".join(v.text for v in missing) + "."
    context = {
        "table": table,
        "label": table_label(table.cube, "da"),
        "variables": variables,
        "cells": cell_count(variables),
        "missing": missing,
        "notes": applicable(table.cube.notes, periods(table.cube)),
        "vintage": vintage,
        "error": error,
    }
    return page(
        request,
        "vaelg.html",
        context,
        status=400 if error else 200,
        private=_private(view, request),
    )


@router.get("/statistikbanken/{table_id}/tabel")
def table_page(request: Request, table_id: str, vintage: Vintage = None) -> Response:
    """The chosen figures as a table with notes, a chart and every download."""
    try:
        view, table = _table(request, table_id, vintage)
    except Missing as exc:
        return not_found(request, str(exc), exc.heading)
    chosen, searches = web_selections(request.query_params.multi_items(), table.cube)
    selections = {k.casefold(): (k, v) for k, v in chosen.items()}
    try:
        cube = with_applicable_notes(extract_cube(table.table, Extract(selections)))
    except ApiError as exc:
        return _chooser(request, view, table, chosen, searches, vintage, exc.message("da"))
    data = chart_data(cube)
    label = table_label(cube, "da")
    query = selection_query(chosen, vintage)
    downloads = [
        (fmt, f"/statistikbanken/{table.cube.table_id}/hent/{fmt}?{query}")
        for fmt in output.DOWNLOADS
    ]
    context = {
        "table": table,
        "cube": cube,
        "label": label,
        "html_table": pivot(cube),
        "chart": chart_svg(data, f"Diagram: {chart_description(data)}") if data else "",
        "chart_text": chart_description(data) if data else "",
        "downloads": downloads,
        "change_url": f"/statistikbanken/{table.cube.table_id}?{query}",
        "vintage": vintage,
    }
    return page(request, "tabel.html", context, private=_private(view, request))


@router.get("/statistikbanken/{table_id}/hent/{fmt}")
def download(request: Request, table_id: str, fmt: str, vintage: Vintage = None) -> Response:
    """The chosen figures as a file (CSV with a BOM, for spreadsheets)."""
    try:
        view, table = _table(request, table_id, vintage)
    except Missing as exc:
        return not_found(request, str(exc), exc.heading)
    try:
        fmt_name = output.parse_format(fmt)
        if fmt_name not in output.DOWNLOADS:
            raise NotFound(fmt)
        chosen, _ = web_selections(request.query_params.multi_items(), table.cube)
        cube = extract_cube(table.table, Extract({k.casefold(): (k, v) for k, v in chosen.items()}))
        publisher = request.app.state.app.settings.publisher
        body = output.write(cube, table, output.Output(fmt_name, bom=True, publisher=publisher))
    except (NotFound, ApiError):
        return not_found(request, f"Filen {table_id}.{fmt} findes ikke.")
    t = table.cube.table_id.upper()
    name = FILE_NAMES.get(fmt_name, "{t}.{ext}").format(t=t, ext=output.DOWNLOADS[fmt_name])
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if _private(view, request):
        headers["Cache-Control"] = "no-store, private"
    return Response(body, media_type=output.media_type(fmt_name), headers=headers)
