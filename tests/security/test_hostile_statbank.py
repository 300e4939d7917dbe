"""Hostile input to the public Statbank API and web statbank (issue 13 items 5, 6, 8; R-REL-3).

Every case goes through the real app and must answer 4xx (or a bounded 200) quickly, never
5xx. No login is needed for any of them, which is why they matter.
"""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from handistat.api.app import create_app
from handistat.api.cache import ResponseCache
from handistat.dissemination.selection import wildcard_match
from tests.api.statbank_fixture import Published, published

__all__ = ["published"]

STARS = "*" * 120 + "Z"


def _timed_get(client: TestClient, url: str) -> tuple[int, float]:
    start = time.perf_counter()
    status = client.get(url).status_code
    return status, time.perf_counter() - start


def test_many_stars_in_the_api_answer_fast(published: Published) -> None:  # item 5
    status, seconds = _timed_get(published.client, f"/v1/data/HANDBU01/CSV?Tid={STARS}")
    assert status == 400 and seconds < 1.0


def test_many_stars_below_the_cap_answer_fast(published: Published) -> None:  # item 5
    pattern = "*" * 99 + "Z"  # within the length cap: matched, linearly, to nothing
    status, seconds = _timed_get(published.client, f"/v1/data/HANDBU01/CSV?Tid={pattern}")
    assert status == 400 and seconds < 1.0  # EXTRACT-NOTFOUND: no values selected


def test_many_stars_on_the_web_statbank_page(published: Published) -> None:  # item 5
    status, seconds = _timed_get(published.client, f"/statistikbanken/HANDBU01/tabel?Tid={STARS}")
    assert status == 400 and seconds < 1.0


def test_wildcard_match_is_linear_and_exact() -> None:  # item 5
    start = time.perf_counter()
    assert not wildcard_match("*" * 5000 + "Z", "a" * 5000)
    assert not wildcard_match("*a" * 2000 + "*Z", "a" * 5000)
    assert time.perf_counter() - start < 0.5
    assert wildcard_match("20*K1", "2024k1") and not wildcard_match("20*K1", "2024K12")
    assert (
        wildcard_match("*", "") and wildcard_match("a*a", "aa") and not wildcard_match("a*a", "a")
    )
    assert wildcard_match("*K*K*", "xKyK") and not wildcard_match("*K*K*", "xK")


def test_superscript_digit_in_an_nth_rule(published: Published) -> None:  # item 8
    response = published.client.get("/v1/data/HANDBU01/CSV?Tid=(²)")
    assert response.status_code == 400
    assert response.json()["errorTypeCode"] == "EXTRACT-NOTFOUND"


def test_five_thousand_digits_in_an_nth_rule(published: Published) -> None:  # item 8
    response = published.client.get("/v1/data/HANDBU01/CSV?Tid=(" + "9" * 5000 + ")")
    assert response.status_code == 400


def test_nth_rule_with_a_huge_step(published: Published) -> None:  # item 8
    response = published.client.get("/v1/data/HANDBU01/CSV?Tid=(" + "9" * 40 + "n+1)")
    assert response.status_code == 400


def test_past_days_beyond_the_calendar(published: Published) -> None:  # item 8
    response = published.client.get("/v1/tables?pastDays=99999999999")
    assert response.status_code == 200 and response.json()  # "all", not an overflow
    assert published.client.get("/v1/tables?pastDays=-99999999999").status_code == 200


def test_json_nested_three_thousand_deep(published: Published) -> None:  # item 8
    body = "[" * 3000 + "]" * 3000
    for url in ("/v1/data", "/v1/tables", "/v1/tableinfo"):
        response = published.client.post(
            url, content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, url


def test_json_object_nested_two_thousand_deep(published: Published) -> None:  # item 8
    body = '{"table": "HANDBU01", "x": ' + '{"a": ' * 2000 + "1" + "}" * 2000 + "}"
    response = published.client.post(
        "/v1/data", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


def test_five_thousand_digit_number(published: Published) -> None:  # item 8
    body = '{"table": "HANDBU01", "variables": [{"code": "Tid", "values": [' + "7" * 5000 + "]}]}"
    response = published.client.post(
        "/v1/data", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


def test_post_body_over_the_limit_is_413(published: Published) -> None:  # item 6
    limit = published.app.settings.api_max_body_bytes
    body = b'{"table": "HANDBU01", "pad": "' + b"x" * limit + b'"}'
    response = published.client.post(
        "/v1/data", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and response.json()["errorTypeCode"] == "REQUEST-LIMIT"


def test_post_body_streamed_without_length_is_cut_at_the_limit(published: Published) -> None:
    limit = published.app.settings.api_max_body_bytes  # item 6: chunked, no Content-Length

    def chunks() -> object:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    response = published.client.post("/v1/data", content=chunks())  # type: ignore[arg-type]
    assert response.status_code == 413


def test_response_cache_is_bounded_in_bytes(published: Published) -> None:  # item 6
    published.app.settings.api_cache_bytes = 800  # bodies up to 200 bytes are kept
    sent = 0
    try:
        with TestClient(create_app(published.app)) as client:
            for order in ("ascending", "descending"):
                for variables in ("Tid=*", "Tid=2022,2023", "Tid=2024", "Tid=(1)", "Tid=(2)"):
                    url = f"/v1/data/HANDBU01/CSV?INDSATSER=*&{variables}&timeOrder={order}"
                    response = client.get(url)
                    assert response.status_code == 200
                    sent += len(response.content)
            cache = client.app.state.statbank_cache  # type: ignore[attr-defined]
            assert isinstance(cache, ResponseCache)
            assert sent > 1600 and 0 < cache.size_bytes <= 800
    finally:
        published.app.settings.api_cache_bytes = 64 * 1024**2


def test_response_cache_evicts_oldest_and_skips_big_bodies() -> None:  # item 6
    cache = ResponseCache(800)  # entries up to 200 bytes
    for key in "abcdefghij":
        cache.put(key, (b"x" * 100, "text/plain", {}))
    assert cache.size_bytes == 800 and cache.get("b") is None and cache.get("c") is not None
    cache.put("big", (b"x" * 201, "text/plain", {}))
    assert cache.get("big") is None and cache.size_bytes == 800
