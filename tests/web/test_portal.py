"""The municipality portal through the real app: upload (CSV, XLSX, GENBRUG), the entry form
(add, correct, annul), own data and error lists, and never another municipality's data."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from tests.accounts.helpers import (
    CHILD_101,
    CHILD_101B,
    CHILD_147,
    GENBRUG_HEADER,
    UNKNOWN_101,
    UNKNOWN_147,
    Site,
    handbu_csv,
    load_people,
    make_site,
)

from handistat.accounts.models import UploadOriginal
from handistat.app import App
from handistat.approval.processing import run_processing
from handistat.intake.rawzone import RawZone
from handistat.stores.catalogue import Delivery


@pytest.fixture
def site(app: App, tmp_path: Path) -> Site:
    load_people(app, tmp_path / "pop")
    return make_site(app)


@pytest.fixture
def officer(site: Site) -> TestClient:
    return site.client("sag_egen")


def upload(client: TestClient, name: str, content: bytes, **fields: str) -> str:
    data = {"csrf": client.csrf, "kommune": "101", "statistik": "handbu", **fields}  # type: ignore[attr-defined]
    r = client.post("/portal/upload", data=data, files={"fil": (name, content, "text/csv")})
    assert r.status_code == 200
    return r.text


def test_upload_shows_the_report_at_once(officer: TestClient) -> None:
    page = upload(
        officer,
        "lev.csv",
        handbu_csv(
            f"101;a;{CHILD_101};SEL32;2025-01-01;;", f"101;b;{CHILD_101};SEL99;2025-01-01;;"
        ),
    )
    # issue 11 items 7 and 12: Danish first, no English code, singular, case id, Ret, CSV
    assert "Delvist modtaget: 1 række modtaget, 1 række afvist" in page
    assert "UNKNOWN_CODE" not in page and "rækker afvist" not in page
    assert "<strong>Ukendt kode</strong>" in page
    assert "en af BL32, BL82.4" in page or "en af " in page.split("Ukendt kode")[1][:400]
    assert "<td>b</td>" in page, "the case id of the rejected row"
    assert 'href="/portal/indberetning?kommune=101&amp;indsats_id=b">Ret</a>' in page
    rejected = officer.get("/portal/leverancer/1/afviste.csv")
    lines = rejected.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status;fejl"
    assert lines[1].startswith(f"101;b;{CHILD_101};SEL99;2025-01-01;;")
    assert lines[1].endswith("Paragraf: Ukendt kode") and len(lines) == 2
    listing = officer.get("/portal/leverancer").text
    assert "/portal/leverancer/1" in listing
    assert officer.get("/portal/leverancer/1").status_code == 200
    assert officer.get("/portal/leverancer/1/fil").content.startswith(b"kommune;indsats_id")


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_is_converted_and_the_original_kept(site: Site, officer: TestClient) -> None:
    content = xlsx(
        [
            ["Kommune", "indsats_id", "CPR", "paragraf", "startdato", "slutdato"],
            [101, "x1", int(CHILD_101B), "SEL32", dt.datetime(2025, 5, 1), None],
            [None, None, None, None, None, None],
        ]
    )
    page = upload(officer, "../../etc/lev.xlsx", content)
    assert "Modtaget: 1 række." in page
    assert "lev.xlsx" in page and "../" not in page.split("Oprindelig fil")[1][:80]
    with site.app.catalogue.session() as s:
        original = s.query(UploadOriginal).one()
    assert original.filename == "lev.xlsx" and original.delivery_id == 1
    assert RawZone(site.app.settings.raw_zone).path_of(original.sha256).read_bytes() == content
    converted = officer.get("/portal/leverancer/1/fil").text
    assert f"101;x1;{CHILD_101B};SEL32;2025-05-01;" in converted  # zeros put back


def test_broken_xlsx_is_rejected_with_a_message(officer: TestClient) -> None:
    page = upload(officer, "lev.xlsx", b"PK\x03\x04 not really a zip")
    assert "Afvist" in page and "XLSX" in page


def test_genbrug_upload_with_header_fields(officer: TestClient) -> None:
    body = f"{GENBRUG_HEADER}\n101;101;u1;1001;0505500001;;2024-01-05;\n".encode()
    page = upload(
        officer,
        "genbrug.csv",
        body,
        statistik="genbrug",
        kildesystem="Hjælpemiddel",
        udtraeksdato="2026-01-31",
    )
    assert "Modtaget: 1 række." in page


def test_genbrug_upload_without_kildesystem_keeps_the_form(site: Site, officer: TestClient) -> None:
    """Issue 11 item 10: nothing is received; the form says what is missing and keeps the
    values that were filled in."""
    body = f"{GENBRUG_HEADER}\n101;101;u1;1001;0505500001;;2024-01-05;\n".encode()
    data = {"csrf": officer.csrf, "kommune": "101", "statistik": "genbrug"}  # type: ignore[attr-defined]
    data |= {"kildesystem": " ", "udtraeksdato": "2026-01-31"}
    r = officer.post("/portal/upload", data=data, files={"fil": ("g.csv", body, "text/csv")})
    assert r.status_code == 422
    assert "<title>Fejl: Send fil" in r.text and "Filen er ikke sendt – ret 1 fejl" in r.text
    assert "Kildesystem mangler: skriv navnet på det fagsystem" in r.text
    assert 'aria-invalid="true" aria-describedby="fejl-kildesystem"' in r.text
    assert 'value="2026-01-31"' in r.text and "vælg filen igen" in r.text
    with site.app.catalogue.session() as s:
        assert s.query(Delivery).count() == 0


def entry(client: TestClient, **record: str) -> str:
    r = client.post("/portal/indberetning", data={"csrf": client.csrf, "kommune": "101", **record})  # type: ignore[attr-defined]
    assert r.status_code in (200, 422)
    return r.text


def current(site: Site) -> dict[str, dict[str, object]]:
    rows = site.app.warehouse.query(
        "SELECT indsats_id, paragraf, status FROM indberetninger QUALIFY ROW_NUMBER() OVER "
        "(PARTITION BY indsats_id ORDER BY delivery_id DESC) = 1"
    ).to_pylist()
    return {str(r["indsats_id"]): r for r in rows}


def test_entry_form_adds_corrects_and_annuls(site: Site, officer: TestClient) -> None:
    record = {
        "indsats_id": "sag-1",
        "cpr": CHILD_101,
        "paragraf": "SEL32",
        "startdato": "2025-01-01",
        "slutdato": "",
        "status": "aktiv",
    }
    assert "Sagen indgår i tallene efter næste behandling" in entry(officer, **record)
    run_processing(site.app, "handbu", "test")
    listing = officer.get("/portal/indberetninger").text
    assert "sag-1" in listing and CHILD_101 in listing  # own CPR shown in full
    form = officer.get("/portal/indberetning", params={"indsats_id": "sag-1"}).text
    assert 'value="2025-01-01"' in form and "<h1>Ret sag sag-1</h1>" in form
    assert 'name="indsats_id" value="sag-1" maxlength="64" required readonly' in form
    entry(officer, **{**record, "paragraf": "SEL36"})
    run_processing(site.app, "handbu", "test")
    assert current(site)["sag-1"]["paragraf"] == "SEL36"
    annul = officer.get("/portal/indberetning", params={"indsats_id": "sag-1", "annuller": 1})
    assert "Annullér en sag" in annul.text
    entry(officer, **{**record, "paragraf": "SEL36", "status": "annulleret"})
    entry(officer, **{**record, "paragraf": "SEL36"})  # back to active: not a no-op duplicate
    entry(officer, **{**record, "paragraf": "SEL36", "status": "annulleret"})
    run_processing(site.app, "handbu", "test")
    assert current(site)["sag-1"]["status"] == "annulleret"
    with site.app.catalogue.session() as s:
        assert s.query(Delivery).count() == 5
    assert (
        site.app.warehouse.query("SELECT count(*) AS n FROM handbu_forloeb").to_pylist()[0]["n"]
        == 0
    )


def test_entry_form_shows_what_is_wrong(site: Site, officer: TestClient) -> None:
    """Issue 11 item 8: errors next to their fields, what was typed kept, nothing stored."""
    page = entry(officer, indsats_id="s2", cpr="123", paragraf="SEL32", startdato="2025-13-01")
    assert "<title>Fejl: Ny sag" in page and "Sagen er ikke sendt – ret 2 fejl" in page
    assert 'id="cpr" name="cpr" value="123"' in page
    assert 'aria-invalid="true" aria-describedby="fejl-cpr"' in page
    assert 'id="fejl-startdato"' in page and 'id="fejl-paragraf"' not in page
    assert 'value="2025-13-01"' in page and '<option value="SEL32" selected>' in page
    assert "Ugyldigt CPR-nummer" in page and "Ugyldig dato" in page
    assert "INVALID_CPR" not in page and "BAD_DATE" not in page
    with site.app.catalogue.session() as s:
        assert s.query(Delivery).count() == 0  # a failed try is not a rejected delivery
    r = officer.post(
        "/portal/indberetning",
        data={"csrf": officer.csrf, "kommune": "101", "indsats_id": "s2", "cpr": "123"},  # type: ignore[attr-defined]
    )
    assert r.status_code == 422


def test_entry_form_names_the_intervention_and_says_ny_sag(officer: TestClient) -> None:
    form = officer.get("/portal/indberetning").text
    assert "<h1>Ny sag</h1>" in form and "readonly" not in form
    assert (
        '<option value="SEL32">Særlige dagtilbud til børn (Lov om social service § 32)</option>'
        in form
    )


def test_just_sent_records_are_shown_as_pending(site: Site, officer: TestClient) -> None:
    """Issue 11 item 9: no "Ingen sager" between sending and processing."""
    record = {"cpr": CHILD_101, "paragraf": "SEL32", "startdato": "2025-01-01"}
    entry(officer, indsats_id="sag-9", **record)
    listing = officer.get("/portal/indberetninger").text
    assert "sag-9" in listing and "afventer behandling" in listing
    assert "Ingen sager matcher" not in listing
    assert "sag-9" not in officer.get("/portal/indberetninger", params={"q": "andet"}).text
    form = officer.get("/portal/indberetning", params={"indsats_id": "sag-9"}).text
    assert "<h1>Ret sag sag-9</h1>" in form and 'value="2025-01-01"' in form
    assert "sag-9" not in site.client("sag_anden").get("/portal/indberetninger").text
    run_processing(site.app, "handbu", "test")
    after = officer.get("/portal/indberetninger").text
    assert "sag-9" in after and "afventer behandling" not in after


def test_nothing_of_another_municipality_is_visible(site: Site, officer: TestClient) -> None:
    site.client("token_anden").post(
        "/api/v1/leverancer/handbu",
        headers={"Content-Type": "text/csv"},
        content=handbu_csv(
            f"147;c;{UNKNOWN_147};SEL32;2025-01-01;;",
            f"147;d;{CHILD_147};SEL32;2025-01-01;;",
            f"147;e;{CHILD_147};SEL32;2025-01-01;;",
        ),
    )
    upload(officer, "lev.csv", handbu_csv(f"101;a;{UNKNOWN_101};SEL32;2025-01-01;;"))
    run_processing(site.app, "handbu", "test")
    pages = [
        officer.get(p).text
        for p in (
            "/portal",
            "/portal/leverancer",
            "/portal/indberetninger",
            "/portal/data.csv",
            "/portal/rapporter/cpr-fejl",
            "/portal/rapporter/handbu-dubletter",
        )
    ]
    seen = "\n".join(pages)
    assert UNKNOWN_101 in seen  # own CPR error list, in full
    assert UNKNOWN_147 not in seen and CHILD_147 not in seen and ";147;" not in seen
    assert officer.get("/portal/rapporter/cpr-fejl", params={"kommune": "147"}).status_code == 403
    assert officer.get("/portal/leverancer/1").status_code == 404
    assert officer.get("/portal/rapporter/ukendt").status_code == 404
    duplicates = site.client("sag_anden").get("/portal/rapporter/handbu-dubletter").text
    assert CHILD_147 in duplicates  # 147 sees its own exact duplicates


def test_data_download_is_a_delivery_format_csv(site: Site, officer: TestClient) -> None:
    upload(officer, "lev.csv", handbu_csv(f"101;a;{CHILD_101};SEL32;2025-01-01;;"))
    run_processing(site.app, "handbu", "test")
    r = officer.get("/portal/data.csv")
    assert r.headers["content-disposition"] == 'attachment; filename="handbu-101.csv"'
    assert r.text.lstrip("\ufeff").splitlines() == [
        "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status",
        f"101;a;{CHILD_101};SEL32;2025-01-01;;aktiv",
    ]


def test_approval_from_the_portal(site: Site, officer: TestClient) -> None:
    from handistat.approval.workflow import Workflow

    upload(officer, "lev.csv", handbu_csv(f"101;a;{CHILD_101};SEL32;2025-01-01;;"))
    run_processing(site.app, "handbu", "test")
    Workflow(site.app).send("handbu", 2025, "staff")
    listing = officer.get("/portal/godkendelser").text
    report_id = listing.split('href="/portal/godkendelser/')[1].split('"')[0]
    page = officer.get(f"/portal/godkendelser/{report_id}").text
    assert "Godkend tallene" in page and 'src="data:image/svg+xml;base64,' in page
    stale = officer.post(
        f"/portal/godkendelser/{report_id}",
        data={"csrf": officer.csrf, "handling": "godkend", "version": "7"},
    )  # type: ignore[attr-defined]
    assert stale.status_code == 409 and "tallene er ændret" in stale.text
    no_comment = officer.post(
        f"/portal/godkendelser/{report_id}",
        data={"csrf": officer.csrf, "handling": "afvis", "version": "1"},
    )  # type: ignore[attr-defined]
    assert no_comment.status_code == 409 and "skriv en kommentar" in no_comment.text
    done = officer.post(
        f"/portal/godkendelser/{report_id}",
        data={"csrf": officer.csrf, "handling": "godkend", "version": "1"},
    )  # type: ignore[attr-defined]
    assert done.status_code == 303
    page = officer.get(f"/portal/godkendelser/{report_id}").text
    assert "state-godkendt" in page and "Godkend tallene" not in page
    staff_view = site.client("personale").get(f"/portal/godkendelser/{report_id}").text
    assert "Godkend tallene" not in staff_view, "staff read, municipalities decide"
