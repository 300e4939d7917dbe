"""The command-line contract (SPEC §13). Exit codes: 0 success, 1 rejected input (message on
stderr, no traceback), 2 usage errors."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from handistat.accounts import cli_token, cli_user
from handistat.app import App
from handistat.cli_support import Statistic, err, errors, out
from handistat.errors import DeliveryRejected
from handistat.intake.genbrug import declare_system_switch, receive_full_load
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.rawzone import read_chunks
from handistat.intake.service import Sender
from handistat.ops import cli as ops_cli
from handistat.register import report_cli, samarbejde_cli
from handistat.register.hmi import load_hmi_catalogue
from handistat.register.population import load_population
from handistat.release import cli as release_cli
from handistat.tables import display
from handistat.tables.registry import compute, table_spec

app = typer.Typer(help="handistat: HANDBU and GENBRUG statistics.", no_args_is_help=True)
hmi_app = typer.Typer(help="The HMI catalogue (R-GB-3).", no_args_is_help=True)
population_app = typer.Typer(help="The population register (R-CPR-1).", no_args_is_help=True)
deliver_app = typer.Typer(help="Deliver files (SPEC §2).", no_args_is_help=True)
app.add_typer(population_app, name="population")
app.add_typer(hmi_app, name="hmi")
app.add_typer(report_cli.app, name="rapport")
app.add_typer(deliver_app, name="deliver")
app.add_typer(cli_user.app, name="user")
app.add_typer(cli_token.app, name="token")
app.add_typer(release_cli.app, name="release")
app.add_typer(samarbejde_cli.app, name="samarbejde")
ops_cli.register(app)  # backup, restore


class Scale(StrEnum):
    small = "small"
    national = "national"


class TableFormat(StrEnum):
    csv = "csv"
    jsonstat = "jsonstat"
    px = "px"
    xlsx = "xlsx"


def _app() -> App:
    with errors():
        return App.load()


@app.command()
def init() -> None:
    """Create or migrate the stores (idempotent)."""
    application = _app()
    with errors():
        application.init()
    out.print(f"stores ready in {application.settings.data_dir}")


@app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="directory to write to")],
    scale: Annotated[Scale, typer.Option(help="small (tests) or national")] = Scale.small,
    seed: Annotated[int, typer.Option(help="random seed; same seed, same files")] = 1,
    history: Annotated[bool, typer.Option(help="GENBRUG: every quarterly load since 2022")] = False,
) -> None:
    """Write synthetic population, deliveries and ground truth (R-SYN)."""
    from handistat.synth import generate

    with errors():
        summary = generate(scale.value, seed, out_dir, history=history)
    out.print(f"synthetic data ({scale.value}, seed {seed}) in {out_dir}: {summary}")


@population_app.command("load")
def population_load(
    directory: Annotated[Path, typer.Argument(help="holds personer and bopael (.csv/.parquet)")],
) -> None:
    """Load personer.csv and bopael.csv (or .parquet) into the register database."""
    application = _app()
    with errors():
        summary = load_population(application.warehouse, directory)
    out.print(f"{summary.personer:,} personer og {summary.bopael:,} bopælsperioder indlæst")


def _print_report(name: str, report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(report, ensure_ascii=False, default=str))
        return
    out.print(
        f"[bold]{name}[/bold]: {report.get('outcome')} — {report.get('message')}", highlight=False
    )
    for error in report.get("errors", [])[:20]:
        out.print(
            f"  række {error['row']} {error['column']}: {error['code']} {error['message']}"
            f" ({error['value']})",
            highlight=False,
            markup=False,
        )
    hidden = len(report.get("errors", [])) - 20
    if hidden > 0:
        out.print(f"  ... og {hidden} fejl mere (se --json); i alt: {report['error_totals']}")


def _deliver_all(
    files: list[Path], receive: Callable[[Path], dict[str, Any]], as_json: bool
) -> int:
    rejected = 0
    with Progress(console=err, transient=True, disable=len(files) < 5) as progress:
        task = progress.add_task("leverancer", total=len(files))
        for path in files:
            try:
                report = receive(path)
            except DeliveryRejected as exc:
                rejected += 1
                report = exc.details.get("report", {"outcome": "rejected", "message": exc.message})
            _print_report(path.name, report, as_json)
            progress.advance(task)
    return rejected


@deliver_app.command("handbu")
def deliver_handbu(
    files: Annotated[list[Path], typer.Argument(help="delivery files, in delivery order")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full reports")] = False,
) -> None:
    """Deliver HANDBU files (§2.1); prints the intake report of each."""
    application = _app()
    sender = Sender("cli", None, "cli")
    for path in files:
        if not path.is_file():
            err.print(f"fejl: {path} findes ikke")
            raise typer.Exit(2)

    def receive(path: Path) -> dict[str, Any]:
        return application.intake.receive(HANDBU_POLICY, read_chunks(path), sender)

    with errors():
        rejected = _deliver_all(files, receive, as_json)
    if rejected:
        raise typer.Exit(1)


GENBRUG_NAME = re.compile(
    r"(?P<kommune>\d{3})_(?P<kildesystem>.+)_(?P<dato>\d{4}-\d{2}-\d{2})\.csv"
)


@deliver_app.command("genbrug")
def deliver_genbrug(
    file: Annotated[Path | None, typer.Argument(help="one full load (CSV)")] = None,
    kommune: Annotated[str | None, typer.Option(help="indberetningskommune")] = None,
    kildesystem: Annotated[str | None, typer.Option(help="the sending system")] = None,
    udtraeksdato: Annotated[str | None, typer.Option(help="extract date YYYY-MM-DD")] = None,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="every <kommune>_<kildesystem>_<dato>.csv")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the full reports")] = False,
) -> None:
    """Deliver GENBRUG full loads (§2.2): one file with its header fields, or a directory."""
    if directory is not None:
        jobs = _named_loads(directory)
    elif file is not None and kommune and kildesystem and udtraeksdato:
        jobs = [(file, kommune, kildesystem, udtraeksdato)]
    else:
        err.print("fejl: giv FILE med --kommune, --kildesystem og --udtraeksdato, eller --dir")
        raise typer.Exit(2)
    for path, *_ in jobs:
        if not path.is_file():
            err.print(f"fejl: {path} findes ikke")
            raise typer.Exit(2)
    application = _app()
    sender = Sender("cli", None, "cli")
    headers = {path: (k, s, d) for path, k, s, d in jobs}

    def receive(path: Path) -> dict[str, Any]:
        k, s, d = headers[path]
        return receive_full_load(
            application.intake,
            read_chunks(path),
            sender,
            kommune=k,
            kildesystem=s,
            udtraeksdato=d,
        )

    with errors():
        rejected = _deliver_all([p for p, *_ in jobs], receive, as_json)
    if rejected:
        raise typer.Exit(1)


def _named_loads(directory: Path) -> list[tuple[Path, str, str, str]]:
    jobs = []
    for path in sorted(directory.glob("*.csv")):
        match = GENBRUG_NAME.fullmatch(path.name)
        if match is None:
            err.print(f"fejl: {path.name} hedder ikke <kommune>_<kildesystem>_<udtraeksdato>.csv")
            raise typer.Exit(2)
        jobs.append((path, match["kommune"], match["kildesystem"], match["dato"]))
    return jobs


@app.command()
def systemskifte(
    kommune: Annotated[str, typer.Option(help="the municipality")],
    fra: Annotated[str, typer.Option(help="the old system (kildesystem)")],
    til: Annotated[str, typer.Option(help="the new system (kildesystem)")],
    dato: Annotated[str, typer.Option(help="cut-over date YYYY-MM-DD")],
) -> None:
    """Declare a GENBRUG vendor switch (R-IN-8)."""
    application = _app()
    with errors():
        declare_system_switch(
            application.intake, kommune=kommune, fra=fra, til=til, dato=dato, actor="cli"
        )
    out.print(f"systemskifte for {kommune}: {fra} → {til} fra {dato}")


@hmi_app.command("load")
def hmi_load(file: Annotated[Path, typer.Argument(help="hmi_nummer;iso_kode CSV")]) -> None:
    """Load an HMI catalogue (an export of Hjælpemiddelbasen)."""
    application = _app()
    with errors():
        count = load_hmi_catalogue(application.warehouse, file)
    out.print(f"{count:,} HMI-numre indlæst")


@app.command()
def process(
    statistic: Statistic,
    engine: Annotated[str, typer.Option(help="duckdb (default) or spark (local mode)")] = "duckdb",
) -> None:
    """Rebuild the register from the raw zone, then refresh the approval reports."""
    from handistat.approval.processing import run_processing

    if engine not in ("duckdb", "spark"):
        err.print("fejl: --engine skal være duckdb eller spark")
        raise typer.Exit(2)
    application = _app()
    with errors():
        result = run_processing(application, statistic.value, "cli", engine)
    counts = ", ".join(f"{k}: {v:,}" for k, v in result["antal"].items())
    out.print(f"{statistic.value}: {result['leverancer']} leverancer behandlet ({counts})")


@app.command()
def table(
    table_id: Annotated[str, typer.Argument(metavar="ID", help="e.g. HANDBU01")],
    year: Annotated[int, typer.Option(help="reference year")],
    raw: Annotated[bool, typer.Option(help="staff: before disclosure control")] = False,
    fmt: Annotated[TableFormat | None, typer.Option("--format", help="file format")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="write to this file")] = None,
) -> None:
    """One table for one year, protected as a release would publish it (R-SDC-5); --raw:
    before disclosure control (staff only). Statbank CSV with --format csv."""
    application = _app()
    with errors():
        spec = table_spec(table_id)
        if raw:
            cube = compute(application.warehouse, spec, [year])
        else:
            from handistat.release.protection import protected_table

            cube = protected_table(application, spec, year)
    if fmt is None and out_file is None:
        display.print_cube(out, cube)
        return
    from handistat.tables.formats import render

    data = render(cube, (fmt or TableFormat.csv).value.upper())
    if out_file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        out_file.write_bytes(data)


@app.command()
def extract(
    statistic: Statistic,
    projekt: Annotated[str, typer.Option(help="the authorised research project")],
    out_dir: Annotated[Path, typer.Option("--out", help="directory to write to")],
) -> None:
    """A pseudonymised research extract with codebook (R-HB-9, R-MD-1); logged."""
    from handistat.microdata.extract import write_extract

    application = _app()
    with errors():
        path = write_extract(application, statistic.value, projekt, out_dir, actor="cli")
    out.print(f"udtræk skrevet: {path}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
) -> None:
    """The API and the web pages."""
    import uvicorn

    from handistat.api.app import create_app

    application = _app()
    with errors():
        application.init()
    # proxy_headers=False: X-Forwarded-For is judged by accounts.client (trusted_proxies)
    uvicorn.run(
        create_app(application), host=host, port=port, log_level="info", proxy_headers=False
    )


def main() -> None:
    app()
