"""`handistat release create|list|preview|publish|article` (SPEC §13)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from handistat.cli import app as cli
from tests.release.scenario import MovableClock, first_register, local, make_app


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    application = make_app(tmp_path, MovableClock(local("2026-01-01T12:00")))
    first_register(application, tmp_path)
    application.catalogue.dispose()
    return tmp_path / "data"


def run(data_dir: Path, *args: str, code: int = 0, stdin: str | None = None) -> str:
    env = {"HANDISTAT_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    old = Path.cwd()
    os.chdir(data_dir.parent)
    try:
        result = CliRunner().invoke(cli, ["release", *args], env=env, input=stdin)
    finally:
        os.chdir(old)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stderr + result.stdout


def test_create_preview_edit_publish(data_dir: Path, tmp_path: Path) -> None:
    out = run(data_dir, "create", "handbu", "--year", "2024", "--at", "2099-09-30")
    assert out.strip().splitlines()[-1] == "handbu-2024-1"  # the id alone on the last line
    listed = run(data_dir, "list")
    assert "handbu-2024-1" in listed and "forberedt" in listed and "2099-09-30 08:00" in listed
    preview = run(data_dir, "preview", "handbu-2024-1")
    assert "HANDBU01" in preview and "reviderede celler: 0" in preview
    assert "børn og unge modtog handicapindsatser i 2024" in preview
    text = tmp_path / "nyt.md"
    text.write_text("# Redigeret overskrift\n\nTekst.\n", encoding="utf-8")
    assert "Redigeret overskrift" in run(data_dir, "article", "handbu-2024-1", "--set", str(text))
    assert "Redigeret overskrift" in run(data_dir, "preview", "handbu-2024-1")
    assert "modtog handicapindsatser" in run(data_dir, "article", "handbu-2024-1", "--reset")
    assert "godkendt" in run(data_dir, "publish", "handbu-2024-1")
    assert "allerede godkendt" in run(data_dir, "publish", "handbu-2024-1", code=1)
    assert "under embargo" in run(data_dir, "list")


def test_now_is_public_at_once_and_errors_exit_cleanly(data_dir: Path) -> None:
    release_id = run(data_dir, "create", "handbu", "--year", "2024", "--at", "now").split()[-1]
    run(data_dir, "publish", release_id)
    assert "offentlig" in run(data_dir, "list")
    assert "fejl:" in run(data_dir, "preview", "nope-1", code=1)
    assert "ikke gyldigt" in run(
        data_dir, "create", "handbu", "--year", "2024", "--at", "i morgen", code=2
    )
    assert "begynder i 2022" in run(
        data_dir, "create", "handbu", "--year", "2019", "--at", "now", code=2
    )
