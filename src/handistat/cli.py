"""The command-line contract (SPEC §13). Exit codes: 0 success, 1 rejected input (message on
stderr, no traceback), 2 usage errors."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from handistat.cli_support import Lazy, LazyGroup, Statistic, err, errors, out

if TYPE_CHECKING:
    from handistat.app import App

# Start-up (issue 15.6): this module imports only typer and rich. Each command imports what it
# needs when it runs; the commands of other packages load when they are called (LazyGroup),
# and `--help` lists them from the help texts below without importing them.
LazyGroup.entries = {
    "backup": Lazy(
        "handistat.ops.cli:backup",
        "Sikkerhedskopiér alle lagre (råzone, katalog, register, udgivelser); kan køres, mens "
        "serveren kører.",
        group=False,
    ),
    "restore": Lazy(
        "handistat.ops.cli:restore",
        "Erstat alle lagre med en kontrolleret sikkerhedskopi (stop serveren først).",
        group=False,
    ),
    "rapport": Lazy(
        "handistat.register.report_cli:app",
        "Registrets rapporter: cpr-fejl, handbu-dubletter, rensning, genbrug-dubletter, "
        "paragraf, paragraf-ukendte.",
    ),
    "user": Lazy("handistat.accounts.cli_user:app", "Brugere af portalen og personalesiderne."),
    "token": Lazy("handistat.accounts.cli_token:app", "API-tokens til kommunernes fagsystemer."),
    "release": Lazy(
        "handistat.release.cli:app",
        "Udgivelser: frys, planlæg, forhåndsvis, godkend, flyt og træk tilbage.",
    ),
    "samarbejde": Lazy(
        "handistat.register.samarbejde_cli:app", "Depotsamarbejder med gyldighedsdatoer (R-GB-4)."
    ),
}
# The order of `handistat --help` (as before the lazy loading): commands, then groups.
LazyGroup.order = [
    "backup",
    "restore",
    "init",
    "synth",
    "systemskifte",
    "process",
    "table",
    "extract",
    "serve",
    "population",
    "hmi",
    "rapport",
    "deliver",
    "user",
    "token",
    "release",
    "samarbejde",
]

app = typer.Typer(
    cls=LazyGroup,
    help="handistat: statistikkerne HANDBU (handicapindsatser til børn og unge) og GENBRUG "
    "(genbrugshjælpemidler).",
    no_args_is_help=True,
)
hmi_app = typer.Typer(help="HMI-kataloget (R-GB-3).", no_args_is_help=True)
population_app = typer.Typer(help="Befolkningsregistret (R-CPR-1).", no_args_is_help=True)
deliver_app = typer.Typer(help="Aflevér leverancefiler (SPEC §2).", no_args_is_help=True)
app.add_typer(population_app, name="population")
app.add_typer(hmi_app, name="hmi")
app.add_typer(deliver_app, name="deliver")


class Scale(StrEnum):
    small = "small"
    national = "national"


class TableFormat(StrEnum):
    csv = "csv"
    jsonstat = "jsonstat"
    px = "px"
    xlsx = "xlsx"


def _app() -> App:
    from handistat.app import App

    with errors():
        return App.load()


@app.command()
def init() -> None:
    """Opret eller opgradér databaserne (kan køres igen uden skade)."""
    application = _app()
    with errors():
        application.init()
    out.print(f"stores ready in {application.settings.data_dir}")


@app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="mappen, der skrives til")],
    scale: Annotated[Scale, typer.Option(help="small (test) eller national")] = Scale.small,
    seed: Annotated[int, typer.Option(help="frø; samme frø giver samme filer")] = 1,
    history: Annotated[
        bool, typer.Option(help="GENBRUG: hver kvartalsleverance siden 2022")
    ] = False,
) -> None:
    """Skriv syntetisk befolkning, leverancer og facit (R-SYN)."""
    from handistat.synth import generate

    with errors():
        summary = generate(scale.value, seed, out_dir, history=history)
    out.print(f"synthetic data ({scale.value}, seed {seed}) in {out_dir}: {summary}")


@population_app.command("load")
def population_load(
    directory: Annotated[
        Path, typer.Argument(help="mappen med personer og bopael (.csv/.parquet)")
    ],
) -> None:
    """Indlæs personer.csv og bopael.csv (eller .parquet) i registerdatabasen."""
    from handistat.register.population import load_population
    from handistat.web.danish import antal

    application = _app()
    with errors():
        summary = load_population(application.warehouse, directory)
    out.print(
        f"{antal(summary.personer, 'person')} og {antal(summary.bopael, 'bopælsperiode')} indlæst"
    )


def _print_report(name: str, report: dict[str, Any], as_json: bool) -> None:
    from handistat.web.danish import antal, tal
    from handistat.web.report_texts import TITLES

    if as_json:
        out.print_json(json.dumps(report, ensure_ascii=False, default=str))
        return
    out.print(  # the outcome code stays: scripts (demo.sh) count lines by it
        f"[bold]{name}[/bold]: {report.get('outcome')} — {report.get('message')}", highlight=False
    )
    for error in report.get("errors", [])[:20]:
        title = TITLES.get(error["code"], error["code"])
        out.print(
            f"  række {tal(error['row'])} {error['column']}: {title}: {error['message']}"
            f" ({error['value']})",
            highlight=False,
            markup=False,
        )
    hidden = len(report.get("errors", [])) - 20
    if hidden > 0:
        totals = ", ".join(
            f"{TITLES.get(code, code)}: {tal(n)}" for code, n in report["error_totals"].items()
        )
        out.print(f"  ... og {antal(hidden, 'fejl')} mere (se --json); i alt: {totals}")


def _deliver_all(
    files: list[Path], receive: Callable[[Path], dict[str, Any]], as_json: bool
) -> int:
    from handistat.errors import DeliveryRejected

    def outcomes() -> Iterator[tuple[Path, dict[str, Any], bool]]:
        for path in files:
            try:
                yield path, receive(path), False
            except DeliveryRejected as exc:
                report = exc.details.get("report", {"outcome": "rejected", "message": exc.message})
                yield path, report, True

    return _print_all(len(files), outcomes(), as_json)


def _print_all(
    count: int, outcomes: Iterable[tuple[Path, dict[str, Any], bool]], as_json: bool
) -> int:
    """Print each delivery's report as it is judged; the number rejected."""
    from rich.progress import Progress

    rejected = 0
    with Progress(console=err, transient=True, disable=count < 5) as progress:
        task = progress.add_task("leverancer", total=count)
        for path, report, failed in outcomes:
            rejected += failed
            _print_report(path.name, report, as_json)
            progress.advance(task)
    return rejected


