"""R-PERF-4: GET and POST under /v1/ skip FastAPI's routing (`statbank.FastPath`) but answer
exactly as the routed endpoints did: the same bodies, the security headers of the outer
middleware, FastAPI's envelope for other methods, the OpenAPI description unchanged."""

from __future__ import annotations

import time

from starlette.routing import Router
from tests.api.statbank_fixture import Published, published
from tests.release.scenario import local

from handistat.api import statbank
from handistat.api.cache import Recent

__all__ = ["published"]


def test_fast_path_serves_v1_with_the_outer_headers(published: Published) -> None:
    client = published.client
    url = "/v1/data/handbu01/csv?indsatser=110&tid=*&valuePresentation=code"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/csv")
    assert "content-security-policy" in first.headers  # SecurityHeaders wraps the fast path
    body = {"table": "HANDBU01", "format": "CSV", "variables": [{"code": "tid", "values": ["*"]}]}
    body["variables"].append({"code": "indsatser", "values": ["110"]})  # type: ignore[attr-defined]
    posted = client.post("/v1/data", json=body)
    assert posted.status_code == 200 and posted.text.startswith("INDSATSER")
    unknown = client.get("/v1/nope")
    assert unknown.status_code == 404 and unknown.json()["errorTypeCode"] == "REQUEST-NOTFOUND"


def test_other_methods_still_reach_fastapi(published: Published) -> None:
    response = published.client.put("/v1/data/HANDBU01/CSV")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_fast_path_has_every_routed_path() -> None:
    routed = {
        (route.path, method)  # type: ignore[attr-defined]
        for route in statbank.router.routes
        for method in route.methods or ()  # type: ignore[attr-defined]
    }
    fast = statbank.FastPath(app=lambda *_: None)  # type: ignore[arg-type]
    assert isinstance(fast.router, Router)
    paths = {(route.path, m) for route in fast.router.routes for m in route.methods or ()}  # type: ignore[attr-defined]
    assert {(p, m) for p, m in routed if m in ("GET", "POST")} <= paths


def test_a_repeat_is_answered_from_the_recent_resolution(published: Published) -> None:
    client = published.client
    url = "/v1/data/HANDBU01/CSV?indsatser=110&tid=*"
    first, second = client.get(url), client.get(url)  # the second: `_recent_answer`
    assert second.content == first.content and second.headers["etag"] == first.headers["etag"]
    assert second.headers["statbankapi-request-id"] != first.headers["statbankapi-request-id"]
    assert second.headers["cache-control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_recent_forgets_after_its_time_and_when_full() -> None:
    recent = Recent[str](seconds=0.05, limit=2)
    recent.put("a", "x")
    assert recent.get("a") == "x" and recent.get("b") is None
    time.sleep(0.06)
    assert recent.get("a") is None
    recent.put("a", "x")
    recent.put("b", "y")
    recent.put("c", "z")  # full: starts over
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (None, None, "z")


def test_a_repeat_across_eight_oclock_shows_the_new_release(published: Published) -> None:
    """R-PUB-2 with the repeat path: the same request at 07:59 and, at once, at 08:00 (the
    second release's time) answers the old and then the new figures."""
    client = published.client
    url = "/v1/data/HANDBU01/CSV?indsatser=110&tid=*&valuePresentation=code"
    published.clock.at = local("2026-09-30T07:59")
    try:
        before = client.get(url).text
        assert client.get(url).text == before  # a repeat: from `Recent`
        published.clock.at = local("2026-09-30T08:00")
        after = client.get(url).text
    finally:
        published.clock.at = local("2026-10-01T12:00")
    assert "110;2025;" not in before and "110;2025;" in after
