"""No full CPR number in any message, report, stored report or log line (issue 13 item 10;
R-CPR-5, R-IN-3, R-SEC-2). Deliveries go through the real app; the access log through uvicorn.

The CPR numbers here are made up (valid in form only).
"""

from __future__ import annotations

import json
import logging
import threading
import time

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select

from handistat.api.app import create_app
from handistat.app import App
from handistat.masking import CprMaskingFilter, mask_cpr, mask_deep
from handistat.stores.catalogue import Delivery
from tests.accounts.helpers import GENBRUG_HEADER, Site, handbu_csv, make_site
from tests.api.live_server import free_port

CSV = {"Content-Type": "text/csv"}
URL = "/api/v1/leverancer/handbu"
SERIAL = "6478"
WRITINGS = ("2610166478", "261016-6478", "261016 6478", "26.10.16-6478", "261016\u20136478")


@pytest.fixture
def site(app: App) -> Site:
    return make_site(app)


@pytest.fixture
def vendor(site: Site) -> TestClient:
    return site.client("token_egen")


def stored_reports(app: App) -> str:
    with app.catalogue.session() as s:
        return json.dumps([d.report for d in s.scalars(select(Delivery))], ensure_ascii=False)


def assert_no_cpr(app: App, *texts: str) -> None:
    for text in (*texts, stored_reports(app)):
        assert SERIAL not in text, text[:500]
        assert "261016-****" in text or "****" in text or not text


@pytest.mark.parametrize("written", WRITINGS)
def test_mask_cpr_every_writing(written: str) -> None:
    assert mask_cpr(f"x {written} y") == "x 261016-**** y"


def test_dates_and_other_numbers_are_left_alone() -> None:
    for text in ("2023-01-01", "2024-01-01;2024-12-31", "12345678901", "row 12 of 1000"):
        assert mask_cpr(text) == text
    assert mask_deep({"k": ["2610166478", 3]}) == {"k": ["261016-****", 3]}


def test_header_less_file_found_columns(vendor: TestClient, app: App) -> None:
    body = f"101;a1;{WRITINGS[0]};SEL32;2025-01-01;;\n".encode()
    response = vendor.post(URL, content=body, headers=CSV)
    assert response.status_code == 422
    report = response.json()["error"]["details"]["report"]
    assert "261016-****" in report["found_columns"]
    assert_no_cpr(app, response.text)


def test_unknown_column_named_by_a_cpr(vendor: TestClient, app: App) -> None:
    body = handbu_csv("101;a1;0101104002;SEL32;2025-01-01;;;x").replace(
        b"status\n", b"status;2610166478\n"
    )
    response = vendor.post(URL, content=body, headers=CSV)
    assert response.status_code in {201, 422}
    assert "261016-****" in response.text
    assert_no_cpr(app, response.text)


def test_repeated_column_named_by_a_cpr(vendor: TestClient, app: App) -> None:
    body = handbu_csv().replace(b"status\n", b"status;2610166478;2610166478\n")
    response = vendor.post(URL, content=body, headers=CSV)
    assert response.status_code == 422
    assert_no_cpr(app, response.text)


def test_repeated_key_holding_a_cpr(vendor: TestClient, app: App) -> None:
    rows = "\n".join(
        f"101;101;{written};1001;0101104002;;2024-01-05;" for written in ("2610166478",) * 2
    )
    response = vendor.post(
        "/api/v1/leverancer/genbrug",
        content=f"{GENBRUG_HEADER}\n{rows}\n".encode(),
        headers=CSV,
        params={"indberetningskommune": "101", "kildesystem": "S", "udtraeksdato": "2026-01-31"},
    )
    assert response.status_code == 422
    assert "DUPLICATE_ID" in response.text
    assert_no_cpr(app, response.text)


@pytest.mark.parametrize("written", WRITINGS[2:])
def test_cpr_written_with_spaces_dots_and_dashes(
    vendor: TestClient, app: App, written: str
) -> None:
    response = vendor.post(URL, content=handbu_csv(f"101;a1;{written};SEL32;2025-01-01;;"))
    assert response.status_code == 422 and "INVALID_CPR" in response.text
    assert_no_cpr(app, response.text)


def test_error_message_of_any_handistat_error_is_masked() -> None:
    from handistat.errors import DeliveryRejected

    exc = DeliveryRejected("nøglen 101/2610166478 står to gange", details={"v": ["2610166478"]})
    assert SERIAL not in exc.message and SERIAL not in str(exc) and SERIAL not in str(exc.details)


def test_access_log_of_a_search_for_a_cpr(app: App) -> None:
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(
        uvicorn.logging.AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s')
    )
    access = logging.getLogger("uvicorn.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    port = free_port()
    config = uvicorn.Config(
        create_app(app), host="127.0.0.1", port=port, log_config=None, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        for query in (
            "q=261016%206478",
            "q=2610166478",
            "q=26.10.16-6478",
            "q=261016%E2%80%936478",
        ):
            httpx.get(f"http://127.0.0.1:{port}/statistikbanken?{query}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        access.removeHandler(handler)
    assert len(lines) == 4 and all("/statistikbanken?q=261016-****" in line for line in lines)
    assert not any(SERIAL in line for line in lines)


def test_the_filter_keeps_uvicorn_arguments_in_place() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/x?cpr=261016+6478", "1.1", 200),
        None,
    )
    CprMaskingFilter().filter(record)
    assert record.getMessage() == '127.0.0.1:5 - "GET /x?cpr=261016-**** HTTP/1.1" 200'
