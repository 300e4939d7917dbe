"""`handistat user ...` (SPEC §13)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from handistat.accounts import crypto
from handistat.accounts.cli_common import CLI_ACTOR, errors, out, ready_app
from handistat.accounts.resolve import accounts
from handistat.accounts.service import PERSON_ROLES
from handistat.api.deps import Role

app = typer.Typer(help="Users of the portal and the staff pages.", no_args_is_help=True)

ROLE_NAMES = "|".join(r.value for r in PERSON_ROLES)


def _role(value: str) -> Role:
    if value not in {r.value for r in PERSON_ROLES}:
        raise typer.BadParameter(f"skal være {ROLE_NAMES}")
    return Role(value)


@app.command("add")
def add(
    email: Annotated[str, typer.Argument(help="the user's e-mail address (the login name)")],
    rolle: Annotated[str, typer.Option("--rolle", help=ROLE_NAMES)],
    kommune: Annotated[
        list[str] | None, typer.Option("--kommune", help="municipality code (repeatable)")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
) -> None:
    """Create a user. Without --password-stdin a random password is made and printed last."""
    role = _role(rolle)
    generated = not password_stdin
    password = crypto.new_secret()[:20] if generated else sys.stdin.readline().rstrip("\r\n")
    application = ready_app()
    with errors():
        account = accounts(application).add_user(email, role, kommune or [], password, CLI_ACTOR)
    scope = ", ".join(account.kommuner) or "alle kommuner"
    out.print(f"bruger {account.email} oprettet som {account.role.value} ({scope})")
    if generated:
        out.print("adgangskode (vises kun nu):")
        typer.echo(password)


@app.command("list")
def list_users() -> None:
    """List the users (never their passwords)."""
    application = ready_app()
    for account in accounts(application).users():
        scope = ",".join(account.kommuner) or "-"
        state = "" if account.active else " (spærret)"
        typer.echo(f"{account.email}\t{account.role.value}\t{scope}{state}")
