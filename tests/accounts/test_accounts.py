"""R-SEC-3: argon2 passwords, hashed tokens, sessions, login rate limit, CSRF, security headers,
and an audit log without CPR numbers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from handistat.accounts.models import ApiToken, User
from handistat.accounts.resolve import accounts
from handistat.accounts.service import TooManyAttempts
from handistat.app import App
from handistat.clock import fixed_clock
from handistat.errors import NotAuthenticated
from handistat.stores.catalogue import AuditEvent
from tests.accounts.helpers import (
    CHILD_101,
    PASSWORD,
    UNKNOWN_101,
    Site,
    form_csrf,
    handbu_csv,
    make_site,
)

TEMPLATES = Path(__file__).parents[2] / "src" / "handistat" / "web" / "templates"


@pytest.fixture
def site(app: App) -> Site:
    return make_site(app)


def test_passwords_are_argon2_and_tokens_sha256(site: Site) -> None:
    with site.app.catalogue.session() as s:
        hashes = [u.password_hash or "" for u in s.query(User)]
        tokens = [t.token_hash for t in s.query(ApiToken)]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert all(re.fullmatch(r"[0-9a-f]{64}", t) for t in tokens)
    assert not set(tokens) & set(site.tokens.values())


def test_login_is_rate_limited_per_email_and_address(site: Site) -> None:
    acc = accounts(site.app)
    email = site.emails["sag_egen"]
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            acc.login(email, "forkert kodeord", "10.0.0.1")
    with pytest.raises(TooManyAttempts):
        acc.login(email, PASSWORD, "10.0.0.1")  # even the right password is refused now
    assert acc.login(email, PASSWORD, "10.0.0.2").account.email == email  # other address
    site.app.clock = fixed_clock(dt.datetime(2026, 3, 2, 9, 16, tzinfo=dt.UTC))
    later = accounts(site.app)
    assert later.login(email, PASSWORD, "10.0.0.1").account.email == email  # window passed


def test_rate_limit_over_http_is_429(site: Site) -> None:
    client = site.client()
    for _ in range(5):
        bad = client.post("/api/v1/session", json={"email": "sag@kommune101.dk", "password": "x"})
        assert bad.status_code == 401
    r = client.post("/api/v1/session", json={"email": "sag@kommune101.dk", "password": PASSWORD})
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "TOO_MANY_ATTEMPTS"


def test_sessions_expire_when_idle_and_end_at_logout(site: Site) -> None:
    client = site.client("sag_egen")
    assert client.get("/api/v1/session").status_code == 200
    site.app.clock = fixed_clock(dt.datetime(2026, 3, 2, 11, 30, tzinfo=dt.UTC))
    assert client.get("/api/v1/session").status_code == 401  # 2 h 30 min idle
    client = site.client("sag_egen")
    assert client.delete("/api/v1/session").status_code == 200
    assert client.get("/api/v1/session").status_code == 401


def test_revoked_token_is_refused(site: Site) -> None:
    client = site.client("token_egen")
    assert client.get("/api/v1/leverancer").status_code == 200
    token_id = accounts(site.app).tokens()[0]["id"]
    accounts(site.app).revoke_token(int(str(token_id)), "test")
    assert client.get("/api/v1/leverancer").status_code == 401


@pytest.mark.parametrize("path", ["/portal/login", "/api/v1/leverancer", "/personale", "/healthz"])
def test_security_headers_on_every_response(site: Site, path: str) -> None:
    r = site.client().get(path)
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    script = next(p for p in csp.split(";") if "script-src" in p)
    assert "unsafe-inline" not in script
    if path.startswith(("/portal", "/api/v1/leverancer", "/personale")):
        assert "unsafe-inline" not in csp and r.headers["cache-control"] == "no-store"


def test_templates_have_no_inline_scripts_or_styles() -> None:
    for path in [*TEMPLATES.glob("portal/*.html"), *TEMPLATES.glob("staff/*.html")]:
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "style=" not in text and "<style" not in text, path


def test_login_form_needs_its_csrf_cookie_and_never_redirects_away(site: Site) -> None:
    client = site.client()
    page = client.get("/portal/login")
    token = form_csrf(page.text)
    assert "httponly" in page.headers["set-cookie"].lower()
    stranger = site.client()
    r = stranger.post(
        "/portal/login", data={"email": "sag@kommune101.dk", "password": PASSWORD, "csrf": token}
    )
    assert r.status_code == 403
    r = client.post(
        "/portal/login",
        data={
            "email": "sag@kommune101.dk",
            "password": PASSWORD,
            "csrf": token,
            "next": "//evil.example/x",
        },
    )
    assert (r.status_code, r.headers["location"]) == (303, "/portal")
    cookie = r.headers["set-cookie"].lower()
    assert "handistat_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie


def test_wrong_password_on_the_form_says_so_without_revealing_the_user(site: Site) -> None:
    client = site.client()
    token = form_csrf(client.get("/portal/login").text)
    known = client.post(
        "/portal/login", data={"email": "sag@kommune101.dk", "password": "x", "csrf": token}
    )
    unknown = client.post(
        "/portal/login", data={"email": "nobody@x.dk", "password": "x", "csrf": token}
    )
    assert known.status_code == unknown.status_code == 401
    assert "forkert e-mail eller adgangskode" in known.text
    assert "forkert e-mail eller adgangskode" in unknown.text


def test_form_posts_without_the_session_csrf_token_are_refused(site: Site) -> None:
    client = site.client("sag_egen")
    del client.headers["X-CSRF-Token"]
    r = client.post("/portal/indberetning", data={"csrf": "forkert", "kommune": "101"})
    assert r.status_code == 403
    assert "CSRF" in r.text and r.headers["content-type"].startswith("text/html")


def test_the_audit_log_never_holds_a_cpr_number(site: Site) -> None:
    vendor = site.client("token_egen")
    vendor.post(
        "/api/v1/leverancer/handbu",
        headers={"Content-Type": "text/csv"},
        content=handbu_csv(f"101;a;{CHILD_101};SEL99;2023-01-01;;"),
    )
    officer = site.client("sag_egen")
    officer.post(
        "/portal/indberetning",
        data={
            "csrf": officer.csrf,
            "kommune": "101",
            "indsats_id": UNKNOWN_101,  # type: ignore[attr-defined]
            "cpr": UNKNOWN_101,
            "paragraf": "SEL32",
            "startdato": "2025-01-01",
        },
    )
    with site.app.catalogue.session() as s:
        logged = " ".join(f"{e.actor} {e.subject} {e.details}" for e in s.query(AuditEvent))
    for cpr in (CHILD_101, UNKNOWN_101):
        assert cpr not in logged and f"{cpr[:6]}-{cpr[6:]}" not in logged, logged
    assert f"{UNKNOWN_101[:6]}-****" in logged  # the record's id, masked like a CPR
