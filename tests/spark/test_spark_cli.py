"""`handistat process handbu --engine spark` stores the same register as the DuckDB run."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import build_handbu
from typer.testing import CliRunner

from handistat.app import App
from handistat.cli import app as cli_app
from handistat.settings import load_settings

pytestmark = pytest.mark.spark
A, B = "1506154001", "0101104002"


def _episodes(application: App) -> list[tuple[object, ...]]:
    rows = application.warehouse.query(
        "SELECT cpr, indsats, kommune, startdato, slutdato FROM handbu_forloeb ORDER BY ALL"
    ).to_pylist()
    return [tuple(r.values()) for r in rows]


def test_cli_engine_spark_matches_duckdb(app: App, tmp_path: Path) -> None:
    build_handbu(
        app,
        tmp_path,
        [(A, "M", "2015-06-15", ""), (B, "K", "2010-01-01", "")],
        f"101;r1;{A};SEL32;2023-01-01;2023-01-31\n101;r2;{A};SEL32;2023-02-14;\n"
        f"147;r3;{B};SEL45;2022-01-01;2022-12-31\n",
    )
    duckdb_episodes = _episodes(app)
    with app.warehouse.writing() as con:  # the Spark run must write it again
        con.execute("DROP TABLE handbu_forloeb")
    result = CliRunner().invoke(
        cli_app,
        ["process", "handbu", "--engine", "spark"],
        env={"HANDISTAT_DATA_DIR": str(app.settings.data_dir)},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert "handbu_forloeb" in result.stdout
    assert _episodes(App(load_settings(data_dir=app.settings.data_dir))) == duckdb_episodes
    assert len(duckdb_episodes) == 2