@deliver_app.command("handbu")
def deliver_handbu(
    files: Annotated[
        list[Path], typer.Argument(help="leverancefilerne i den rækkefølge, de er leveret")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="udskriv de fulde rapporter")] = False,
) -> None:
    """Aflevér HANDBU-filer (§2.1); udskriver modtagelsesrapporten for hver."""
    from handistat.intake.policies import HANDBU_POLICY
    from handistat.intake.service import Sender

    application = _app()
    sender = Sender("cli", None, "cli")
    for path in files:
        if not path.is_file():
            err.print(f"fejl: {path} findes ikke")
            raise typer.Exit(2)
    # issue 15.6: each file is stored and recorded on its own, small ones validated together
    received = application.intake.receive_files(HANDBU_POLICY, files, sender)
    outcomes = ((o.path, o.report, o.error is not None) for o in received)
    with errors():
        rejected = _print_all(len(files), outcomes, as_json)
    if rejected:
        raise typer.Exit(1)


GENBRUG_NAME = re.compile(
    r"(?P<kommune>\d{3})_(?P<kildesystem>.+)_(?P<dato>\d{4}-\d{2}-\d{2})\.csv"
)


@deliver_app.command("genbrug")
def deliver_genbrug(
    file: Annotated[Path | None, typer.Argument(help="én fuld leverance (CSV)")] = None,
    kommune: Annotated[str | None, typer.Option(help="indberetningskommunen (3 cifre)")] = None,
    kildesystem: Annotated[str | None, typer.Option(help="det afsendende fagsystem")] = None,
    udtraeksdato: Annotated[str | None, typer.Option(help="udtræksdato ÅÅÅÅ-MM-DD")] = None,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="alle <kommune>_<kildesystem>_<dato>.csv i mappen")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="udskriv de fulde rapporter")] = False,
) -> None:
    """Aflevér fulde GENBRUG-leverancer (§2.2): én fil med dens hovedfelter eller en mappe."""
    from handistat.intake.genbrug import receive_full_load
    from handistat.intake.rawzone import read_chunks
    from handistat.intake.service import Sender

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
    kommune: Annotated[str, typer.Option(help="kommunen")],
    fra: Annotated[str, typer.Option(help="det gamle system (kildesystem)")],
    til: Annotated[str, typer.Option(help="det nye system (kildesystem)")],
    dato: Annotated[str, typer.Option(help="skiftedato ÅÅÅÅ-MM-DD")],
) -> None:
    """Registrér et skift af fagsystem for GENBRUG (R-IN-8)."""
    from handistat.intake.genbrug import declare_system_switch

    application = _app()
    with errors():
        declare_system_switch(
            application.intake, kommune=kommune, fra=fra, til=til, dato=dato, actor="cli"
        )
    out.print(f"systemskifte for {kommune}: {fra} → {til} fra {dato}")


