"""The app factory for running several server processes (docs/drift.md):

    handistat init          # once per deployment: migrations, crash leftovers
    uvicorn --factory handistat.ops.server:create --workers 4 --host 127.0.0.1 --port 8000

Each worker builds its own `App` from the settings (HANDISTAT_* and HANDISTAT_CONFIG); the
register is shared safely through snapshots (stores/warehouse.py), the catalogue through
the database. Workers do not migrate or clean: `handistat init` does, before they start.
"""

from __future__ import annotations

from fastapi import FastAPI

from handistat.api.app import create_app
from handistat.app import App


def create() -> FastAPI:
    """One worker's application."""
    return create_app(App.load())
