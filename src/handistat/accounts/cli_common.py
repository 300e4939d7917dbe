"""Shared by `handistat user` and `handistat token`: the app, and errors mapped to §13 exit
codes (message on stderr, no traceback)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from handistat.app import App
from handistat.errors import HandistatError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
CLI_ACTOR = "cli"


@contextmanager
def errors() -> Iterator[None]:
    try:
        yield
    except HandistatError as exc:
        err.print(f"[red]fejl:[/red] {exc.message}", markup=True)
        raise typer.Exit(exc.exit_code) from None


def ready_app() -> App:
    """The app with its stores created or migrated (idempotent)."""
    with errors():
        application = App.load()
        application.init()
    return application
