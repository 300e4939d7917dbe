"""`handistat backup DIR` and `handistat restore DIR` (SPEC §13, issue 13.16)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handistat.cli_support import errors, out, ready_app
from handistat.ops import backup as backups
from handistat.ops.cleanup import alone


def backup(
    directory: Annotated[Path, typer.Argument(help="a new or empty directory")],
) -> None:
    """Back up every store (raw zone, catalogue, register, releases); safe while serving."""
    application = ready_app()
    with errors():
        summary = backups.backup(application, directory)
    rows = sum(summary["rows"].values())
    out.print(f"sikkerhedskopi skrevet til {directory}: {summary['files']} filer, {rows} rækker")


def restore(
    directory: Annotated[Path, typer.Argument(help="a directory written by `handistat backup`")],
) -> None:
    """Replace every store with a verified backup (stop the server first)."""
    application = ready_app()
    with errors(), alone(application.presence) as only_us:
        summary = backups.restore(application, directory, alone=only_us)
    rows = sum(summary["rows"].values())
    out.print(f"gendannet fra {directory}: {summary['files']} filer, {rows} rækker")


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
