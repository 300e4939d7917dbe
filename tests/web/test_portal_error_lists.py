"""Issue 11 item 11 through the real app: the error lists speak Danish (no slugs, field names
or codes) and the caseworker can confirm a CPR number to Danmarks Statistik with a button;
the confirmation is audit-logged and shown on the list (R-CPR-3, R-WEB-2)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.accounts.helpers import UNKNOWN_101, Site, handbu_csv
from tests.web.test_portal import officer, site, upload  # noqa: F401  (fixtures)

from handistat.approval.processing import run_processing
from handistat.audit import AuditLog


def cpr_list(site: Site, officer: TestClient) -> str:  # noqa: F811
    upload(officer, "lev.csv", handbu_csv(f"101;sag-7;{UNKNOWN_101};SEL32;2025-01-01;;"))
    run_processing(site.app, "handbu", "test")
    page = officer.get("/portal/rapporter/cpr-fejl")
    assert page.status_code == 200
    return page.text


def test_labels_are_danish(site: Site, officer: TestClient) -> None:  # noqa: F811
    page = cpr_list(site, officer)
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert "Sags-id" in head and "CPR-nummer" in head and "Fejl" in head
    text = re.sub(r"<[^>]+>", " ", page)  # what is read, not the addresses and field names
    for raw in ("indsats_id", "fejlkode", " cpr ", "handbu-dubletter", "cpr-fejl", "UKENDT_CPR"):
        assert raw not in text, raw
    assert "CPR-nummeret findes ikke i CPR" in page
    assert "Dubletter (HANDBU)" in page  # the other lists by name, not by slug
    assert "<caption" in page and '<th scope="row">' in page


def test_confirm_button_logs_and_shows_the_confirmation(
    site: Site,  # noqa: F811
    officer: TestClient,  # noqa: F811
) -> None:
    page = cpr_list(site, officer)
    assert "Bekræft CPR-nummeret</button>" in page
    data = {"csrf": officer.csrf, "kommune": "101", "indsats_id": "sag-7"}  # type: ignore[attr-defined]
    done = officer.post("/portal/rapporter/cpr-fejl/bekraeft", data=data)
    assert done.status_code == 303
    after = officer.get(done.headers["location"]).text
    assert "CPR-nummeret i sag sag-7 er bekræftet over for Danmarks Statistik" in after
    assert "Bekræftet " in after and "Bekræft CPR-nummeret</button>" not in after
    events = AuditLog(site.app.catalogue, site.app.clock).recent(actions=["portal.cpr.confirmed"])
    assert [(e["subject"], e["details"]) for e in events] == [
        ("handbu kommune 101", {"indsats_id": "sag-7"})
    ]
    # a case that is not on the list cannot be confirmed; another municipality is refused
    data["indsats_id"] = "findes-ikke"
    assert officer.post("/portal/rapporter/cpr-fejl/bekraeft", data=data).status_code == 404
    data["kommune"] = "147"
    assert officer.post("/portal/rapporter/cpr-fejl/bekraeft", data=data).status_code == 403
