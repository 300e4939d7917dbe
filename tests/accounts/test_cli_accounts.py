"""SPEC §13: `handistat user add ...` and `handistat token create ...` through the real CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from handistat.accounts.resolve import accounts
from handistat.api.app import create_app
from handistat.app import App
from handistat.cli import app as cli
from handistat.clock import fixed_clock
from handistat.settings import load_settings
from tests.accounts.helpers import cheap_hashing, handbu_csv


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    cheap_hashing()
    return tmp_path / "data"


def run(data_dir: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, list(args), input=stdin, env={"HANDISTAT_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    )
    return result.exit_code, result.stdout, result.stderr


def stores(data_dir: Path) -> App:
    return App(
        load_settings(data_dir=data_dir), fixed_clock(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    )


def test_user_add_with_password_from_stdin(data_dir: Path) -> None:
    code, out, _ = run(
        data_dir,
        "user",
        "add",
        "Sag@Kommune101.dk",
        "--rolle",
        "sagsbehandler",
        "--kommune",
        "101",
        "--kommune",
        "147",
        "--password-stdin",
        stdin="et-langt-kodeord\n",
    )
    assert code == 0, out
    assert "sag@kommune101.dk oprettet som sagsbehandler (101, 147)" in out
    logged_in = accounts(stores(data_dir)).login("sag@kommune101.dk", "et-langt-kodeord", "x")
    assert logged_in.account.kommuner == ("101", "147")
    code, out, _ = run(data_dir, "user", "list")
    assert "sag@kommune101.dk\tsagsbehandler\t101,147" in out


def test_user_add_without_stdin_prints_a_generated_password_last(data_dir: Path) -> None:
    code, out, _ = run(data_dir, "user", "add", "staff@dst.dk", "--rolle", "personale")
    assert code == 0
    password = out.strip().splitlines()[-1]
    assert len(password) == 20
    assert accounts(stores(data_dir)).login("staff@dst.dk", password, "x").account.email


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--rolle", "chef"], 2, "sagsbehandler|personale|admin"),
        (["--rolle", "sagsbehandler"], 2, "mindst én kommune"),
        (["--rolle", "sagsbehandler", "--kommune", "999"], 2, "ukendte kommunekoder: 999"),
        (["--rolle", "personale", "--kommune", "101"], 2, "angiv ikke --kommune"),
    ],
)
def test_user_add_refuses_bad_input(
    data_dir: Path, args: list[str], code: int, message: str
) -> None:
    exit_code, out, err = run(data_dir, "user", "add", "x@y.dk", *args)
    assert exit_code == code
    assert message in out + err
    assert "Traceback" not in out + err


def test_duplicate_user_is_exit_1(data_dir: Path) -> None:
    run(data_dir, "user", "add", "x@y.dk", "--rolle", "admin")
    code, _, err = run(data_dir, "user", "add", "x@y.dk", "--rolle", "admin")
    assert code == 1
    assert "findes allerede" in err


def test_token_create_prints_the_token_alone_on_the_last_line(data_dir: Path) -> None:
    code, out, _ = run(
        data_dir, "token", "create", "--kommune", "101", "--kommune", "147", "--navn", "KMD Nexus"
    )
    assert code == 0
    token = out.splitlines()[-1]
    assert token.startswith("hst_") and " " not in token
    application = stores(data_dir)
    client = TestClient(create_app(application))
    r = client.post(
        "/api/v1/leverancer/handbu?kommune=147",
        content=handbu_csv("147;a;1506154001;SEL32;2023-01-01;;"),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
    )
    assert r.status_code == 201
    assert r.json()["sender"] == "system:KMD Nexus (token 1)"
    code, out, _ = run(data_dir, "token", "list")
    assert "1\tKMD Nexus\t101,147" in out and token not in out
    assert run(data_dir, "token", "revoke", "1")[0] == 0
    assert (
        client.get("/api/v1/leverancer", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_token_needs_a_known_municipality(data_dir: Path) -> None:
    code, _, err = run(data_dir, "token", "create", "--kommune", "12")
    assert code == 2
    assert "ukendte kommunekoder" in err
