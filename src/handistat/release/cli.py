"""`handistat release ...` (SPEC §13): create, list, preview, publish; plus the Nyt text and
the revision report. Exit codes as elsewhere: 1 for a refused action, 2 for usage errors."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from handistat.cli_support import Statistic, err, errors, out
from handistat.clock import show
from handistat.release.models import APPROVED
from handistat.release.schedule import parse_schedule
from handistat.release.service import ReleaseService
from handistat.release.vintages import RevisedCell
from handistat.web.danish import tal, tidspunkt

app = typer.Typer(
    help="Udgivelser: frys, planlæg, forhåndsvis, godkend, flyt og træk tilbage.",
    no_args_is_help=True,
)
ACTOR = "cli"


def _service() -> ReleaseService:
    from handistat.app import App

    with errors():
        application = App.load()
        application.init()
        return ReleaseService(application)


def _state(service: ReleaseService, release_id: str) -> str:
    release = service.get(release_id)
    if release.is_public(service.app.clock()):
        return "offentlig"
    return "godkendt, under embargo" if release.status == APPROVED else release.status


@app.command()
def create(
    statistic: Statistic,
    year: Annotated[int, typer.Option(help="referenceåret")],
    at: Annotated[str, typer.Option(help="ÅÅÅÅ-MM-DDTTT:MM, ÅÅÅÅ-MM-DD (kl. 08:00) eller now")],
) -> None:
    """Frys statistikkens tabeller for året og de to år før; skriver udgivelsens id."""
    service = _service()
    with errors():
        scheduled = parse_schedule(at, service.app.clock)
        release = service.create(statistic.value, year, scheduled, ACTOR)
    err.print(
        f"udgivelse {release.id}: {len(release.tables)} tabeller for "
        f"{', '.join(map(str, release.years))}, planlagt {tidspunkt(release.scheduled_at)}; "
        f"godkend med `handistat release publish {release.id}`",
        highlight=False,
        soft_wrap=True,
    )
    out.print(release.id, highlight=False)


@app.command("list")
def list_releases() -> None:
    """Alle udgivelser med tidspunkt og status (én linje hver, til mennesker og scripts)."""
    service = _service()
    with errors():
        out.print(f"{'id':<18} {'statistik':<9} {'år':<9} {'planlagt':<16} {'tabeller':>8}  status")
        for r in service.releases():
            years = f"{r.years[0]}-{r.years[-1]}"
            out.print(
                f"{r.id:<18} {r.statistic:<9} {years:<9} {show(r.scheduled_at):<16} "
                f"{len(r.tables):>8}  {_state(service, r.id)}",
                highlight=False,
                soft_wrap=True,
            )


@app.command()
def preview(
    release_id: Annotated[str, typer.Argument(metavar="ID")],
    revisions: Annotated[bool, typer.Option(help="vis hver revideret celle")] = False,
) -> None:
    """Udgivelsen som personalet ser den: tabeller, revisioner pr. år og Nyt-teksten."""
    service = _service()
    with errors():
        release = service.get(release_id)
        cells = service.revisions(release.id)
        out.print(
            f"[bold]{release.id}[/bold] {release.statistic} {release.reference_year} "
            f"(år {', '.join(map(str, release.years))}), "
            f"planlagt {tidspunkt(release.scheduled_at)}, "
            f"{_state(service, release.id)}",
            highlight=False,
        )
        out.print(f"tabeller: {', '.join(release.tables)}", highlight=False)
        by_table: dict[tuple[str, str], int] = {}
        for c in cells:
            by_table[(c.table, c.year)] = by_table.get((c.table, c.year), 0) + 1
        summary = ", ".join(f"{t} {y}: {n}" for (t, y), n in sorted(by_table.items()))
        out.print(f"reviderede celler: {tal(len(cells))}" + (f" ({summary})" if summary else ""))
        if revisions:
            _write_revisions(cells)
        if release.article:
            out.rule("Nyt (rediger med `handistat release article`)")
            out.print(release.article, markup=False, highlight=False)


def _write_revisions(cells: list[RevisedCell]) -> None:
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow(["tabel", "celle", "tid", "før", "nu"])
    for cell in cells:
        where = ",".join(
            f"{d}={c}" for d, c in zip(cell.dimensions[:-1], cell.codes[:-1], strict=True)
        )
        writer.writerow([cell.table, where, cell.year, _num(cell.old), _num(cell.new)])


def _num(value: int | None) -> str:
    return ".." if value is None else str(value)


@app.command()
def publish(release_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Godkend udgivelsen: offentlig på det planlagte tidspunkt (straks, hvis det er passeret)."""
    service = _service()
    with errors():
        release = service.publish(release_id, ACTOR)
        state = _state(service, release.id)
    out.print(f"{release.id} godkendt; offentlig fra {tidspunkt(release.scheduled_at)} ({state})")


@app.command()
def article(
    release_id: Annotated[str, typer.Argument(metavar="ID")],
    set_from: Annotated[
        Path | None,
        typer.Option("--set", help="erstat teksten med denne Markdown-fil (- = stdin)"),
    ] = None,
    reset: Annotated[bool, typer.Option(help="dan teksten igen ud fra tallene")] = False,
) -> None:
    """Vis eller ret Nyt-teksten til en udgivelse (indtil den er offentlig)."""
    service = _service()
    with errors():
        if set_from is not None:
            text = sys.stdin.read() if str(set_from) == "-" else set_from.read_text("utf-8")
            release = service.set_article(release_id, text, ACTOR)
        elif reset:
            release = service.set_article(release_id, None, ACTOR)
        else:
            release = service.get(release_id)
    out.print(
        release.article or "(ingen artikel for denne statistik)", markup=False, highlight=False
    )


@app.command()
def withdraw(release_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """Træk en udgivelse tilbage før dens offentliggørelse; den bliver aldrig offentlig."""
    service = _service()
    with errors():
        release = service.withdraw(release_id, ACTOR)
    out.print(f"{release.id} er trukket tilbage", highlight=False)


@app.command()
def reschedule(
    release_id: Annotated[str, typer.Argument(metavar="ID")],
    at: Annotated[str, typer.Option(help="ÅÅÅÅ-MM-DDTTT:MM eller ÅÅÅÅ-MM-DD (kl. 08:00)")],
) -> None:
    """Flyt tidspunktet for en udgivelse, der ikke er offentlig endnu."""
    service = _service()
    with errors():
        scheduled = parse_schedule(at, service.app.clock)
        release = service.reschedule(release_id, scheduled, ACTOR)
    out.print(f"{release.id} flyttet til {tidspunkt(release.scheduled_at)}", highlight=False)
