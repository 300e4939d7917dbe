"""Portal uploads stop at the size limit while streaming and answer 413 in Danish (issue 13
item 8; R-IN-6, R-REL-3): nothing is read past the limit and nothing is left in the raw zone."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from handistat.app import App
from handistat.web.upload_limit import MULTIPART_MARGIN
from tests.accounts.helpers import Site, load_people, make_site
from tests.security.test_hostile_intake import blobs_without_row

LIMIT = 1000
CHUNK = 16 * 1024
PART_HEAD = (
    b'--b\r\nContent-Disposition: form-data; name="fil"; filename="a.csv"\r\n'
    b"Content-Type: text/csv\r\n\r\n"
)


def run_apart(coroutine: Coroutine[Any, Any, None]) -> None:
    """`asyncio.run` on a thread of its own. The browser tests' Playwright keeps an event loop
    running in the main thread for the whole session, and under pytest-xdist this test can
    follow them in the same worker ("asyncio.run() cannot be called from a running event
    loop"; CI of 2026-12-03)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def site(app: App, tmp_path: Path) -> Site:
    load_people(app, tmp_path / "pop")
    app.settings.max_body_bytes = LIMIT
    return make_site(app)


def raw_files(app: App) -> list[Path]:
    return [p for p in app.settings.raw_zone.rglob("*") if p.is_file()]


def test_an_upload_over_the_limit_is_413_in_danish(site: Site) -> None:
    officer = site.client("sag_egen")
    data = {"csrf": officer.csrf, "kommune": "101", "statistik": "handbu"}  # type: ignore[attr-defined]
    big = b"kommune;indsats_id\n" + b"101;x\n" * 40_000  # 240 KB, over LIMIT + margin
    r = officer.post("/portal/upload", data=data, files={"fil": ("stor.csv", big, "text/csv")})
    assert r.status_code == 413
    assert "Filen er for stor" in r.text and 'lang="da"' in r.text
    assert "larger than" not in r.text
    assert raw_files(site.app) == [] and blobs_without_row(site.app) == []


def test_a_file_just_over_the_limit_is_refused_in_danish(site: Site) -> None:
    """Inside the multipart margin: the raw zone refuses it; the report says so in Danish."""
    officer = site.client("sag_egen")
    data = {"csrf": officer.csrf, "kommune": "101", "statistik": "handbu"}  # type: ignore[attr-defined]
    body = b"kommune;indsats_id\n" + b"101;x\n" * 400  # 2.4 KB
    r = officer.post("/portal/upload", data=data, files={"fil": ("lidt.csv", body, "text/csv")})
    assert "større end grænsen på 1.000 byte" in r.text and "larger than" not in r.text
    assert blobs_without_row(site.app) == []


def test_a_chunked_upload_stops_being_read_at_the_limit(site: Site) -> None:
    """No Content-Length: the body is counted as it arrives; reading stops past the limit."""
    pulled = 0
    total_chunks = 1000  # 16 MB offered
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        nonlocal pulled
        pulled += 1
        body = PART_HEAD if pulled == 1 else b"x" * CHUNK
        return {"type": "http.request", "body": body, "more_body": pulled < total_chunks}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/portal/upload",
        "raw_path": b"/portal/upload",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"multipart/form-data; boundary=b"), (b"host", b"t")],
        "client": ("127.0.0.1", 1),
        "server": ("t", 80),
    }
    run_apart(site.api(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 413
    assert pulled <= 2 + (LIMIT + MULTIPART_MARGIN) // CHUNK  # not the 1000 chunks offered
    assert "Filen er for stor" in b"".join(m.get("body", b"") for m in sent).decode()  # type: ignore[misc]
    assert raw_files(site.app) == []


def test_the_form_is_still_received_under_the_limit(site: Site) -> None:
    officer = site.client("sag_egen")
    data = {"csrf": officer.csrf, "kommune": "101", "statistik": "handbu"}  # type: ignore[attr-defined]
    body = b"kommune;indsats_id;cpr;paragraf;startdato;slutdato;status\n"
    r = officer.post("/portal/upload", data=data, files={"fil": ("lille.csv", body, "text/csv")})
    assert r.status_code == 200 and "Modtagelsesrapport" in r.text
