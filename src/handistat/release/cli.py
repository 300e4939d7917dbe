"""`handistat release ...` (SPEC §13)."""

import typer

app = typer.Typer(help="Releases: freeze, schedule, preview, publish.", no_args_is_help=True)
