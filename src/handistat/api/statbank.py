"""The Statbank-compatible API (R-API-1, R-API-2): `/v1/subjects`, `/v1/tables`,
`/v1/tableinfo`, `/v1/data`, GET and POST, in the path forms existing clients use.

Parameters are read from the raw request (names in any letter case, GET and POST merged), so
FastAPI validates nothing here and the OpenAPI description is written out
(`dissemination.openapi`). Errors leave in Statbank's own shape, not handistat's envelope. Only
published content is served: a table under embargo does not exist (R-PUB-2). Responses carry
an ETag computed from the releases they come from and the request, and `Cache-Control`.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from handistat.api.cache import Cached, Recent, ResponseCache
from handistat.dissemination import metadata, output
from handistat.dissemination.access import release_service, view_for
from handistat.dissemination.errors import (
    REQUEST_LIMIT,
    REQUEST_MISSING,
    REQUEST_NOTFOUND,
    ApiError,
    metadata_format,
    table_not_found,
    vintage_not_public,
)
from handistat.dissemination.openapi import operation
from handistat.dissemination.params import Params, parse_body
from handistat.dissemination.query import Extract, extract_cube
from handistat.errors import HandistatError, NotFound
from handistat.release.vintages import PublicTable, VintageView

router = APIRouter(prefix="/v1", tags=["Statbank API"])

JSON_TYPE = "text/json; charset=utf-8"
DATA_PARAMS = frozenset(
    n.casefold()
    for n in (
        *("table", "id", "format", "lang", "valuePresentation", "timeOrder", "delimiter"),
        *("allowVariablesInHead", "allowCodeOverrideInColumnNames", "variables", "vintage"),
        *("valueTransformationSettings", "chartsettings"),
    )
)
Work = Callable[[Request, Params, VintageView], Response]
PAST_DAYS_LIMIT = 366 * 200
"""``pastDays`` beyond this means "all" (a larger one overflowed the date arithmetic)."""


def _lang(params: Params) -> str:
    lang = (params.text("lang") or "da").casefold()
    if lang not in {"da", "en"}:
        raise ApiError(REQUEST_MISSING, f"Sproget findes ikke: {lang}", f"Unknown language: {lang}")
    return lang


def error_response(exc: ApiError, lang: str | None) -> Response:
    body = json.dumps(exc.body(lang), ensure_ascii=False).encode("utf-8")
    return Response(body, exc.status, media_type=JSON_TYPE, headers={"Cache-Control": "no-cache"})


def _etag(request: Request, params: Params, view: VintageView) -> str:
    parts: list[Any] = [request.url.path, sorted(params.query.items()), params.body]
    parts.append([(r.id, r.manifest_sha256) for r in view.releases])
    digest = hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _headers(request: Request, etag: str, params: Params, view: VintageView) -> dict[str, str]:
    """A vintage never changes; the current view is revalidated (Statbank sends no-cache);
    a staff preview of a release under embargo is never stored by anyone."""
    now = request.app.state.app.clock()
    if any(not r.is_public(now) for r in view.releases):
        cache = "private, no-store"
    elif params.text("vintage"):
        cache = "public, max-age=31536000, immutable"
    else:
        cache = "no-cache"
    return {"ETag": etag, "Cache-Control": cache, "StatbankAPI-Request-Id": uuid.uuid4().hex}


def _respond(
    request: Request, params: Params, view: VintageView, make: Callable[[], Cached]
) -> Response:
    """304 when the client has it; else the body (made once per ETag and kept a while)."""
    etag = _etag(request, params, view)
    headers = _headers(request, etag, params, view)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    cache = _cache(request)
    found = cache.get(etag)
    if found is None:
        found = make()
        cache.put(etag, found)
    key = _public_key(request, params)
    if key is not None:
        _recent(request).put(key, (etag, view))
    body, media, extra = found
    return Response(body, media_type=media, headers=headers | extra)


RECENT_SECONDS = 1.0
"""How long a public request's resolution (ETag, view) is kept for reuse on the event loop.
It is reused only while the public view is still the same (`_still_public`)."""


def _public_key(request: Request, params: Params) -> str | None:
    """The request's identity for `Recent`; None for a vintage (staff may see those early,
    so their view depends on the caller, not only on the request)."""
    if params.text("vintage"):
        return None
    parts = [request.url.path, sorted(params.query.items()), params.body]
    return json.dumps(parts, default=str, sort_keys=True)


def _recent(request: Request) -> Recent[tuple[str, VintageView]]:
    state = request.app.state
    if not hasattr(state, "statbank_recent"):
        state.statbank_recent = Recent[tuple[str, VintageView]](RECENT_SECONDS)
    recent: Recent[tuple[str, VintageView]] = state.statbank_recent
    return recent


def _still_public(request: Request, view: VintageView) -> bool:
    """Whether `view` is what `view_for` would return now (R-PUB-2): the same releases are
    public at the app's clock. Judged from the release list already in memory; when that
    has to be read again, False (the worker thread reads it)."""
    releases = release_service(request).cached_releases()
    if releases is None:
        return False
    now = request.app.state.app.clock()
    return view.key == tuple(r.id for r in releases if r.is_public(now))


def _recent_answer(request: Request, params: Params) -> Response | None:
    """The answer to a public request resolved less than `RECENT_SECONDS` ago, whose view is
    still the public one and whose body is still cached, made without blocking (no
    database, no thread); else None."""
    key = _public_key(request, params)
    resolved = _recent(request).get(key) if key is not None else None
    if resolved is None:
        return None
    etag, view = resolved
    if not _still_public(request, view):
        return None
    found = _cache(request).get(etag)
    if found is None:
        return None
    headers = _headers(request, etag, params, view)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    body, media, extra = found
    return Response(body, media_type=media, headers=headers | extra)


def _cache(request: Request) -> ResponseCache:
    """The app's response cache, made on first use with the configured budget."""
    state = request.app.state
    if not hasattr(state, "statbank_cache"):
        state.statbank_cache = ResponseCache(state.app.settings.api_cache_bytes)
    cache: ResponseCache = state.statbank_cache
    return cache


