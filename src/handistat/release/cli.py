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

app = typer.Typer(help="Releases: freeze, schedule, preview, publish.", no_args_is_help=True)
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
    year: Annotated[int, typer.Option(help="reference year")],
    at: Annotated[str, typer.Option(help="YYYY-MM-DDTHH:MM, YYYY-MM-DD (08:00) or now")],
) -> None:
    """Freeze the statistic's tables for YEAR and the two years before; prints the id."""
    service = _service()
    with errors():
        scheduled = parse_schedule(at, service.app.clock)
        release = service.create(statistic.value, year, scheduled, ACTOR)
    err.print(
        f"udgivelse {release.id}: {len(release.tables)} tabeller for "
        f"{', '.join(map(str, release.years))}, planlagt {show(release.scheduled_at)}; "
        f"godkend med `handistat release publish {release.id}`",
        highlight=False,
        soft_wrap=True,
    )
    out.print(release.id, highlight=False)


@app.command("list")
def list_releases() -> None:
    """Every release with its schedule and state (one line each, for people and scripts)."""
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
    revisions: Annotated[bool, typer.Option(help="list every revised cell")] = False,
) -> None:
    """The release as staff preview it: tables, revisions per year and the Nyt text."""
    service = _service()
    with errors():
        release = service.get(release_id)
        cells = service.revisions(release.id)
        out.print(
            f"[bold]{release.id}[/bold] {release.statistic} {release.reference_year} "
            f"(år {', '.join(map(str, release.years))}), planlagt {show(release.scheduled_at)}, "
            f"{_state(service, release.id)}",
            highlight=False,
        )
        out.print(f"tabeller: {', '.join(release.tables)}", highlight=False)
        by_table: dict[tuple[str, str], int] = {}
        for c in cells:
            by_table[(c.table, c.year)] = by_table.get((c.table, c.year), 0) + 1
        summary = ", ".join(f"{t} {y}: {n}" for (t, y), n in sorted(by_table.items()))
        out.print(f"reviderede celler: {len(cells)}" + (f" ({summary})" if summary else ""))
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
    """Approve the release: public at its scheduled time (at once if that has passed)."""
    service = _service()
    with errors():
        release = service.publish(release_id, ACTOR)
        state = _state(service, release.id)
    out.print(f"{release.id} godkendt; offentlig fra {show(release.scheduled_at)} ({state})")


@app.command()
def article(
    release_id: Annotated[str, typer.Argument(metavar="ID")],
    set_from: Annotated[
        Path | None,
        typer.Option("--set", help="replace the text with this Markdown file (- = stdin)"),
    ] = None,
    reset: Annotated[bool, typer.Option(help="generate the text again from the figures")] = False,
) -> None:
    """Show or edit the Nyt text of a release (until it is public)."""
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
