"""`handistat samarbejde add | list | end`: depot collaborations with validity (R-GB-4, §13).
The staff page `/personale/samarbejder` does the same (R-GEN-4)."""

from __future__ import annotations

from typing import Annotated

import typer

from handistat.cli_support import errors, out, ready_app
from handistat.register.samarbejder import add_samarbejde, end_samarbejde, list_samarbejder

app = typer.Typer(help="Depot collaborations with validity dates (R-GB-4).", no_args_is_help=True)
ACTOR = "cli"

Indberetter = Annotated[str, typer.Option("--indberetter", help="the reporting municipality")]
Medlem = Annotated[str, typer.Option("--medlem", help="the member municipality")]


@app.command("add")
def add(
    indberetter: Indberetter,
    medlem: Medlem,
    fra: Annotated[str, typer.Option("--fra", help="first day YYYY-MM-DD")],
    til: Annotated[str | None, typer.Option("--til", help="last day YYYY-MM-DD")] = None,
    navn: Annotated[str | None, typer.Option("--navn", help="the collaboration's name")] = None,
) -> None:
    """Add a membership period (audit-logged)."""
    application = ready_app()
    with errors():
        added = add_samarbejde(
            application.catalogue,
            application.clock,
            ACTOR,
            indberetter=indberetter,
            medlem=medlem,
            fra=fra,
            til=til,
            navn=navn,
        )
    period = f"{added.gyldig_fra} – {added.gyldig_til or ''}"
    out.print(
        f"{added.medlemskommune} er medlem af {added.indberetningskommune}s samarbejde {period}"
    )


@app.command("list")
def show() -> None:
    """Every membership period: indberetter;medlem;fra;til;navn."""
    application = ready_app()
    with errors():
        rows = list_samarbejder(application.catalogue)
    out.print("indberetningskommune;medlemskommune;gyldig_fra;gyldig_til;navn", markup=False)
    for r in rows:
        d = r.as_dict()
        out.print(
            ";".join(
                (d["indberetningskommune"], d["medlemskommune"], d["gyldig_fra"], d["gyldig_til"])
            )
            + f";{d['navn']}",
            markup=False,
            soft_wrap=True,
        )


@app.command("end")
def end(
    indberetter: Indberetter,
    medlem: Medlem,
    til: Annotated[str, typer.Option("--til", help="last day of membership YYYY-MM-DD")],
) -> None:
    """End a membership on its last day (audit-logged)."""
    application = ready_app()
    with errors():
        ended = end_samarbejde(
            application.catalogue,
            application.clock,
            ACTOR,
            indberetter=indberetter,
            medlem=medlem,
            til=til,
        )
    out.print(
        f"{ended.medlemskommune}s medlemskab af {ended.indberetningskommune}s samarbejde "
        f"slutter {ended.gyldig_til}"
    )