@hmi_app.command("load")
def hmi_load(file: Annotated[Path, typer.Argument(help="CSV med hmi_nummer;iso_kode")]) -> None:
    """Indlæs et HMI-katalog (et udtræk af Hjælpemiddelbasen)."""
    from handistat.register.hmi import load_hmi_catalogue
    from handistat.web.danish import antal

    application = _app()
    with errors():
        count = load_hmi_catalogue(application.warehouse, file)
    out.print(f"{antal(count, 'HMI-nummer', 'HMI-numre')} indlæst")


@app.command()
def process(
    statistic: Statistic,
    engine: Annotated[
        str, typer.Option(help="duckdb (standard) eller spark (lokal tilstand)")
    ] = "duckdb",
) -> None:
    """Dan registret igen fra råzonen, og opdatér derefter godkendelsesrapporterne."""
    from handistat.approval.processing import run_processing
    from handistat.web.danish import antal, tal

    if engine not in ("duckdb", "spark"):
        err.print("fejl: --engine skal være duckdb eller spark")
        raise typer.Exit(2)
    application = _app()
    with errors():
        result = run_processing(application, statistic.value, "cli", engine)
    counts = ", ".join(f"{k}: {tal(v)}" for k, v in result["antal"].items())
    done = antal(result["leverancer"], "leverance")
    out.print(f"{statistic.value}: {done} behandlet ({counts})")


@app.command()
def table(
    table_id: Annotated[str, typer.Argument(metavar="ID", help="fx HANDBU01")],
    year: Annotated[int, typer.Option(help="referenceåret")],
    raw: Annotated[bool, typer.Option(help="personale: før diskretionering")] = False,
    fmt: Annotated[TableFormat | None, typer.Option("--format", help="filformat")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="skriv til denne fil")] = None,
) -> None:
    """Én tabel for ét år, diskretioneret som en udgivelse ville vise den (R-SDC-5); --raw:
    før diskretionering (kun personale). Statistikbank-CSV med --format csv."""
    from handistat.tables import display
    from handistat.tables.registry import compute, table_spec

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
    projekt: Annotated[str, typer.Option(help="det godkendte forskningsprojekt")],
    out_dir: Annotated[Path, typer.Option("--out", help="mappen, der skrives til")],
) -> None:
    """Et pseudonymiseret forskerudtræk med kodebog (R-HB-9, R-MD-1); logges."""
    from handistat.microdata.extract import write_extract

    application = _app()
    with errors():
        path = write_extract(application, statistic.value, projekt, out_dir, actor="cli")
    out.print(f"udtræk skrevet: {path}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="adressen, der lyttes på")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="porten")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="antal arbejdsprocesser (R-PERF-4); 1: én proces")
    ] = 1,
    access_log: Annotated[
        bool,
        typer.Option(help="log hver forespørgsel (CPR maskeret); fra: bag en proxy, der logger"),
    ] = True,
) -> None:
    """Start API'et og hjemmesiderne."""
    import uvicorn

    from handistat.api.app import create_app

    application = _app()
    with errors():
        application.init()
    # proxy_headers=False: X-Forwarded-For is judged by accounts.client (trusted_proxies)
    if workers == 1:
        uvicorn.run(
            create_app(application),
            host=host,
            port=port,
            log_level="info",
            proxy_headers=False,
            access_log=access_log,
        )
        return
    # Several processes share the socket; each builds its app from the same settings (the
    # environment, docs/drift.md §4). The stores were migrated above, once; register reads
    # are snapshots.
    uvicorn.run(
        "handistat.ops.server:create",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=False,
        access_log=access_log,
    )


def main() -> None:
    app()
