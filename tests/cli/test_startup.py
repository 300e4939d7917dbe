"""Issue 15 item 6: `handistat --help` starts without the heavy modules (duckdb, pyarrow,
sqlalchemy, fastapi, ...); each command imports what it needs when it runs. Not a timing:
the test inspects `sys.modules` of a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from tests.cli.test_cli import run

from handistat.cli_support import LazyGroup

HEAVY = (
    "duckdb",
    "pyarrow",
    "pandas",
    "numpy",
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "pydantic",
    "highspy",
    "jinja2",
    "openpyxl",
)

PROBE = """
import json, sys
from handistat.cli import app
try:
    app(sys.argv[1:], prog_name="handistat")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def heavy_modules_after(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize("args", [("--help",), ()])
def test_help_imports_no_heavy_module(args: tuple[str, ...]) -> None:
    assert heavy_modules_after(*args) == []


@pytest.mark.parametrize("args", [("deliver", "handbu", "--help"), ("table", "--help")])
def test_command_help_imports_no_data_module(args: tuple[str, ...]) -> None:
    # typer 0.29 coerces parameters with pydantic, so a command's own help loads pydantic
    assert heavy_modules_after(*args) in ([], ["pydantic"])


def test_a_lazy_group_loads_when_called() -> None:
    # the probe itself works: `rapport --help` imports the register's report module
    probe = PROBE.replace("{heavy!r}", repr(("handistat.register.report_cli",)))
    result = subprocess.run(
        [sys.executable, "-c", probe, "rapport", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == ["handistat.register.report_cli"]
    assert "cpr-fejl" in result.stdout


def test_the_listing_shows_every_command_in_the_old_order(tmp_path: object) -> None:
    page = run(tmp_path, "--help").stdout  # type: ignore[arg-type]
    names = [
        line.split()[1]
        for line in page.splitlines()
        if line.startswith("│ ") and len(line.split()) > 1 and line[2] != " "
    ]
    commands = [n for n in names if not n.startswith("-")]
    assert commands == LazyGroup.order


@pytest.mark.parametrize("name", sorted(LazyGroup.entries))
def test_lazy_listing_says_what_the_command_says(name: str) -> None:
    entry = LazyGroup.entries[name]
    loaded = entry.load(name)
    assert " ".join((loaded.help or "").split()) == " ".join(entry.help.split())


def test_backup_and_restore_help_is_danish(tmp_path: object) -> None:
    for command in ("backup", "restore"):
        page = run(tmp_path, command, "--help").stdout  # type: ignore[arg-type]
        assert "Back up" not in page and "Replace every" not in page and "directory" in page
    assert "Sikkerhedskopiér alle lagre" in run(tmp_path, "--help").stdout  # type: ignore[arg-type]
