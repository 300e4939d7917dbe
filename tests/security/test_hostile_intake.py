"""Hostile delivery bodies through the real app (issue 13 items 7, 8; R-IN-3, R-IN-6, R-REL-3).

Each one must be a 4xx with a Danish reason, and must leave no raw blob without its catalogue
row (a rejected delivery is recorded like any other).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from handistat.app import App
from handistat.stores.catalogue import Delivery
from tests.accounts.helpers import Site, make_site

CSV = {"Content-Type": "text/csv"}
JSON = {"Content-Type": "application/json"}
URL = "/api/v1/leverancer/handbu"


@pytest.fixture
def site(app: App) -> Site:
    return make_site(app)


@pytest.fixture
def vendor(site: Site) -> TestClient:
    return site.client("token_egen")


def blobs_without_row(app: App) -> list[str]:
    """Raw-zone files (not temporary ones) that no catalogue row names."""
    root = app.settings.raw_zone
    on_disk = {p.name for p in root.glob("??/*") if p.is_file()}
    with app.catalogue.session() as s:
        recorded = set(s.scalars(select(Delivery.sha256)))
    return sorted(on_disk - recorded)


def rejected(vendor: TestClient, app: App, body: bytes, headers: dict[str, str]) -> dict[str, str]:
    start = time.perf_counter()
    response = vendor.post(URL, content=body, headers=headers)
    assert time.perf_counter() - start < 10
    assert response.status_code == 422, response.text[:300]
    assert blobs_without_row(app) == []
    error: dict[str, str] = response.json()["error"]
    return error


def test_a_million_header_columns(vendor: TestClient, app: App) -> None:  # item 7
    body = b";".join(b"c%d" % i for i in range(1_000_000)) + b"\n101;a\n"
    error = rejected(vendor, app, body, CSV)
    assert "overskriften" in error["message"] and "64 KB" in error["message"]


def test_eight_thousand_header_columns(vendor: TestClient, app: App) -> None:  # item 7
    body = b";".join(b"c%d" % i for i in range(8000)) + b"\n" + b";" * 7999 + b"\n"
    assert len(body.split(b"\n")[0]) < 64 * 1024
    error = rejected(vendor, app, body, CSV)
    assert "8000 kolonner" in error["message"]


def test_a_header_over_64_kb(vendor: TestClient, app: App) -> None:  # items 7, 8
    body = b"kommune;" + b"x" * 70_000 + b"\n101;a\n"
    error = rejected(vendor, app, body, CSV)
    assert error["details"]["report"]["code"] == "HEADER_TOO_LONG"  # type: ignore[index]


def test_json_nested_three_thousand_deep(vendor: TestClient, app: App) -> None:  # item 8
    body = b'{"records": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    error = rejected(vendor, app, body, JSON)
    assert "indlejret for dybt" in error["message"]


def test_json_record_nested_two_thousand_deep(vendor: TestClient, app: App) -> None:  # item 8
    body = b'{"kommune": "101", "records": [{"x": ' + b'{"a": ' * 2000 + b"1" + b"}" * 2001 + b"]}"
    rejected(vendor, app, body, JSON)


def test_a_five_thousand_digit_number(vendor: TestClient, app: App) -> None:  # item 8
    body = b'{"kommune": "101", "records": [{"indsats_id": ' + b"7" * 5000 + b"}]}"
    error = rejected(vendor, app, body, JSON)
    assert error["details"]["report"]["code"] == "BAD_JSON"  # type: ignore[index]


def test_json_with_thousands_of_fields(vendor: TestClient, app: App) -> None:  # item 7
    fields = ", ".join(f'"f{i}": "x"' for i in range(5000))
    body = ('{"kommune": "101", "records": [{' + fields + "}]}").encode()
    error = rejected(vendor, app, body, JSON)
    assert "kolonner" in error["message"]


def test_the_cli_path_refuses_the_same(app: App, tmp_path: Path) -> None:  # item 7
    from handistat.errors import DeliveryRejected
    from handistat.intake.policies import HANDBU_POLICY
    from handistat.intake.service import Sender

    body = b";".join(b"c%d" % i for i in range(8000)) + b"\n"
    with pytest.raises(DeliveryRejected, match="8000 kolonner"):
        app.intake.receive(HANDBU_POLICY, [body], Sender("cli", None))
    assert blobs_without_row(app) == []
