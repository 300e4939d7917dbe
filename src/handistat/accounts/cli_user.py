"""`handistat user ...` (SPEC §13)."""

import typer

app = typer.Typer(help="Users of the portal and the staff pages.", no_args_is_help=True)
