"""Issue 11 item 5 through the real app: the staff dashboard filters and sorts the 98
municipalities, and the processing summary is in words with Danish thousands separators,
each count linked to its report (R-WEB-2, R-VAL-4)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.accounts.helpers import form_csrf
from tests.web.test_staff import site, staff  # noqa: F401  (fixtures)

from handistat.web.staff_dashboard import processing_lines

ROW = re.compile(r'<th scope="row"><a href="/personale/leverancer\?kommune=(\d{3})">')


def shown(client: TestClient, **params: str) -> list[str]:
    page = client.get("/personale", params=params)
    assert page.status_code == 200
    return ROW.findall(page.text)


def test_all_98_by_code_unless_asked(staff: TestClient) -> None:  # noqa: F811
    rows = shown(staff)
    assert len(rows) == 98 and rows[:2] == ["101", "147"] and rows == sorted(rows)


def test_filter_errors_and_never_delivered(staff: TestClient) -> None:  # noqa: F811
    # before processing only 101 has an error (its SEL99 row was rejected); 147's unknown
    # CPR number is found by processing.
    assert shown(staff, vis="fejl") == ["101"]
    csrf = form_csrf(staff.get("/personale").text)
    staff.post("/personale/behandling", data={"csrf": csrf, "statistik": "handbu"})
    assert shown(staff, vis="fejl") == ["101", "147"]
    # nobody delivered GENBRUG, so every municipality has "never delivered" something
    assert len(shown(staff, vis="aldrig")) == 98
    page = staff.get("/personale", params={"vis": "fejl"}).text
    assert "2 kommuner vist: afviste rækker, afviste leverancer eller CPR-fejl" in page


def test_sort_oldest_handbu_first_and_most_errors_first(staff: TestClient) -> None:  # noqa: F811
    by_delivery = shown(staff, sorter="handbu")
    assert "101" not in by_delivery[:96] and sorted(by_delivery[-2:]) == ["101", "147"]
    assert shown(staff, sorter="fejl")[0] == "101"
    assert shown(staff, vis="ukendt", sorter="ukendt") == shown(staff)  # falls back


def test_processing_summary_in_words_linked_to_reports(staff: TestClient) -> None:  # noqa: F811
    csrf = form_csrf(staff.get("/personale").text)
    page = staff.post("/personale/behandling", data={"csrf": csrf, "statistik": "handbu"}).text
    assert "Registret er dannet igen fra 2 leverancer." in page
    assert '<a href="/personale/leverancer">2 indberetninger i registret</a>' in page
    assert '<a href="/personale/cpr-fejl">1 CPR-fejl</a>' in page
    assert '<a href="/personale/rapporter/handbu-dubletter">0 dubletter</a>' in page
    report = staff.get("/personale/rapporter/handbu-dubletter")
    assert report.status_code == 200 and "Dubletter (HANDBU)" in report.text
    assert "foerste_id" not in report.text and "Første sags-id" in report.text
    assert staff.get("/personale/rapporter/findes-ikke").status_code == 404


def test_summary_has_thousands_separators() -> None:
    lead, lines = processing_lines(
        {
            "statistik": "genbrug",
            "leverancer": 1,
            "antal": {"udlaan": 9412, "fjernet": 1, "dubletter": 12345},
            "godkendelser": {"opdateret": 1000, "forældet": 0},
        }
    )
    assert lead == "Registret er dannet igen fra 1 leverance."
    assert [line.text for line in lines] == [
        "9.412 udlån i registret",
        "1 udlån fjernet ved rensningen",
        "12.345 udlån i både gammelt og nyt system",
        "1.000 godkendelser med nye tal, 0 er blevet forældede",
    ]
    assert lines[1].link == "/personale/rapporter/rensning"
