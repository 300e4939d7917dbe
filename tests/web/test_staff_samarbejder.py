"""The staff page for depot collaborations (R-GB-4, R-GEN-4) through the real app: the seeded
packaged list, add and end with CSRF, refusals, staff only, and the audit log."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.accounts.helpers import Site, form_csrf, make_site

from handistat.app import App
from handistat.stores.catalogue import AuditEvent


@pytest.fixture
def site(app: App) -> Site:
    return make_site(app)


@pytest.fixture
def staff(site: Site) -> TestClient:
    return site.client("personale")


def test_the_packaged_list_is_seeded_and_shown(staff: TestClient) -> None:
    page = staff.get("/personale/samarbejder")
    assert page.status_code == 200
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 3  # 661 with 661, 665 and 671 from 2022-07-01
    assert "<td>661</td><td>665</td>" in rows and "2022-07-01" in rows


def test_add_and_end_through_the_forms_are_audit_logged(staff: TestClient, app: App) -> None:
    csrf = form_csrf(staff.get("/personale/samarbejder").text)
    added = staff.post(
        "/personale/samarbejder/tilfoej",
        data={"csrf": csrf, "indberetter": "101", "medlem": "147", "fra": "2024-01-01"},
    )
    assert added.status_code == 200
    assert "147 er medlem af 101s samarbejde fra 2024-01-01" in added.text
    ended = staff.post(
        "/personale/samarbejder/afslut",
        data={"csrf": csrf, "indberetter": "101", "medlem": "147", "til": "2024-12-31"},
    )
    assert ended.status_code == 200
    assert "<td>101</td><td>147</td>\n    <td>2024-01-01</td><td>2024-12-31</td>" in ended.text
    with app.catalogue.session() as s:
        events = s.scalars(
            select(AuditEvent).where(AuditEvent.action.like("genbrug.samarbejde.%"))
        ).all()
        assert [(e.action, e.actor, e.details["medlemskommune"]) for e in events] == [
            ("genbrug.samarbejde.tilfoej", "medarbejder@dst.dk", "147"),
            ("genbrug.samarbejde.afslut", "medarbejder@dst.dk", "147"),
        ]


def test_overlap_and_unknown_membership_are_refused_in_danish(staff: TestClient) -> None:
    csrf = form_csrf(staff.get("/personale/samarbejder").text)
    overlap = staff.post(
        "/personale/samarbejder/tilfoej",
        data={"csrf": csrf, "indberetter": "661", "medlem": "665", "fra": "2024-01-01"},
    )
    assert overlap.status_code == 409 and "allerede medlem" in overlap.text
    missing = staff.post(
        "/personale/samarbejder/afslut",
        data={"csrf": csrf, "indberetter": "101", "medlem": "147", "til": "2024-12-31"},
    )
    assert missing.status_code == 404 and "er ikke medlem" in missing.text


def test_forms_need_csrf_and_staff(site: Site) -> None:
    staff = site.client("personale")
    no_csrf = TestClient(staff.app, follow_redirects=False)
    no_csrf.cookies = staff.cookies
    data = {"indberetter": "101", "medlem": "147", "fra": "2024-01-01"}
    assert no_csrf.post("/personale/samarbejder/tilfoej", data=data).status_code == 403
    officer = site.client("sag_egen")
    assert officer.get("/personale/samarbejder").status_code == 403
    csrf = officer.csrf  # type: ignore[attr-defined]
    r = officer.post("/personale/samarbejder/tilfoej", data={**data, "csrf": csrf})
    assert r.status_code == 403
    assert site.client().get("/personale/samarbejder").status_code in (303, 401)
