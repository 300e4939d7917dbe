"""The delivery API through the real app (SPEC §13, R-IN-1..6, R-REL-3): upload, idempotency,
every 4xx reason, 413 with and without Content-Length."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.accounts.helpers import (
    CHILD_101,
    GENBRUG_HEADER,
    Site,
    handbu_csv,
    make_site,
)

from handistat.app import App
from handistat.stores.catalogue import AuditEvent, Delivery

CSV = {"Content-Type": "text/csv"}
JSON = {"Content-Type": "application/json"}
GOOD = f"101;r1;{CHILD_101};SEL32;2023-01-01;;"


@pytest.fixture
def site(app: App) -> Site:
    return make_site(app)


@pytest.fixture
def vendor(site: Site) -> TestClient:
    return site.client("token_egen")


def test_csv_delivery_is_stored_and_answered_with_the_report(vendor: TestClient) -> None:
    r = vendor.post("/api/v1/leverancer/handbu", content=handbu_csv(GOOD), headers=CSV)
    assert r.status_code == 201
    report = r.json()
    assert (report["outcome"], report["rows_accepted"]) == ("accepted", 1)
    assert r.headers["location"] == f"/api/v1/leverancer/{report['delivery_id']}"
    assert report["sender"].startswith("system:fagsystem 101")
    got = vendor.get(r.headers["location"])
    assert got.status_code == 200
    assert got.json()["rapport"]["sha256"] == report["sha256"]
    assert got.json()["kanal"] == "api"
    raw = vendor.get(r.headers["location"] + "/fil")
    assert raw.content == handbu_csv(GOOD)


def test_same_bytes_twice_is_200_with_duplicate_of(vendor: TestClient, app: App) -> None:
    first = vendor.post("/api/v1/leverancer/handbu", content=handbu_csv(GOOD), headers=CSV)
    again = vendor.post("/api/v1/leverancer/handbu", content=handbu_csv(GOOD), headers=CSV)
    assert again.status_code == 200
    assert again.json()["duplicate_of"] == first.json()["delivery_id"]
    with app.catalogue.session() as s:
        assert s.query(Delivery).count() == 1


def test_partially_accepted_lists_the_rejected_rows(vendor: TestClient) -> None:
    body = handbu_csv(GOOD, f"101;r2;{CHILD_101};SEL99;2023-01-01;;")
    r = vendor.post("/api/v1/leverancer/handbu", content=body, headers=CSV)
    assert r.status_code == 201
    assert r.json()["outcome"] == "partially_accepted"
    assert [(e["row"], e["code"]) for e in r.json()["errors"]] == [(3, "UNKNOWN_CODE")]


def test_rows_of_another_municipality_are_rejected_row_by_row(vendor: TestClient) -> None:
    body = handbu_csv(GOOD, f"147;r2;{CHILD_101};SEL32;2023-01-01;;")
    r = vendor.post("/api/v1/leverancer/handbu", content=body, headers=CSV)
    assert r.status_code == 201
    assert [e["code"] for e in r.json()["errors"]] == ["KOMMUNE_NOT_ALLOWED"]


def test_json_delivery(vendor: TestClient) -> None:
    body = {
        "kommune": "101",
        "records": [
            {"indsats_id": "j1", "cpr": CHILD_101, "paragraf": "SEL32", "startdato": "2023-01-01"}
        ],
    }
    r = vendor.post("/api/v1/leverancer/handbu", content=json.dumps(body), headers=JSON)
    assert r.status_code == 201
    assert r.json()["outcome"] == "accepted"
    assert vendor.get(f"/api/v1/leverancer/{r.json()['delivery_id']}").json()["kommune"] == "101"


def test_json_for_another_municipality_is_403(vendor: TestClient) -> None:
    body = {"kommune": "147", "records": []}
    r = vendor.post("/api/v1/leverancer/handbu", content=json.dumps(body), headers=JSON)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "NOT_AUTHORISED"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "EMPTY"),
        (b"\xff\xfe\x00garbage", "NOT_UTF8"),
        (b"kommune,indsats_id\n101,x\n", "WRONG_DELIMITER"),
        (b"kommune;indsats_id\n101;x\n", "BAD_HEADER"),
        (b"\x00\x01\x02binary\x89PNG", "NOT_UTF8"),
        (b"\x00\x01\x02binary", "BAD_HEADER"),
    ],
)
def test_unreadable_bodies_are_422_with_the_reason(
    vendor: TestClient, body: bytes, code: str
) -> None:
    r = vendor.post("/api/v1/leverancer/handbu", content=body, headers=CSV)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "DELIVERY_REJECTED"
    assert error["details"]["code"] == code
    assert error["details"]["report"]["outcome"] == "rejected"


def test_bad_json_is_422(vendor: TestClient) -> None:
    r = vendor.post("/api/v1/leverancer/handbu", content=b"{not json", headers=JSON)
    assert r.status_code == 422
    assert r.json()["error"]["details"]["code"] == "BAD_JSON"


def test_declared_size_over_the_limit_is_413_before_reading(site: Site) -> None:
    site.app.settings.max_body_bytes = 1000
    client = site.client("token_egen")
    r = client.post("/api/v1/leverancer/handbu", content=b"x" * 2000, headers=CSV)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_chunked_body_over_the_limit_is_413_without_content_length(site: Site) -> None:
    site.app.settings.max_body_bytes = 1000

    def body() -> Iterator[bytes]:
        for _ in range(50):
            yield b"y" * 100

    client = site.client("token_egen")
    r = client.post("/api/v1/leverancer/handbu", content=body(), headers=CSV)
    assert r.status_code == 413
    assert not list((site.app.settings.raw_zone / "tmp").glob("*")), "no partial file left"


def test_json_over_the_limit_is_413(site: Site) -> None:
    site.app.settings.max_body_bytes = 100

    def body() -> Iterator[bytes]:
        yield b'{"kommune": "101", "records": [' + b" " * 200 + b"]}"

    r = site.client("token_egen").post("/api/v1/leverancer/handbu", content=body(), headers=JSON)
    assert r.status_code == 413


def test_no_or_bad_token_is_401(site: Site) -> None:
    anonymous = site.client()
    assert anonymous.post("/api/v1/leverancer/handbu", content=handbu_csv(GOOD)).status_code == 401
    anonymous.headers["Authorization"] = "Bearer hst_not-a-token"
    r = anonymous.post("/api/v1/leverancer/handbu", content=handbu_csv(GOOD))
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "NOT_AUTHENTICATED"


def test_unsupported_media_type_is_415(vendor: TestClient) -> None:
    r = vendor.post(
        "/api/v1/leverancer/handbu", content=b"<xml/>", headers={"Content-Type": "application/xml"}
    )
    assert r.status_code == 415


def test_kommune_parameter_narrows_and_is_checked(vendor: TestClient) -> None:
    assert (
        vendor.post(
            "/api/v1/leverancer/handbu?kommune=147", content=handbu_csv(GOOD), headers=CSV
        ).status_code
        == 403
    )
    assert (
        vendor.post(
            "/api/v1/leverancer/handbu?kommune=999", content=handbu_csv(GOOD), headers=CSV
        ).status_code
        == 400
    )


GENBRUG_ROW = "101;101;u1;1001;0505500001;;2024-01-05;"


def genbrug(
    client: TestClient,
    kommune: str = "101",
    system: str = "Hjælpemiddelsystem",
    date: str = "2026-01-31",
    body: bytes | None = None,
) -> object:
    content = body if body is not None else f"{GENBRUG_HEADER}\n{GENBRUG_ROW}\n".encode()
    return client.post(
        "/api/v1/leverancer/genbrug",
        content=content,
        headers=CSV,
        params={"indberetningskommune": kommune, "kildesystem": system, "udtraeksdato": date},
    )


def test_genbrug_full_load(vendor: TestClient) -> None:
    r = genbrug(vendor)
    assert r.status_code == 201, r.text  # type: ignore[attr-defined]
    report = r.json()  # type: ignore[attr-defined]
    assert report["header"] == {
        "indberetningskommune": "101",
        "kildesystem": "Hjælpemiddelsystem",
        "udtraeksdato": "2026-01-31",
    }
    got = vendor.get(f"/api/v1/leverancer/{report['delivery_id']}").json()
    assert (got["kommune"], got["kildesystem"]) == ("101", "Hjælpemiddelsystem")


def test_genbrug_rows_must_match_the_header(vendor: TestClient) -> None:
    body = f"{GENBRUG_HEADER}\n147;147;u1;1001;0505500001;;2024-01-05;\n".encode()
    r = genbrug(vendor, body=body)
    assert r.status_code == 422  # type: ignore[attr-defined]
    codes = {e["code"] for e in r.json()["error"]["details"]["report"]["errors"]}  # type: ignore[attr-defined]
    assert "KOMMUNE_NOT_HEADER" in codes


@pytest.mark.parametrize(
    ("kommune", "system", "date", "status"),
    [
        ("147", "X", "2026-01-31", 403),
        ("999", "X", "2026-01-31", 400),
        ("1O1", "X", "2026-01-31", 400),
        ("101", "X" * 65, "2026-01-31", 400),
        ("101", "X", "31-01-2026", 400),
        ("101", "X", "2026-02-30", 400),
    ],
)
def test_genbrug_header_fields_are_validated(
    vendor: TestClient, kommune: str, system: str, date: str, status: int
) -> None:
    r = genbrug(vendor, kommune, system, date)
    assert r.status_code == status  # type: ignore[attr-defined]
    assert "error" in r.json()  # type: ignore[attr-defined]


def test_listing_is_paged_and_only_own(site: Site) -> None:
    own, other = site.client("token_egen"), site.client("token_anden")
    for i in range(3):
        own.post(
            "/api/v1/leverancer/handbu",
            headers=CSV,
            content=handbu_csv(f"101;r{i};{CHILD_101};SEL32;2023-01-01;;"),
        )
    other.post(
        "/api/v1/leverancer/handbu",
        headers=CSV,
        content=handbu_csv(f"147;x;{CHILD_101};SEL32;2023-01-01;;"),
    )
    page = own.get("/api/v1/leverancer", params={"antal": 2, "side": 1}).json()
    assert (page["total"], len(page["leverancer"])) == (3, 2)
    assert [d["id"] for d in page["leverancer"]] == [3, 2]
    assert (
        own.get("/api/v1/leverancer", params={"antal": 2, "side": 2}).json()["leverancer"][0]["id"]
        == 1
    )
    assert other.get("/api/v1/leverancer").json()["total"] == 1
    staff = site.client("personale").get("/api/v1/leverancer").json()
    assert staff["total"] == 4


def test_another_municipalitys_delivery_is_404_like_a_missing_one(site: Site) -> None:
    r = site.client("token_egen").post(
        "/api/v1/leverancer/handbu", content=handbu_csv(GOOD), headers=CSV
    )
    delivery_id = r.json()["delivery_id"]
    other = site.client("token_anden")
    missing = other.get("/api/v1/leverancer/999")
    theirs = other.get(f"/api/v1/leverancer/{delivery_id}")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["code"] == missing.json()["error"]["code"]
    assert other.get(f"/api/v1/leverancer/{delivery_id}/fil").status_code == 404


def test_repeat_of_someone_elses_bytes_reveals_no_details(site: Site) -> None:
    body = handbu_csv(f"147;x;{CHILD_101};SEL32;2023-01-01;;")
    site.client("token_anden").post("/api/v1/leverancer/handbu", content=body, headers=CSV)
    r = site.client("token_egen").post("/api/v1/leverancer/handbu", content=body, headers=CSV)
    # R-IN-5: no row in 101's scope is 403; R-IN-2: the other municipality's delivery is
    # neither a duplicate for 101 nor mentioned in the answer
    assert r.status_code == 403
    report = r.json()["error"]["details"]["report"]
    assert report.get("duplicate_of") is None and "fagsystem 147" not in r.text


def test_session_callers_need_the_csrf_header(site: Site) -> None:
    client = site.client("sag_egen")
    del client.headers["X-CSRF-Token"]
    r = client.post("/api/v1/leverancer/handbu", content=handbu_csv(GOOD), headers=CSV)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "CSRF_FAILED"
    client.headers["X-CSRF-Token"] = client.csrf  # type: ignore[attr-defined]
    assert (
        client.post("/api/v1/leverancer/handbu", content=handbu_csv(GOOD), headers=CSV).status_code
        == 201
    )


def test_every_delivery_is_in_the_audit_log(vendor: TestClient, app: App) -> None:
    vendor.post("/api/v1/leverancer/handbu", content=handbu_csv(GOOD), headers=CSV)
    vendor.post("/api/v1/leverancer/handbu", content=handbu_csv(GOOD), headers=CSV)
    with app.catalogue.session() as s:
        actions = [e.action for e in s.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["delivery.received", "delivery.repeated"]


def test_openapi_describes_the_delivery_endpoints(vendor: TestClient) -> None:
    paths = vendor.get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/leverancer/handbu",
        "/api/v1/leverancer/genbrug",
        "/api/v1/godkendelser",
    } <= set(paths)
