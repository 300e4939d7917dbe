"""`handistat token ...` (SPEC §13)."""

from __future__ import annotations

from typing import Annotated

import typer

from handistat.accounts.cli_common import CLI_ACTOR, errors, out, ready_app
from handistat.accounts.resolve import accounts

app = typer.Typer(help="API tokens for municipal systems.", no_args_is_help=True)


@app.command("create")
def create(
    kommune: Annotated[list[str], typer.Option("--kommune", help="municipality code (repeat)")],
    navn: Annotated[str, typer.Option("--navn", help="who uses it, e.g. the vendor")] = "fagsystem",
    eier: Annotated[
        str | None, typer.Option("--eier", help="e-mail of the person answerable for it")
    ] = None,
) -> None:
    """Create an API token; it is printed once, alone on the last line, and stored hashed.
    With --eier the token stops working when that user is deactivated."""
    application = ready_app()
    with errors():
        token, token_id = accounts(application).create_token(kommune, navn, CLI_ACTOR, eier)
    out.print(f"token {token_id} ({navn}) til kommune {', '.join(sorted(set(kommune)))}:")
    typer.echo(token)


@app.command("list")
def list_tokens() -> None:
    """List the tokens (never the tokens themselves)."""
    application = ready_app()
    for t in accounts(application).tokens():
        revoked = f" tilbagekaldt {t['tilbagekaldt']}" if t["tilbagekaldt"] else ""
        kommuner = ",".join(str(k) for k in t["kommuner"])  # type: ignore[attr-defined]
        typer.echo(f"{t['id']}\t{t['navn']}\t{kommuner}{revoked}")


@app.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(help="the id shown by `token list`")]) -> None:
    """Revoke a token at once."""
    application = ready_app()
    with errors():
        accounts(application).revoke_token(token_id, CLI_ACTOR)
    out.print(f"token {token_id} er tilbagekaldt")
