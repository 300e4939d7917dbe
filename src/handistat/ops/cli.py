"""`handistat backup DIR` and `handistat restore DIR` (SPEC §13, issue 13.16)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handistat.cli_support import errors, out, ready_app
from handistat.ops import backup as backups
from handistat.ops.cleanup import alone


def backup(
    directory: Annotated[Path, typer.Argument(help="en ny eller tom mappe")],
) -> None:
    """Sikkerhedskopiér alle lagre (råzone, katalog, register, udgivelser); kan køres, mens
    serveren kører."""
    application = ready_app()
    with errors():
        summary = backups.backup(application, directory)
    rows = sum(summary["rows"].values())
    out.print(f"sikkerhedskopi skrevet til {directory}: {summary['files']} filer, {rows} rækker")


def restore(
    directory: Annotated[Path, typer.Argument(help="en mappe skrevet af `handistat backup`")],
) -> None:
    """Erstat alle lagre med en kontrolleret sikkerhedskopi (stop serveren først)."""
    application = ready_app()
    with errors(), alone(application.presence) as only_us:
        summary = backups.restore(application, directory, alone=only_us)
    rows = sum(summary["rows"].values())
    out.print(f"gendannet fra {directory}: {summary['files']} filer, {rows} rækker")
