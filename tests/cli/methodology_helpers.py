"""Small hand-built scenarios driven through the CLI (SPEC §13) for the methodology rules of
issue 10: write the inputs, run the commands, read the tables and reports back as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.cli.test_cli import Result, run

GENBRUG_HEADER = (
    "indberetningskommune;betalingskommune;udlaan_id;hmi_nummer;cpr;paragraf;"
    "udleveringsdato;indleveringsdato"
)
HANDBU_HEADER = "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"


def init_with_population(
    tmp_path: Path, persons: list[str], residences: list[str] = (), hmi: list[str] = ()
) -> None:
    """`init`, `population load` and `hmi load` with the given rows."""
    pop = tmp_path / "pop"
    pop.mkdir(exist_ok=True)
    (pop / "personer.csv").write_text(
        "cpr;koen;foedselsdato;doedsdato\n" + "".join(p + "\n" for p in persons), "utf-8"
    )
    (pop / "bopael.csv").write_text(
        "cpr;kommune;fra;til\n" + "".join(r + "\n" for r in residences), "utf-8"
    )
    (tmp_path / "hmi.csv").write_text(
        "hmi_nummer;iso_kode\n" + "".join(h + "\n" for h in hmi), "utf-8"
    )
    run(tmp_path, "init")
    run(tmp_path, "population", "load", str(pop))
    run(tmp_path, "hmi", "load", str(tmp_path / "hmi.csv"))


def deliver_genbrug(
    tmp_path: Path, kommune: str, system: str, date: str, rows: list[str], *, ok: bool = True
) -> Result:
    path = tmp_path / f"{kommune}_{system}_{date}.csv"
    path.write_text(GENBRUG_HEADER + "\n" + "".join(r + "\n" for r in rows), "utf-8")
    return run(
        tmp_path,
        "deliver",
        "genbrug",
        str(path),
        "--kommune",
        kommune,
        "--kildesystem",
        system,
        "--udtraeksdato",
        date,
        "--json",
        ok=ok,
    )


def deliver_handbu(tmp_path: Path, name: str, rows: list[str], *, ok: bool = True) -> Result:
    path = tmp_path / name
    path.write_text(HANDBU_HEADER + "\n" + "".join(r + "\n" for r in rows), "utf-8")
    return run(tmp_path, "deliver", "handbu", str(path), "--json", ok=ok)


def table_cells(tmp_path: Path, table_id: str, year: int) -> dict[tuple[str, ...], str]:
    """The raw (unprotected) table as {(code, ...): value}, the year column left out."""
    result = run(tmp_path, "table", table_id, "--year", str(year), "--raw", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    tid = header.index("TID")
    cells = {}
    for row in rows[1:]:
        if row:
            key = tuple(v for i, v in enumerate(row[:-1]) if i != tid)
            cells[key] = row[-1]
    return cells


def report_rows(tmp_path: Path, name: str) -> list[dict[str, str]]:
    result = run(tmp_path, "rapport", "vis", name, "--csv")
    return list(csv.DictReader(io.StringIO(result.stdout), delimiter=";"))
