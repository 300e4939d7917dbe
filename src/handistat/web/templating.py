"""Server-rendered pages (Jinja2, packaged templates and CSS; works without JavaScript)."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from handistat.clock import show
from handistat.web.danish import dato, tidspunkt

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["tid"] = show
TEMPLATES.env.filters["dato"] = tidspunkt  # public pages: "1. december 2026 kl. 08:00"
TEMPLATES.env.filters["dag"] = dato
