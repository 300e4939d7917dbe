"""What every command-line module shares: the consoles, the one mapping of errors to the exit
codes of SPEC §13 (message on stderr, no traceback), and the statistic names."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

import typer
from rich.console import Console

from handistat.app import App
from handistat.errors import HandistatError

out = Console(width=None if sys.stdout.isatty() else 160, highlight=False)
err = Console(stderr=True, highlight=False)


class Statistic(StrEnum):
    handbu = "handbu"
    genbrug = "genbrug"


@contextmanager
def errors() -> Iterator[None]:
    """Map handistat errors to exit codes: 1 rejected input, 2 usage."""
    try:
        yield
    except HandistatError as exc:
        err.print(f"[red]fejl:[/red] {exc.message}")
        raise typer.Exit(exc.exit_code) from None


def ready_app() -> App:
    """The app with its stores created or migrated (idempotent)."""
    with errors():
        application = App.load()
        application.init()
    return application
