"""Issue 12 item 8: one publisher setting names the source and the contact in Nyt, PX, XLSX,
JSON-stat and the API's tableinfo (R-API-1, R-PUB-4)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.release.scenario import MovableClock, local, two_releases

from handistat.api.app import create_app
from handistat.app import App
from handistat.publisher import Publisher
from handistat.settings import load_settings

OURS = {
    "name": "Testkontoret",
    "name_en": "The Test Office",
    "contact": "Kontoret for handicapstatistik",
    "phone": "+45 11 22 33 44",
    "mail": "handicap@test.example",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("publisher")
    settings = load_settings(data_dir=tmp / "data", publisher=OURS)
    application = App(settings, MovableClock(local("2026-10-01T12:00")))
    application.init()
    two_releases(application, tmp)
    with TestClient(create_app(application)) as test_client:
        yield test_client
    application.catalogue.dispose()


def test_settings_file_sets_the_publisher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "handistat.toml"
    config.write_text('[publisher]\nname = "Et kontor"\nmail = "a@b.example"\n', encoding="utf-8")
    monkeypatch.setenv("HANDISTAT_CONFIG", str(config))
    publisher = load_settings().publisher
    assert publisher == Publisher(name="Et kontor", mail="a@b.example")
    assert (
        publisher.contact_line()
        == "Danmarks Statistik, Sociale forhold, +45 39 17 39 17, a@b.example"
    )


def test_tableinfo_contacts(client: TestClient) -> None:
    info = client.get("/v1/tableinfo/HANDBU01").json()
    assert info["contacts"] == [
        {"name": OURS["contact"], "phone": OURS["phone"], "mail": OURS["mail"]}
    ]


def test_px_xlsx_and_jsonstat_name_the_publisher(client: TestClient) -> None:
    query = "INDSATSER=100&Tid=2025"
    px = client.get(f"/v1/data/HANDBU03/PX?{query}").content.decode("windows-1252")
    assert 'SOURCE="Testkontoret";' in px
    assert 'CONTACT="Kontoret for handicapstatistik, +45 11 22 33 44, handicap@test.example";' in px
    book = load_workbook(io.BytesIO(client.get(f"/v1/data/HANDBU03/XLSX?{query}").content))
    lines = [r[0] for r in book.worksheets[0].iter_rows(values_only=True) if r[0]]
    assert "Kilde: Testkontoret" in lines
    assert (
        "Kontakt: Kontoret for handicapstatistik, +45 11 22 33 44, handicap@test.example" in lines
    )
    assert book.properties.creator == "Testkontoret"
    stat = json.loads(client.get(f"/v1/data/HANDBU03/JSONSTAT?{query}&lang=en").content)
    assert stat["dataset"]["source"] == "The Test Office"
    stat2 = client.get(f"/v1/data/HANDBU03/JSONSTAT2?{query}").json()
    assert stat2["source"] == "Testkontoret"


def test_nyt_names_the_publisher(client: TestClient) -> None:
    article = client.get("/nyt/handbu-2024-1").text
    assert "Kilde: Testkontoret, udgivelse handbu-2024-1." in article
    assert "Kilde: handistat" not in article
