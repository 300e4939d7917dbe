"""`handistat user ...` (SPEC §13)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from handistat.accounts import crypto
from handistat.accounts.cli_common import CLI_ACTOR, errors, out, ready_app
from handistat.accounts.lifecycle import Lifecycle
from handistat.accounts.principal import Role
from handistat.accounts.resolve import accounts
from handistat.accounts.service import PERSON_ROLES

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


def _lifecycle() -> Lifecycle:
    application = ready_app()
    return Lifecycle(application.catalogue, application.clock)


@app.command("deactivate")
def deactivate(email: Annotated[str, typer.Argument(help="the user's e-mail address")]) -> None:
    """Block a user at once: sessions end, the API tokens they own are revoked."""
    with errors():
        done = _lifecycle().deactivate(email, CLI_ACTOR)
    out.print(
        f"bruger {email.strip().lower()} er spærret "
        f"({done['sessioner']} sessioner afsluttet, {done['tokens']} tokens tilbagekaldt)"
    )


@app.command("reactivate")
def reactivate(email: Annotated[str, typer.Argument(help="the user's e-mail address")]) -> None:
    """Lift a block (the password is unchanged; consider reset-password)."""
    with errors():
        _lifecycle().reactivate(email, CLI_ACTOR)
    out.print(f"bruger {email.strip().lower()} er aktiv igen")


@app.command("reset-password")
def reset_password(
    email: Annotated[str, typer.Argument(help="the user's e-mail address")],
) -> None:
    """A new random password, printed once on the last line; every session of the user ends."""
    with errors():
        password = _lifecycle().reset_password(email, CLI_ACTOR)
    out.print(f"ny adgangskode til {email.strip().lower()} (vises kun nu):")
    typer.echo(password)


@app.command("remove-scope")
def remove_scope(
    email: Annotated[str, typer.Argument(help="the user's e-mail address")],
    kommune: Annotated[str, typer.Option("--kommune", help="the municipality code to remove")],
) -> None:
    """Take one municipality from a case officer (effective on their next request)."""
    with errors():
        left = _lifecycle().remove_scope(email, kommune, CLI_ACTOR)
    out.print(f"{email.strip().lower()} har nu kommune {', '.join(left)}")
