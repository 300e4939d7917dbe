"""`handistat rapport NAME [--kommune K]`: the register's reports in the terminal or as CSV."""

from __future__ import annotations

import csv
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from handistat.app import App
from handistat.cli_support import errors
from handistat.formula import safe_row
from handistat.register.reports import REPORTS, report_rows

app = typer.Typer(help="Reports: " + ", ".join(REPORTS), no_args_is_help=True)


@app.command("vis")
def show(
    name: Annotated[str, typer.Argument(help=", ".join(REPORTS))],
    kommune: Annotated[str | None, typer.Option(help="one municipality")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="`;`-separated on stdout")] = False,
) -> None:
    """Show a report (staff: all municipalities; --kommune for one)."""
    with errors():
        rows = report_rows(App.load().warehouse, name, kommune)
    report = REPORTS[name]
    if as_csv:
        writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
        writer.writerow(report.columns)
        writer.writerows([safe_row(r[c] for c in report.columns) for r in rows])
        return
    grid = Table(title=report.title, title_justify="left")
    for column in report.columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*("" if row[c] is None else str(row[c]) for c in report.columns))
    Console().print(grid)
