"""`/docs` (Swagger UI) and `/redoc` served from installed packages, never a CDN (issue 12
item 9): the pages work on a network without internet access.

The Swagger UI and ReDoc files come from the `fastapi-offline` package; our own start script
is a static file, so the page needs no inline script (`script-src 'self'`).
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs/filer"
START_SCRIPT = "/static/swagger-start.js"
OVERRIDES = "/static/swagger-overrides.css"
"""Our colours over the packaged ones: every text at 4.5:1 (issue 14, docs/tilgaengelighed.md)."""

_SWAGGER = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="stylesheet" href="{overrides}">
<link rel="icon" href="{assets}/favicon.png">
</head>
<body>
<main id="swagger-ui" data-openapi="{openapi}"></main>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{start}"></script>
</body>
</html>
"""

_REDOC = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{title} · ReDoc</title></head>
<body>
<redoc spec-url="{openapi}"></redoc>
<script src="{assets}/redoc.standalone.js"></script>
</body>
</html>
"""


def install_docs(api: FastAPI) -> None:
    """Mount the packaged files and add `/docs` and `/redoc` (create the app with
    ``docs_url=None, redoc_url=None``)."""
    api.mount(ASSETS_URL, StaticFiles(directory=str(ASSETS)), name="docs-files")
    values = {"title": api.title, "openapi": api.openapi_url, "assets": ASSETS_URL}

    @api.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(_SWAGGER.format(start=START_SCRIPT, overrides=OVERRIDES, **values))

    @api.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(_REDOC.format(**values))
