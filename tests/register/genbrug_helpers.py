"""Building small GENBRUG registers by hand for known-answer tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handistat.app import App
from handistat.errors import DeliveryRejected
from handistat.intake.genbrug import receive_full_load
from handistat.intake.service import Sender
from handistat.register.genbrug_process import process_genbrug
from handistat.register.hmi import load_hmi_catalogue
from handistat.register.population import load_population

HEADER = (
    "indberetningskommune;betalingskommune;udlaan_id;hmi_nummer;cpr;paragraf;"
    "udleveringsdato;indleveringsdato"
)
STAFF = Sender("test", None)


def population(directory: Path, persons: list[str], residences: list[str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "personer.csv").write_text(
        "cpr;koen;foedselsdato;doedsdato\n" + "\n".join(persons) + "\n", encoding="utf-8"
    )
    (directory / "bopael.csv").write_text(
        "cpr;kommune;fra;til\n" + "\n".join(residences) + "\n", encoding="utf-8"
    )
    return directory


def hmi(directory: Path, rows: list[str]) -> Path:
    path = directory / "hmi.csv"
    path.write_text("hmi_nummer;iso_kode\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def load(app: App, kommune: str, system: str, date: str, rows: list[str]) -> dict[str, object]:
    body = (HEADER + "\n" + "\n".join(rows) + "\n").encode()
    try:
        return receive_full_load(
            app.intake, [body], STAFF, kommune=kommune, kildesystem=system, udtraeksdato=date
        )
    except DeliveryRejected as exc:
        report: dict[str, object] = exc.details.get("report", {"message": exc.message})
        report["rejected"] = True
        return report


def setup(
    app: App, tmp_path: Path, persons: list[str], residences: list[str], catalogue: list[str]
) -> None:
    load_population(app.warehouse, population(tmp_path / "pop", persons, residences))
    load_hmi_catalogue(app.warehouse, hmi(tmp_path, catalogue))


def process(app: App, years: tuple[int, ...] = (2022, 2023, 2024)) -> None:
    process_genbrug(app.intake, app.warehouse, years, dt.date(2026, 3, 2))
