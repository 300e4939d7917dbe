"""`handistat token ...` (SPEC §13)."""

import typer

app = typer.Typer(help="API tokens for municipal systems.", no_args_is_help=True)
