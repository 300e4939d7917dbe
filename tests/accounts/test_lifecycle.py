"""Account lifecycle (R-SEC-3, issue 13 item 14): deactivate, reset the password, remove a
municipality; through the real CLI and the staff pages, each audit-logged."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from handistat.accounts.resolve import SESSION_COOKIE, accounts
from handistat.api.app import create_app
from handistat.app import App
from handistat.stores.catalogue import AuditEvent
from tests.accounts.helpers import PASSWORD, Site, form_csrf, handbu_csv, make_site
from tests.accounts.test_cli_accounts import data_dir, run, stores

__all__ = ["data_dir"]
EMAIL = "sag@kommune101.dk"
CSV = {"Content-Type": "text/csv"}


def _actions(application: App) -> list[tuple[str, str, str]]:
    with application.catalogue.session() as s:
        return [(e.actor, e.action, e.subject) for e in s.scalars(select(AuditEvent))]


def _officer_with_token(data_dir: Path) -> tuple[TestClient, str]:
    """A case officer for 101 and 147 logged in over HTTP, and a token they own."""
    add = ("user", "add", EMAIL, "--rolle", "sagsbehandler", "--kommune", "101", "--kommune")
    assert run(data_dir, *add, "147", "--password-stdin", stdin=f"{PASSWORD}\n")[0] == 0
    _, out, _ = run(data_dir, "token", "create", "--kommune", "101", "--eier", EMAIL)
    client = TestClient(create_app(stores(data_dir)))
    assert client.post("/api/v1/session", json={"email": EMAIL, "password": PASSWORD}).is_success
    return client, out.splitlines()[-1]


def test_deactivate_ends_sessions_and_owned_tokens(data_dir: Path) -> None:
    client, token = _officer_with_token(data_dir)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/session").status_code == 200
    assert client.get("/api/v1/leverancer", headers=bearer).status_code == 200
    code, out, _ = run(data_dir, "user", "deactivate", EMAIL)
    assert code == 0 and "1 sessioner afsluttet, 1 tokens tilbagekaldt" in out
    assert client.get("/api/v1/session").status_code == 401
    assert client.get("/api/v1/leverancer", headers=bearer).status_code == 401
    login = client.post("/api/v1/session", json={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 401
    assert ("cli", "user.deactivated", EMAIL) in _actions(stores(data_dir))
    assert "(spærret)" in run(data_dir, "user", "list")[1]


def test_reset_password_prints_a_new_one_and_ends_sessions(data_dir: Path) -> None:
    client, _ = _officer_with_token(data_dir)
    code, out, _ = run(data_dir, "user", "reset-password", EMAIL)
    new = out.strip().splitlines()[-1]
    assert code == 0 and len(new) == 20 and new != PASSWORD
    assert client.get("/api/v1/session").status_code == 401
    old = client.post("/api/v1/session", json={"email": EMAIL, "password": PASSWORD})
    assert old.status_code == 401
    assert client.post("/api/v1/session", json={"email": EMAIL, "password": new}).is_success
    assert ("cli", "user.password_reset", EMAIL) in _actions(stores(data_dir))


def test_remove_scope_takes_effect_on_the_next_request(data_dir: Path) -> None:
    client, _ = _officer_with_token(data_dir)
    assert client.get("/api/v1/session").json()["kommuner"] == ["101", "147"]
    code, out, _ = run(data_dir, "user", "remove-scope", EMAIL, "--kommune", "147")
    assert code == 0 and "har nu kommune 101" in out
    assert client.get("/api/v1/session").json()["kommuner"] == ["101"]
    csrf = {"X-CSRF-Token": client.get("/api/v1/session").json()["csrf"], **CSV}
    delivery = handbu_csv("147;a;1506154001;SEL32;2023-01-01;;")
    url = "/api/v1/leverancer/handbu?kommune=147"
    assert client.post(url, content=delivery, headers=csrf).status_code == 403
    code, _, err = run(data_dir, "user", "remove-scope", EMAIL, "--kommune", "101")
    assert code == 2 and "eneste kommune" in err  # a usage error: deactivate instead
    assert ("cli", "user.scope_removed", EMAIL) in _actions(stores(data_dir))


def test_unknown_user_is_exit_1(data_dir: Path) -> None:
    code, _, err = run(data_dir, "user", "deactivate", "ingen@x.dk")
    assert code == 1 and "findes ikke" in err


@pytest.fixture
def site(app: App) -> Site:
    return make_site(app)


def test_staff_page_deactivates_and_resets(site: Site) -> None:
    staff = site.client("personale")
    officer = site.client("sag_egen")
    page = staff.get("/personale/brugere")
    assert page.status_code == 200 and site.emails["sag_egen"] in page.text
    form = {"csrf": form_csrf(page.text), "email": site.emails["sag_egen"]}
    reset = staff.post("/personale/brugere/nulstil", data=form)
    assert reset.status_code == 200 and reset.headers["cache-control"] == "no-store"
    assert "Ny adgangskode til" in reset.text
    assert officer.get("/api/v1/session").status_code == 401  # the reset ended the session
    done = staff.post("/personale/brugere/spaer", data=form)
    assert done.status_code == 200 and "er spærret" in done.text
    with pytest.raises(Exception, match="forkert"):
        accounts(site.app).login(site.emails["sag_egen"], PASSWORD, "x")
    actions = {(a, act) for a, act, _ in _actions(site.app)}
    staff_name = site.emails["personale"]
    assert {(staff_name, "user.password_reset"), (staff_name, "user.deactivated")} <= actions


def test_staff_page_is_for_staff_only_and_needs_csrf(site: Site) -> None:
    officer = site.client("sag_egen")
    assert officer.get("/personale/brugere").status_code == 403
    anonymous = site.client()
    assert anonymous.get("/personale/brugere").status_code in {303, 401}
    staff = site.client("personale")
    staff.headers.pop("X-CSRF-Token")
    forged = staff.post("/personale/brugere/spaer", data={"email": site.emails["sag_egen"]})
    assert forged.status_code == 403
    assert site.client("sag_egen").cookies.get(SESSION_COOKIE)
