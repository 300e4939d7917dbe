"""Issue 11 items 10 and 13 through the real app: the upload page offers a template file and
the column list per statistic (read from the intake's declarations), and the GENBRUG form
requires its header fields, so a browser never sends it without a kildesystem."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.accounts.helpers import Site
from tests.web.test_portal import officer, site  # noqa: F401  (fixtures)

from handistat.intake.formats import GENBRUG, HANDBU


def test_template_files_have_the_header_of_the_format(site: Site, officer: TestClient) -> None:  # noqa: F811
    handbu = officer.get("/portal/skabelon/handbu.csv")
    assert handbu.status_code == 200
    assert handbu.headers["content-disposition"] == 'attachment; filename="skabelon-handbu.csv"'
    assert handbu.content.decode("utf-8") == (
        "\ufeffkommune;indsats_id;cpr;paragraf;startdato;slutdato;status\n"
    )
    genbrug = officer.get("/portal/skabelon/genbrug.csv").content.decode("utf-8-sig")
    assert genbrug.strip().split(";") == [c.name for c in GENBRUG.columns]
    assert officer.get("/portal/skabelon/andet.csv").status_code in (400, 404, 422)
    assert site.client().get("/portal/skabelon/handbu.csv").status_code in (303, 401)


def test_upload_page_lists_the_columns_and_links_the_templates(officer: TestClient) -> None:  # noqa: F811
    page = officer.get("/portal/upload").text
    assert 'href="/portal/skabelon/handbu.csv"' in page
    assert 'href="/portal/skabelon/genbrug.csv"' in page
    handbu = page.split('id="kolonner-handbu"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row" class="mono">(\w+)</th>', handbu)
    assert rows == [c.name for c in HANDBU.columns]
    assert "<td>Startdato</td><td>ja</td><td>dato på formen ÅÅÅÅ-MM-DD" in handbu
    assert "<td>Status</td><td>nej</td><td>en af aktiv, annulleret</td>" in handbu
    assert "højst 9 cifre" in page  # GENBRUG's hmi_nummer


def test_genbrug_form_requires_its_header_fields(officer: TestClient) -> None:  # noqa: F811
    page = officer.get("/portal/upload").text
    genbrug = page.split('value="genbrug"')[1].split("</form>")[0]
    assert re.search(r'id="kildesystem"[^>]* required', genbrug)
    assert re.search(r'id="udtraeksdato"[^>]* required', genbrug)
