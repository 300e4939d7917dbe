"""Issue 11 item 3: releases in the browser through the real app. Staff create, preview,
approve, reschedule and withdraw a release before its public time; each action first shows a
confirmation page, and each is in the audit log. The CLI has `withdraw` and `reschedule`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.release.scenario import MovableClock, first_register, local, make_app
from typer.testing import CliRunner

from handistat.accounts.service import Accounts
from handistat.api.app import create_app
from handistat.api.deps import Role
from handistat.app import App
from handistat.audit import AuditLog
from handistat.release.service import ReleaseService

PASSWORD = "en-lang-adgangskode-til-test"


@pytest.fixture
def staff(tmp_path: Path) -> Iterator[tuple[TestClient, App, str]]:
    clock = MovableClock(local("2026-10-01T12:00"))
    application = make_app(tmp_path, clock)
    first_register(application, tmp_path)
    Accounts(application.catalogue, clock).add_user(
        "redaktoer@dst.example", Role.PERSONALE, [], PASSWORD, "test"
    )
    with TestClient(create_app(application)) as client:
        login = client.post(
            "/api/v1/session", json={"email": "redaktoer@dst.example", "password": PASSWORD}
        )
        yield client, application, login.json()["csrf"]


def test_create_preview_publish_reschedule_withdraw(staff: tuple[TestClient, App, str]) -> None:
    client, application, csrf = staff
    listing = client.get("/personale/udgivelser").text
    assert "Dan en ny udgivelse" in listing
    form = {"csrf": csrf, "statistik": "handbu", "aar": "2024", "tidspunkt": "2026-12-01T08:00"}
    asked = client.post("/personale/udgivelser", data=form)
    assert "Dan udgivelsen?" in asked.text
    assert "planlægges til 1. december 2026 kl. 08:00" in asked.text
    assert ReleaseService(application).releases() == (), "nothing before the confirmation"
    created = client.post("/personale/udgivelser", data={**form, "bekraeft": "ja"})
    assert "Udgivelsen handbu-2024-1 er dannet." in created.text
    assert (
        "Forberedt; planlagt til" in created.text and "1. december 2026 kl. 08:00" in created.text
    )
    url = "/personale/udgivelser/handbu-2024-1"

    asked = client.post(f"{url}/godkend", data={"csrf": csrf})
    assert "Godkend til offentliggørelse?" in asked.text
    assert ReleaseService(application).get("handbu-2024-1").status == "forberedt"
    done = client.post(f"{url}/godkend", data={"csrf": csrf, "bekraeft": "ja"})
    assert "Udgivelsen er godkendt til offentliggørelse." in done.text

    asked = client.post(f"{url}/flyt", data={"csrf": csrf, "tidspunkt": "2026-12-03T08:00"})
    assert "flyttes fra 1. december 2026 kl. 08:00 til 3. december 2026 kl. 08:00" in asked.text
    done = client.post(
        f"{url}/flyt", data={"csrf": csrf, "tidspunkt": "2026-12-03T08:00", "bekraeft": "ja"}
    )
    assert "Udgivelsen er flyttet til 3. december 2026 kl. 08:00." in done.text
    past = client.post(
        f"{url}/flyt", data={"csrf": csrf, "tidspunkt": "2026-09-01T08:00", "bekraeft": "ja"}
    )
    assert "ligger i fortiden" in past.text

    client.post(f"{url}/tilbagetraek", data={"csrf": csrf})
    assert ReleaseService(application).get("handbu-2024-1").status == "godkendt"
    done = client.post(f"{url}/tilbagetraek", data={"csrf": csrf, "bekraeft": "ja"})
    assert "trukket tilbage og bliver ikke offentliggjort" in done.text
    actions = [e["action"] for e in AuditLog(application.catalogue, application.clock).recent()]
    for action in ("release.create", "release.publish", "release.reschedule", "release.withdraw"):
        assert action in actions
    log = client.get("/personale/log").text
    assert "trak en udgivelse tilbage" in log and "flyttede en udgivelses tidspunkt" in log
    assert "UTC" not in log
    assert "handbu-2024-1" not in client.get("/udgivelser").text, "not in the calendar"


def test_staff_menu_has_releases(staff: tuple[TestClient, App, str]) -> None:
    client, _, _ = staff
    page = client.get("/personale").text
    assert re.search(r'<a href="/personale/udgivelser">Udgivelser</a>', page)


def test_cli_withdraw_and_reschedule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from handistat.cli import app as cli

    clock = MovableClock(local("2026-10-01T12:00"))
    application = make_app(tmp_path, clock)
    first_register(application, tmp_path)
    ReleaseService(application).create("handbu", 2024, local("2026-12-01T08:00"), "test")
    monkeypatch.setenv("HANDISTAT_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    moved = runner.invoke(cli, ["release", "reschedule", "handbu-2024-1", "--at", "2027-01-05"])
    assert moved.exit_code == 0, moved.output
    assert "flyttet til 5. januar 2027 kl. 08:00" in moved.output
    gone = runner.invoke(cli, ["release", "withdraw", "handbu-2024-1"])
    assert gone.exit_code == 0 and "trukket tilbage" in gone.output
    again = runner.invoke(cli, ["release", "withdraw", "handbu-2024-1"])
    assert again.exit_code == 1
    helptext = runner.invoke(cli, ["release", "--help"]).output
    assert "Udgivelser: frys" in helptext
