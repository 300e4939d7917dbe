"""Embargo (R-PUB-2) through the HTTP app with an injected clock: a release is public from
08:00 Europe/Copenhagen on its date; one minute before, no public route, API call, file,
listing or search reveals a figure of it. Staff see it before."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from handistat.accounts.service import Accounts
from handistat.api.app import create_app
from handistat.api.deps import Role
from handistat.release.models import Release
from tests.release.scenario import MovableClock, local, make_app, two_releases

PASSWORD = "en-lang-adgangskode-til-test"


@dataclass
class World:
    client: TestClient
    clock: MovableClock
    first: Release
    second: Release


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("embargo")
    clock = MovableClock(local("2025-06-01T12:00"))
    application = make_app(tmp, clock)
    first, second = two_releases(application, tmp)
    Accounts(application.catalogue, clock).add_user(
        "statistiker@dst.example", Role.PERSONALE, [], PASSWORD, "test"
    )
    with TestClient(create_app(application)) as client:
        yield World(client, clock, first, second)


def public_bodies(world: World) -> dict[str, str]:
    """Every public place a figure could show, by URL."""
    urls = [
        "/",
        "/statistikbanken",
        "/statistikbanken?q=HANDBU",
        "/statistikbanken/HANDBU03",
        "/statistikbanken/HANDBU03/tabel?LANDSDEL=000&INDSATSER=100&Tid=*",
        "/statistikbanken/HANDBU03/hent/CSV?LANDSDEL=000&INDSATSER=100&Tid=*",
        f"/statistikbanken/HANDBU03/tabel?LANDSDEL=000&INDSATSER=100&Tid=*&vintage={world.second.id}",
        "/udgivelser",
        f"/udgivelser/{world.second.id}",
        "/nyt",
        f"/nyt/{world.second.id}",
        "/v1/subjects?includeTables=true&recursive=true",
        "/v1/tables",
        "/v1/tableinfo/HANDBU03",
        "/v1/data/HANDBU03/CSV?LANDSDEL=000&INDSATSER=100&Tid=*&valuePresentation=Code",
        "/v1/data/HANDBU03/JSONSTAT?LANDSDEL=000&INDSATSER=100&Tid=*",
        f"/v1/data/HANDBU03/CSV?LANDSDEL=000&INDSATSER=100&Tid=*&vintage={world.second.id}",
    ]
    return {url: world.client.get(url).text for url in urls}


def test_nothing_before_the_first_release(world: World) -> None:
    world.client.cookies.clear()
    world.clock.at = local("2025-09-30T07:59")
    assert world.client.get("/v1/tables").json() == []
    assert world.client.get("/v1/data/HANDBU03/CSV?INDSATSER=100").json()["errorTypeCode"] == (
        "EXTRACT-NOTFOUND"
    )
    assert "HANDBU03" not in world.client.get("/statistikbanken").text
    world.clock.at = local("2025-09-30T08:00")
    assert [t["id"] for t in world.client.get("/v1/tables").json()][:1] == ["HANDBU01"]


def test_one_minute_before_eight_no_figure_of_the_new_release(world: World) -> None:
    world.client.cookies.clear()
    world.clock.at = local("2026-09-30T07:59")
    bodies = public_bodies(world)
    headline = world.second.article.splitlines()[0][2:]  # type: ignore[union-attr]
    for url, body in bodies.items():
        assert headline not in body, url
        assert "2025;" not in body and '"2025"' not in body, url  # the new period
    csv = bodies["/v1/data/HANDBU03/CSV?LANDSDEL=000&INDSATSER=100&Tid=*&valuePresentation=Code"]
    assert csv.splitlines()[1:] == [
        "000;100;2022;2",
        "000;100;2023;4",
        "000;100;2024;3",
    ]  # as before
    assert world.client.get(f"/udgivelser/{world.second.id}").status_code == 404
    assert world.client.get(f"/nyt/{world.second.id}").status_code == 404
    calendar = bodies["/udgivelser"]
    assert "Handicapindsatser til børn og unge 2025" in calendar
    assert "30. september 2026 kl. 08:00" in calendar  # Danish dates (issue 12)


def test_at_eight_the_release_is_public(world: World) -> None:
    world.client.cookies.clear()
    world.clock.at = local("2026-09-30T08:00")
    csv = world.client.get(
        "/v1/data/HANDBU03/CSV?LANDSDEL=000&INDSATSER=100&Tid=*&valuePresentation=Code"
    ).text
    assert csv.splitlines()[1:] == [
        "000;100;2022;2",
        "000;100;2023;3",
        "000;100;2024;3",
        "000;100;2025;3",
    ]
    assert world.client.get(f"/udgivelser/{world.second.id}").status_code == 200
    assert world.client.get(f"/nyt/{world.second.id}").status_code == 200
    assert '"2025"' in world.client.get("/v1/tableinfo/HANDBU03").text


def test_staff_preview_before_eight(world: World) -> None:
    world.clock.at = local("2026-09-30T07:59")
    client = world.client
    login = client.post(
        "/api/v1/session", json={"email": "statistiker@dst.example", "password": PASSWORD}
    )
    assert login.status_code == 200
    try:
        preview = client.get(
            f"/v1/data/HANDBU03/CSV?LANDSDEL=000&INDSATSER=100&Tid=2025&vintage={world.second.id}"
        )
        assert preview.status_code == 200 and preview.text.endswith("2025;3\r\n")
        assert preview.headers["cache-control"] == "private, no-store"
        page = client.get(f"/personale/udgivelser/{world.second.id}")
        assert page.status_code == 200 and "under embargo" in page.text
        assert client.get("/v1/tables").json()[0]["latestPeriod"] == "2024"  # the public view
    finally:
        client.delete("/api/v1/session", headers={"X-CSRF-Token": login.json().get("csrf", "")})
        client.cookies.clear()
