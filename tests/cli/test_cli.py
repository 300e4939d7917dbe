"""The command-line contract (SPEC §13) through the real entry point, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handistat.cli import app

A = "1506154001"


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(tmp_path: Path, *args: str, ok: bool = True) -> Result:
    """The real Typer app in-process (subprocess tests below cover the installed entry point)."""
    env = {"HANDISTAT_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        outcome = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(cwd)
    result = Result(outcome.exit_code, outcome.stdout, outcome.stderr)
    if ok:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    pop = tmp_path / "pop"
    pop.mkdir()
    (pop / "personer.csv").write_text(
        f"cpr;koen;foedselsdato;doedsdato\n{A};K;2015-06-15;\n", encoding="utf-8"
    )
    (pop / "bopael.csv").write_text("cpr;kommune;fra;til\n", encoding="utf-8")
    (tmp_path / "d1.csv").write_text(
        "kommune;indsats_id;cpr;paragraf;startdato;slutdato\n"
        f"101;r1;{A};SEL32;2023-01-01;2023-03-01\n"
        f"101;r2;{A[:6]}-{A[6:]};SEL32;2023-03-10;\n",
        encoding="utf-8",
    )
    run(tmp_path, "init")
    run(tmp_path, "init")  # idempotent
    run(tmp_path, "population", "load", str(pop))
    run(tmp_path, "deliver", "handbu", "d1.csv")
    run(tmp_path, "process", "handbu")
    return tmp_path


def test_table_csv_is_the_statbank_csv(loaded: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "handistat",
            "table",
            "HANDBU01",
            "--year",
            "2023",
            "--raw",
            "--format",
            "csv",
        ],
        capture_output=True,
        env={**os.environ, "HANDISTAT_DATA_DIR": str(loaded / "data")},
        check=True,
    )
    assert result.stdout.startswith("\ufeff".encode())
    lines = result.stdout.decode("utf-8-sig").splitlines()
    assert lines[0] == "KOMMUNEDK;INDSATSER;KØN;TID;INDHOLD"
    # 100 municipality codes (000 + 99) × INDSATSER 2 × KØN 4, plus the header.
    assert len(lines) == 1 + 100 * 2 * 4
    # One girl, one merged episode (gap of 8 days) in København and nationally.
    assert "000;100;0;2023;1" in lines and "101;110;P;2023;1" in lines
    assert "101;110;D;2023;0" in lines


def test_table_out_file(loaded: Path) -> None:
    run(loaded, "table", "HANDBU03", "--year", "2023", "--format", "csv", "--out", "t.csv")
    assert (loaded / "t.csv").read_text(encoding="utf-8-sig").startswith("LANDSDEL;INDSATSER;TID")


def test_terminal_table(loaded: Path) -> None:
    result = run(loaded, "table", "HANDBU03", "--year", "2023")
    assert "HANDBU03" in result.stdout and "Hele landet" in result.stdout


def test_rejected_input_exits_1_without_traceback(loaded: Path) -> None:
    (loaded / "bad.csv").write_text("kommune,indsats_id\n101,r1\n", encoding="utf-8")
    result = run(loaded, "deliver", "handbu", "bad.csv", ok=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "semikolon" in result.stdout + result.stderr


def test_unknown_table_exits_1(loaded: Path) -> None:
    result = run(loaded, "table", "NOPE", "--year", "2023", ok=False)
    assert result.returncode == 1 and "HANDBU01" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(tmp_path, "table", ok=False).returncode == 2
    assert run(tmp_path, "process", "nonsense", ok=False).returncode == 2
    assert run(tmp_path, "deliver", "handbu", "missing.csv", ok=False).returncode == 2


def test_help_on_every_command(tmp_path: Path) -> None:
    for args in (
        ["--help"],
        ["init", "--help"],
        ["deliver", "handbu", "--help"],
        ["population", "load", "--help"],
        ["table", "--help"],
        ["synth", "--help"],
    ):
        assert "Usage" in run(tmp_path, *args).stdout


def test_bad_settings_stop_with_a_clear_message(tmp_path: Path) -> None:
    env = {**os.environ, "HANDISTAT_MAX_BODY_BYTES": "-5"}
    result = subprocess.run(
        [sys.executable, "-m", "handistat", "init"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 2 and "max_body_bytes" in result.stderr


def test_cpr_never_printed(loaded: Path) -> None:
    (loaded / "d2.csv").write_text(
        "kommune;indsats_id;cpr;paragraf;startdato\n101;r9;3002154001;SEL32;2023-01-01\n",
        encoding="utf-8",
    )
    result = run(loaded, "deliver", "handbu", "d2.csv", "--json", ok=False)
    assert "3002154001" not in result.stdout + result.stderr
    assert "300215-****" in result.stdout