async def _body(request: Request) -> bytes:
    """A POST body, read no further than the configured limit (413 beyond it)."""
    if request.method != "POST":
        return b""
    limit = request.app.state.app.settings.api_max_body_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(
        REQUEST_LIMIT,
        f"Forespørgslen er for stor (højst {limit} bytes)",
        f"The request body is too large (at most {limit} bytes)",
        413,
    )


def _view(request: Request, params: Params) -> VintageView:
    vintage = params.text("vintage")
    try:
        return view_for(request, vintage)
    except NotFound:
        raise vintage_not_public(vintage) from None


def _endpoint(work: Work) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        lang: str | None = None
        try:
            body = await _body(request)
            params = Params(request.query_params.multi_items(), parse_body(body))
            lang = (params.text("lang") or "da").casefold()
            _lang(params)
            answer = _recent_answer(request, params)
            if answer is not None:
                return answer
            return await run_in_threadpool(lambda: work(request, params, _view(request, params)))
        except ApiError as exc:
            return error_response(exc, lang if lang in {"da", "en"} else None)

    return endpoint


def _json(build: Callable[[Request, Params, VintageView], Any]) -> Work:
    def work(request: Request, params: Params, view: VintageView) -> Response:
        metadata_format(params.text("format"))

        def make() -> Cached:
            body = json.dumps(build(request, params, view), ensure_ascii=False).encode("utf-8")
            return body, JSON_TYPE, {}

        return _respond(request, params, view, make)

    return work


def subjects(request: Request, params: Params, view: VintageView) -> Any:
    ids = request.path_params.get("ids", "")
    wanted = [i.strip() for part in ids.split("/") for i in part.split(",") if i.strip()]
    query = metadata.SubjectQuery(
        _lang(params),
        recursive=params.flag("recursive"),
        with_tables=params.flag("includeTables"),
        omit_empty=params.flag("omitSubjectsWithoutTables"),
    )
    return metadata.subjects_body(view, query, wanted or params.id_list("subjects"))


def tables(request: Request, params: Params, view: VintageView) -> Any:
    now = request.app.state.app.clock()
    subjects_ = params.id_list("subjects")
    past_days = params.integer("pastDays")
    if past_days is not None:
        past_days = max(-PAST_DAYS_LIMIT, min(past_days, PAST_DAYS_LIMIT))
    return metadata.table_list(view, _lang(params), subjects_, past_days, now)


def _table(request: Request, params: Params, view: VintageView) -> PublicTable:
    table_id = request.path_params.get("table") or params.text("table", "id")
    if not table_id:
        raise ApiError(REQUEST_MISSING, "Der er ikke angivet nogen tabel-id.", "No table id given.")
    try:
        return view.table(table_id)
    except NotFound:
        raise table_not_found(table_id) from None


def tableinfo(request: Request, params: Params, view: VintageView) -> Any:
    found = _table(request, params, view)
    docs = f"{str(request.base_url).rstrip('/')}/dokumentation/{found.table.statistic}"
    return metadata.tableinfo(found, _lang(params), docs, request.app.state.app.settings.publisher)


