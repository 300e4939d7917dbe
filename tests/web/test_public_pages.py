"""The public web pages (R-WEB-1, R-PUB-4, R-PUB-5) and the staff release pages (R-GEN-4),
through the real app with plain GET forms (no JavaScript)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.release.scenario import MovableClock, local, make_app, two_releases

from handistat import approval
from handistat.accounts.service import Accounts
from handistat.api.app import create_app
from handistat.api.deps import Role
from handistat.release.models import Release
from handistat.release.nyt import figure_data
from handistat.release.service import ReleaseService

PASSWORD = "en-lang-adgangskode-til-test"
EXCLUDED = [{"kommune": "147", "navn": "Frederiksberg", "status": "udeladt", "note": "test"}]


@dataclass
class Site:
    client: TestClient
    first: Release
    second: Release


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("web")
    clock = MovableClock(local("2026-10-01T12:00"))
    application = make_app(tmp, clock)
    patch = pytest.MonkeyPatch()
    patch.setattr(approval, "release_decisions", lambda *_: EXCLUDED)
    first, second = two_releases(application, tmp, publish_second=False)
    patch.undo()
    Accounts(application.catalogue, clock).add_user(
        "redaktoer@dst.example", Role.PERSONALE, [], PASSWORD, "test"
    )
    with TestClient(create_app(application)) as client:
        yield Site(client, first, second)


def test_subjects_search_and_tables(site: Site) -> None:
    page = site.client.get("/statistikbanken").text
    assert (
        "Handicapindsatser til børn og unge" in page and 'href="/statistikbanken/HANDBU01"' in page
    )
    found = site.client.get("/statistikbanken?q=landsdel").text
    assert "/statistikbanken/HANDBU03" in found and "/statistikbanken/HANDBU01" not in found


def test_chooser_is_a_form_with_select_all_and_search(site: Site) -> None:
    page = site.client.get("/statistikbanken/HANDBU01?KOMMUNEDK=101&soeg_KOMMUNEDK=frede").text
    assert 'method="get" action="/statistikbanken/HANDBU01/tabel"' in page
    assert '<input type="checkbox" name="INDSATSER" value="*">' in page  # Vælg alle
    assert 'value="147"' in page and 'value="751"' not in page  # search filtered the list
    # Issue 12 item 2: a tick hidden by the search stays visible (and can be unticked), and
    # each variable says how much is chosen.
    kept = page.split('aria-label="Valgt i kommune, men ikke med i søgningen"', 1)[1]
    assert '<input type="checkbox" name="KOMMUNEDK" value="101" checked> København' in kept
    assert "1 af 100 valgt" in page and "0 af 2 valgt" in page  # KOMMUNEDK, INDSATSER
    assert re.search(r'<label for="v-kommunedk-s">Søg i kommune</label>', page)


def test_table_view_with_notes_dots_chart_and_downloads(site: Site) -> None:
    url = "/statistikbanken/HANDBU01/tabel?KOMMUNEDK=000&KOMMUNEDK=147&INDSATSER=110&Tid=*"
    response = site.client.get(url)
    page = response.text
    assert response.status_code == 200
    assert '<th scope="col" class="num">2024</th>' in page
    assert '<th scope="rowgroup" colspan="4">Frederiksberg</th>' in page  # grouped label
    assert '<abbr title="ikke offentliggjort">..</abbr>' in page
    assert "Frederiksberg (147) er udeladt" in page
    assert '<svg role="img" aria-label="Diagram:' in page and "<script" not in page
    links = re.findall(r'href="(/statistikbanken/HANDBU01/hent/[A-Z0-9]+\?[^"]+)"', page)
    assert len(links) == 7
    for link in links:
        download = site.client.get(link.replace("&amp;", "&"))
        assert download.status_code == 200, link
        assert download.headers["content-disposition"].startswith("attachment; filename=")
    csv = site.client.get(links[0].replace("&amp;", "&")).content
    assert csv.startswith("\ufeff".encode()) and b"Frederiksberg;" in csv


def test_missing_choice_returns_to_the_chooser(site: Site) -> None:
    response = site.client.get("/statistikbanken/HANDBU01/tabel?KOMMUNEDK=000")
    assert response.status_code == 400
    # Issue 14 item 4: the variable by its label, the error tied to its fields, "Fejl" in
    # the title and the summary focused.
    page = response.text
    assert "Der mangler et valg for: indsats." in page and "INDSATSER</a>" not in page
    assert "<title>Fejl: HANDBU01" in page
    assert 'role="alert" id="fejl" tabindex="-1" autofocus' in page
    assert '<a href="#v-indsatser">Vælg mindst én værdi for indsats</a>' in page
    assert (
        '<input type="checkbox" name="INDSATSER" value="100" aria-invalid="true" '
        'aria-describedby="v-indsatser-fejl">' in page
    )


def test_calendar_release_nyt_and_documentation(site: Site) -> None:
    client = site.client
    calendar = client.get("/udgivelser").text
    assert f'href="/udgivelser/{site.first.id}"' in calendar
    assert f"/udgivelser/{site.second.id}" not in calendar  # prepared, not approved
    release = client.get(f"/udgivelser/{site.first.id}").text
    assert f"/statistikbanken/HANDBU01?vintage={site.first.id}" in release
    article = client.get(f"/nyt/{site.first.id}").text
    assert "børn og unge modtog handicapindsatser i 2024</h1>" in article
    # Frederiksberg is left out (R-VAL-5) and in 2024 every type with a child holds one of
    # Frederiksberg's or sits beside it in the national total, so the protection hides every
    # nonzero type of HANDBU04 2024 (or a zero published beside it would give Frederiksberg
    # away): the article has no chart rather than a chart of zeros.
    shown = figure_data(ReleaseService(site.client.app.state.app).load(site.first))
    assert shown is not None and shown[0] == []
    assert '<figure class="chart">' not in article and "[[figur]]" not in article
    assert "Udeladt af tallene: Frederiksberg (test)" in article
    docs = client.get("/dokumentation/handbu").text
    assert "<h1>Handicapindsatser til børn og unge</h1>" in docs and '<th scope="col">' in docs
    assert client.get("/dokumentation/genbrug").status_code == 200
    assert client.get("/dokumentation/nope").status_code == 404
    assert client.get("/nyt/nope").status_code == 404


def test_staff_edits_the_article_and_approves(site: Site) -> None:
    client = site.client
    assert client.get("/personale/udgivelser", follow_redirects=False).status_code == 303
    login = client.post(
        "/api/v1/session", json={"email": "redaktoer@dst.example", "password": PASSWORD}
    )
    csrf = login.json()["csrf"]
    try:
        url = f"/personale/udgivelser/{site.second.id}"
        assert "Godkend til offentliggørelse" in client.get(url).text
        refused = client.post(f"{url}/artikel", data={"tekst": "# Ny overskrift"})
        assert refused.status_code == 403  # no CSRF token
        saved = client.post(
            f"{url}/artikel", data={"tekst": "# Ny overskrift\n\n[[figur]]\n", "csrf": csrf}
        )
        assert saved.status_code == 200 and "Artiklen er gemt." in saved.text
        assert "<h1>Ny overskrift</h1>" in saved.text
        approved = client.post(f"{url}/godkend", data={"csrf": csrf, "bekraeft": "ja"})
        assert "godkendt til offentliggørelse" in approved.text
        assert client.get(f"/nyt/{site.second.id}").status_code == 200  # 08:00 has passed
        assert "<h1>Ny overskrift</h1>" in client.get(f"/nyt/{site.second.id}").text
    finally:
        client.delete("/api/v1/session", headers={"X-CSRF-Token": csrf})
        client.cookies.clear()


def test_docs_page_loads_swagger_from_the_package(site: Site) -> None:
    """Issue 12 item 9: no CDN in /docs; the files are served by the app itself."""
    page = site.client.get("/docs")
    assert page.status_code == 200 and "cdn." not in page.text and "https://" not in page.text
    assert "cdn" not in page.headers["content-security-policy"]
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
        assert site.client.get(asset).status_code == 200, asset
    assert site.client.get("/redoc").status_code == 200


def test_dates_are_written_in_danish(site: Site) -> None:
    calendar = site.client.get("/udgivelser").text
    assert "30. september 2025 kl. 08:00" in calendar and "2025-09-30 08:00" not in calendar


def test_the_article_charts_the_published_types(tmp_path: Path) -> None:
    """Nothing left out, k = 1: 2024 has A's § 32 (type 1), C's § 32 a (type 2) and B's
    § 44/84.1 (type 5), one child each (tests/release/scenario.py)."""
    application = make_app(tmp_path, MovableClock(local("2026-10-01T12:00")))
    first, _ = two_releases(application, tmp_path, publish_second=False)
    shown = figure_data(ReleaseService(application).load(first))
    assert shown is not None
    labels, counts, _ = shown
    assert [label.split()[0:2] for label in labels] == [
        ["Særlige", "dagtilbud"],
        ["Hjemmetræning", "af"],
        ["Afløsning", "eller"],
    ]
    assert counts == [1, 1, 1]
    with TestClient(create_app(application)) as client:
        article = client.get(f"/nyt/{first.id}").text
    assert '<figure class="chart"><div class="chart-wide"><svg role="img"' in article
    assert all(label in article for label in labels)
