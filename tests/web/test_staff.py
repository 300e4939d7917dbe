"""The staff dashboard through the real app: status of all municipalities, running processing,
sending lists, the approval matrix, reminders, release decisions, CPR error lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.accounts.helpers import (
    CHILD_101,
    UNKNOWN_147,
    Site,
    form_csrf,
    handbu_csv,
    load_people,
    make_site,
)

from handistat.app import App
from handistat.clock import fixed_clock


@pytest.fixture
def site(app: App, tmp_path: Path) -> Site:
    load_people(app, tmp_path / "pop")
    made = make_site(app)
    made.client("token_egen").post(
        "/api/v1/leverancer/handbu",
        headers={"Content-Type": "text/csv"},
        content=handbu_csv(
            f"101;a;{CHILD_101};SEL32;2025-01-01;;", f"101;b;{CHILD_101};SEL99;2025-01-01;;"
        ),
    )
    made.client("token_anden").post(
        "/api/v1/leverancer/handbu",
        headers={"Content-Type": "text/csv"},
        content=handbu_csv(f"147;c;{UNKNOWN_147};SEL32;2025-01-01;;"),
    )
    return made


@pytest.fixture
def staff(site: Site) -> TestClient:
    return site.client("personale")


def test_dashboard_shows_every_municipality(staff: TestClient) -> None:
    page = staff.get("/personale").text
    assert page.count('href="/personale/leverancer?kommune=') == 98
    assert "101 København" in page and "411" not in page.split("<tbody>")[1][:200]
    status = {r["kommune"]: r for r in staff.get("/api/v1/leverancer/status").json()["kommuner"]}
    assert len(status) == 98
    assert status["101"]["handbu"]["leverancer"] == 1
    assert status["101"]["handbu"]["afviste_raekker"] == 1
    assert status["101"]["handbu"]["forsinket"] is False
    assert status["151"]["handbu"] == {
        **status["151"]["handbu"],
        "seneste": None,
        "forsinket": True,
    }


def run_processing(client: TestClient) -> str:
    csrf = form_csrf(client.get("/personale").text)
    r = client.post("/personale/behandling", data={"csrf": csrf, "statistik": "handbu"})
    assert r.status_code == 200
    return r.text


def test_processing_from_the_dashboard_and_the_cpr_lists(staff: TestClient) -> None:
    page = run_processing(staff)
    assert "Registret er dannet igen fra 2 leverancer" in page
    status = {r["kommune"]: r for r in staff.get("/api/v1/leverancer/status").json()["kommuner"]}
    assert status["147"]["cpr_fejl"] == 1
    everything = staff.get("/personale/cpr-fejl").text
    assert UNKNOWN_147 in everything  # staff see the full CPR (R-CPR-5)
    assert UNKNOWN_147 not in staff.get("/personale/cpr-fejl", params={"kommune": "101"}).text


def test_send_decide_and_see_it_in_the_matrix(site: Site, staff: TestClient) -> None:
    run_processing(staff)
    csrf = form_csrf(staff.get("/personale/godkendelser").text)
    r = staff.post(
        "/personale/godkendelser/send",
        data={"csrf": csrf, "statistik": "handbu", "aar": "2025", "frist": "2026-03-20"},
    )
    assert r.status_code == 303, "without the confirmation: back to the preview"
    preview = staff.get(r.headers["location"]).text
    assert "2 rapporter sendes til 2 kommuner med frist 20. marts 2026" in preview
    assert "Springes over: 96 kommuner uden data" in preview and "151 Ballerup" in preview
    r = staff.post(
        "/personale/godkendelser/send",
        data={
            "csrf": csrf,
            "statistik": "handbu",
            "aar": "2025",
            "frist": "2026-03-20",
            "bekraeft": "ja",
        },
    )
    matrix = staff.get(r.headers["location"]).text
    assert "2 rapporter sendt" in matrix and "sendt: 2" in matrix
    officer = site.client("sag_egen")
    report = officer.get("/api/v1/godkendelser").json()["rapporter"][0]
    assert report["frist"] == "2026-03-20"
    officer.post(f"/api/v1/godkendelser/{report['id']}/godkend", json={"version": 1})
    matrix = staff.get("/personale/godkendelser", params={"statistik": "handbu", "aar": 2025})
    assert "godkendt: 1" in matrix.text and "sendt: 1" in matrix.text
    api = staff.get("/api/v1/godkendelser/matrix/handbu/2025").json()
    row = next(k for k in api["kommuner"] if k["kommune"] == "101")
    assert row["celler"][0]["tilstand"] == "godkendt"


def test_reminders_from_the_staff_pages(site: Site, staff: TestClient) -> None:
    run_processing(staff)
    csrf = form_csrf(staff.get("/personale").text)
    staff.post(
        "/personale/godkendelser/send",
        data={
            "csrf": csrf,
            "statistik": "handbu",
            "aar": "2025",
            "frist": "2026-03-20",
            "bekraeft": "ja",
        },
    )
    assert "Ingen påmindelser er forfaldne" in staff.get("/personale/paamindelser").text
    site.app.clock = fixed_clock(dt.datetime(2026, 3, 21, 9, tzinfo=dt.UTC))
    staff = site.client("personale")  # a new day, a new session
    csrf = staff.csrf  # type: ignore[attr-defined]
    answer = staff.get("/api/v1/godkendelser/paamindelser")
    assert answer.status_code == 200, answer.text
    due = answer.json()["forfaldne"]
    assert len(due) == 2 and {d["trin"] for d in due} == {"paamindelse_1"}
    preview = staff.get("/personale/paamindelser").text
    assert "Forhåndsvisning: 2 breve" in preview and "Bekræft: send 2 breve" in preview
    r = staff.post("/personale/paamindelser", data={"csrf": csrf, "breve": "2"})
    page = staff.get(r.headers["location"])
    assert "2 breve dannet og gemt til 2 kommuner om 2 lister." in page.text
    report_id = next(d["rapport"] for d in due if d["kommune"] == "101")
    detail = staff.get(f"/personale/godkendelser/{report_id}").text
    assert "1. skriftlige påmindelse" in detail and "Til København Kommune" in detail
    assert "21. marts 2026 kl. 10:00" in detail and "UTC" not in detail
    # issue 14 items 1 and 5: the report's tables are named scroll boxes with row headers
    for n in (1, 3):
        assert f'role="region" tabindex="0" aria-labelledby="tabel-rapport-{n}"' in detail
    assert '<caption id="tabel-rapport-3">Påmindelser og opkald til kommunen</caption>' in detail
    assert '<th scope="row">I alt</th>' in detail and '<th class="num">Børn 2025</th>' in detail
    r = staff.post(
        f"/personale/godkendelser/{report_id}/paamindelse",
        data={"csrf": csrf, "trin": "telefon", "note": "ringet"},
    )
    assert "er ikke det næste" in staff.get(r.headers["location"]).text


def test_release_decision_form(site: Site, staff: TestClient) -> None:
    run_processing(staff)
    csrf = form_csrf(staff.get("/personale").text)
    staff.post(
        "/personale/godkendelser/send",
        data={"csrf": csrf, "statistik": "handbu", "aar": "2025", "bekraeft": "ja"},
    )
    r = staff.post(
        "/personale/frigivelse",
        data={
            "csrf": csrf,
            "statistik": "handbu",
            "aar": "2025",
            "kommune": "147",
            "beslutning": "udeladt",
            "note": "for få indberetninger",
        },
    )
    assert r.status_code == 303
    page = staff.get(r.headers["location"]).text
    assert "147: udeladt" in page and "for få indberetninger" in page
    refused = staff.post(
        "/personale/frigivelse",
        data={
            "csrf": csrf,
            "statistik": "handbu",
            "aar": "2025",
            "kommune": "151",
            "beslutning": "udeladt",
        },
    )
    assert "begrundelse" in staff.get(refused.headers["location"]).text
    decided = staff.get("/api/v1/godkendelser/frigivelse/handbu/2025").json()["kommuner"]
    assert next(d for d in decided if d["kommune"] == "147")["status"] == "udeladt"


def test_audit_log_page_lists_actions(staff: TestClient) -> None:
    run_processing(staff)
    page = staff.get("/personale/log").text
    assert "kørte behandlingen" in page and "modtog en leverance" in page
    assert "processing.run" not in page and "UTC" not in page and "{" not in page
    assert "2. marts 2026 kl. 10:00" in page  # 09:00 UTC is 10:00 in Copenhagen
