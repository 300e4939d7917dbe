"""Issue 12 item 10 and item 6 through the real app: metadata formats, distinct table texts,
English titles, the JSON-stat label, one-language 404s and the not-public vintage answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.api.statbank_fixture import Published, published
from tests.browser.public_site import public_site
from tests.release.scenario import local

from handistat.api.app import create_app

__all__ = ["published"]


def test_xml_on_metadata_is_refused_not_answered_in_json(published: Published) -> None:
    client = published.client
    for url in (
        "/v1/tables?format=XML",
        "/v1/tableinfo/HANDBU01?format=xml",
        "/v1/subjects?format=XML",
    ):
        answer = client.get(url)
        assert answer.status_code == 400, url
        assert answer.json() == {
            "errorTypeCode": "REQUEST-MISSING",
            "message": "Formatet XML understøttes ikke her; brug format=JSON",
        }
    assert client.get("/v1/tables?format=JSON").status_code == 200


def test_tables_have_distinct_texts(published: Published) -> None:
    tables = published.client.get("/v1/tables?subjects=1010").json()
    texts = {t["id"]: t["text"] for t in tables}
    assert len(set(texts.values())) == len(texts) == 6
    title = "Handicapindsatser til børn og unge mellem 0-17 år"
    assert texts["HANDBU01"] == f"{title} efter kommune, indsats og køn"
    assert texts["HANDBU06"] == f"{title} efter kommune og modtager"
    info = published.client.get("/v1/tableinfo/HANDBU03").json()
    assert info["text"] == f"{title} efter landsdel og indsats"
    assert info["description"] == f"{title} efter landsdel, indsats og tid"


def test_english_titles_have_no_danish_words(published: Published) -> None:
    tables = published.client.get("/v1/tables?lang=en").json()
    handbu01 = next(t for t in tables if t["id"] == "HANDBU01")
    assert handbu01["text"] == (
        "Disability-compensating interventions for children and young people aged 0-17 "
        "by municipality, intervention and sex"
    )
    for table in tables:
        assert " efter " not in table["text"] and "Antal" not in table["unit"], table


def test_jsonstat_label_is_a_sentence_without_contents(published: Published) -> None:
    body = published.client.get("/v1/data/HANDBU03/JSONSTAT?INDSATSER=100&Tid=2025").json()
    assert body["dataset"]["label"] == (
        "Handicapindsatser til børn og unge mellem 0-17 år efter indsats og tid"
    )


def test_unknown_function_answers_in_one_language(published: Published) -> None:
    danish = published.client.get("/v1/nosuchthing")
    assert danish.status_code == 404
    assert danish.json() == {
        "errorTypeCode": "REQUEST-NOTFOUND",
        "message": "Funktionen findes ikke: nosuchthing",
    }
    english = published.client.get("/v1/nosuchthing?lang=en").json()
    assert english["message"] == "Unknown function: nosuchthing"


def test_unknown_and_embargoed_vintage_answer_alike(published: Published) -> None:
    """Item 6: before its time a release answers exactly like one that does not exist."""
    client = published.client
    published.clock.at = local("2026-09-30T07:59")  # the second release is due at 08:00
    try:
        embargoed = client.get(f"/v1/tableinfo/HANDBU01?vintage={published.second.id}")
        unknown = client.get("/v1/tableinfo/HANDBU01?vintage=handbu-2099-1")
        assert embargoed.status_code == unknown.status_code == 400
        assert embargoed.json()["message"] == "Udgivelsen er ikke offentlig: " + published.second.id
        assert unknown.json()["message"] == "Udgivelsen er ikke offentlig: handbu-2099-1"
        page = client.get(f"/statistikbanken/HANDBU01?vintage={published.second.id}")
        other = client.get("/statistikbanken/HANDBU01?vintage=handbu-2099-1")
        assert page.status_code == other.status_code == 404
        said = f"Versionen {published.second.id} af tabellen HANDBU01 er ikke offentlig."
        assert said in page.text and "findes ikke" not in page.text.split("<main", 1)[1]
        assert other.text.replace("handbu-2099-1", published.second.id) == page.text
    finally:
        published.clock.at = local("2026-10-01T12:00")


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """HANDBU and GENBRUG published (the browser tests' site)."""
    application = public_site(tmp_path_factory.mktemp("both"))
    with TestClient(create_app(application)) as client:
        yield client
    application.catalogue.dispose()


def test_genbrug_tables_in_english(both: TestClient) -> None:
    tables = {t["id"]: t for t in both.get("/v1/tables?lang=en&subjects=1020").json()}
    assert tables["HJALP4"]["text"] == (
        "Loans and recipients of assistive products by assistive product (ISO 9999) and unit"
    )
    assert tables["HJALP1"]["text"] == "Loans of assistive products by municipality"
    info = both.get("/v1/tableinfo/HJALP4?lang=en").json()
    assert info["description"].startswith("Loans and recipients of assistive products by ")
    values = {v["id"]: v["text"] for v in info["variables"][0]["values"]}
    assert values["1222"] == "1222 Manual wheelchairs"
    for table in tables.values():
        assert " efter " not in table["text"] and "hjælpemidler" not in table["text"]