def _descending(params: Params) -> bool:
    order = (params.text("timeOrder") or "ascending").casefold()
    if order not in {"ascending", "descending"}:
        raise ApiError(
            REQUEST_MISSING, f"timeOrder er ikke gyldig: {order}", f"Invalid timeOrder: {order}"
        )
    return order == "descending"


def _disposition(table: PublicTable, fmt: str) -> dict[str, str]:
    if fmt not in {"XLSX", "PARQUET", "PX"}:
        return {}
    name = f"{table.cube.table_id.upper()}.{output.DOWNLOADS[fmt]}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _output(request: Request, params: Params, fmt: str) -> output.Output:
    return output.Output(
        fmt,
        _lang(params),
        params.text("valuePresentation"),
        params.text("delimiter") or "Semicolon",
        params.flag("allowCodeOverrideInColumnNames"),
        publisher=request.app.state.app.settings.publisher,
    )


def _extract(params: Params, fmt: str) -> Extract:
    return Extract(
        params.selections(DATA_PARAMS), streaming=fmt == "BULK", descending=_descending(params)
    )


def data(request: Request, params: Params, view: VintageView) -> Response:
    found = _table(request, params, view)
    fmt = output.parse_format(request.path_params.get("fmt") or params.text("format"))
    if fmt == "BULK":  # streamed: checked now, written chunk by chunk, not kept
        out, extract = _output(request, params, fmt), _extract(params, fmt)
        chunks = output.stream(extract_cube(found.table, extract), found, out)
        headers = _headers(request, _etag(request, params, view), params, view)
        return StreamingResponse(chunks, media_type=output.media_type("BULK"), headers=headers)

    def make() -> Cached:
        # only on a miss: a cached answer to the same request (its ETag) was checked when made
        out, extract = _output(request, params, fmt), _extract(params, fmt)
        body = output.write(extract_cube(found.table, extract), found, out)
        return body, output.media_type(out.format), _disposition(found, out.format)

    return _respond(request, params, view, make)


async def unknown(request: Request) -> Response:
    function = request.path_params.get("function", "")
    exc = ApiError(
        REQUEST_NOTFOUND,
        f"Funktionen findes ikke: {function}",
        f"Unknown function: {function}",
        404,
    )
    lang = (request.query_params.get("lang") or "da").casefold()
    return error_response(exc, "en" if lang == "en" else "da")  # one language, Danish by default


ROUTES: tuple[tuple[str, tuple[str, ...], Work], ...] = (
    ("subjects", ("/subjects", "/subjects/{ids:path}"), _json(subjects)),
    ("tables", ("/tables", "/tables/"), _json(tables)),
    ("tableinfo", ("/tableinfo", "/tableinfo/{table}"), _json(tableinfo)),
    ("data", ("/data", "/data/{table}", "/data/{table}/{fmt}"), data),
)


ENDPOINTS = {kind: _endpoint(work) for kind, _, work in ROUTES}


def _register() -> None:
    for kind, paths, _ in ROUTES:
        endpoint = ENDPOINTS[kind]
        for path in paths:
            names = re.findall(r"{(\w+)", path)
            for method in ("GET", "POST"):
                router.add_api_route(
                    path,
                    endpoint,
                    methods=[method],
                    name=f"{kind}_{method.lower()}_{len(names)}",
                    include_in_schema=not path.endswith("/"),
                    openapi_extra=operation(kind, method, names),
                )
    router.add_api_route(
        "/{function:path}", unknown, methods=["GET", "POST"], include_in_schema=False
    )


_register()


class FastPath:
    """Pure ASGI middleware: GET and POST under /v1/ go straight to a Starlette router with
    the same endpoints (R-PERF-4). FastAPI matches a request against every route of every
    router and re-checks their version on each request; for a cached /v1/data answer that
    cost more than the answer. The routes stay registered on `router` for the OpenAPI
    description; other methods still reach them (and FastAPI's 405 envelope)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        routes = [
            Route(router.prefix + path, ENDPOINTS[kind], methods=["GET", "POST"])
            for kind, paths, _ in ROUTES
            for path in paths
        ]
        routes.append(Route("/v1/{function:path}", unknown, methods=["GET", "POST"]))
        self.router = Router(routes=routes, redirect_slashes=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "POST")
            and scope["path"].startswith("/v1/")
        ):
            try:
                await self.router(scope, receive, send)
            except HandistatError as exc:  # as the app's handler answers it (api.app)
                await JSONResponse(exc.envelope(), status_code=exc.http_status)(
                    scope, receive, send
                )
            return
        await self.app(scope, receive, send)
