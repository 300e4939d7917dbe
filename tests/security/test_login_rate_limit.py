"""The login rate limit under a concurrent burst and with forged forwarding headers
(issue 13 item 12; R-SEC-3). Through the real app, 24 threads at once."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from handistat.accounts.client import client_address, networks
from handistat.app import App
from handistat.settings import load_settings
from tests.accounts.helpers import PASSWORD, Site, make_site

URL = "/api/v1/session"


@pytest.fixture
def site(app: App) -> Site:
    return make_site(app)


def _attempt(site: Site, password: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    with TestClient(site.api) as client:
        body = {"email": site.emails["sag_egen"], "password": password}
        return client.post(URL, json=body, headers=headers).status_code


def test_a_burst_of_24_wrong_passwords(site: Site) -> None:
    with ThreadPoolExecutor(24) as pool:
        statuses = Counter(pool.map(lambda _: _attempt(site, "forkert kodeord"), range(24)))
    assert statuses[401] <= 5 and statuses[429] >= 19 and sum(statuses.values()) == 24
    assert _attempt(site, PASSWORD) == 429  # the right password after the limit: no login


def test_a_right_password_inside_the_burst_never_beats_the_limit(site: Site) -> None:
    passwords = ["forkert kodeord"] * 12 + [PASSWORD] + ["forkert kodeord"] * 11
    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(lambda p: _attempt(site, p), passwords))
    checked = [s for s in statuses if s != 429]
    assert len(checked) <= 5  # at most five attempts were ever checked
    assert statuses.count(200) <= 1


def test_rotating_x_forwarded_for_does_not_reset_the_count(site: Site) -> None:
    statuses = [_attempt(site, "forkert kodeord", f"203.0.113.{i}") for i in range(8)]
    assert statuses == [401] * 5 + [429] * 3


def _request(peer: str, forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())]
    return Request({"type": "http", "client": (peer, 5000), "headers": headers})


def test_forwarded_for_only_from_a_trusted_proxy() -> None:
    proxies = networks(["10.0.0.0/8"])
    assert client_address(_request("198.51.100.7", "203.0.113.1"), proxies) == "198.51.100.7"
    assert client_address(_request("127.0.0.1", "203.0.113.1"), []) == "127.0.0.1"
    forged_then_real = "203.0.113.1, 198.51.100.9, 10.0.0.3"
    assert client_address(_request("10.0.0.2", forged_then_real), proxies) == "198.51.100.9"


def test_trusted_proxies_setting_is_validated() -> None:
    from handistat.errors import SettingsInvalid

    assert load_settings(trusted_proxies=["10.0.0.1", "fd00::/8"]).trusted_proxies
    with pytest.raises(SettingsInvalid, match="trusted_proxies"):
        load_settings(trusted_proxies=["nær proxyen"])
