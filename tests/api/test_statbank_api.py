"""The Statbank-compatible API (R-API-1, R-API-2) through the real app: functions and path
forms, GET and POST, case-insensitivity, elimination, selection, errors, caching headers."""

from __future__ import annotations

import csv
import io
import json

from tests.api.statbank_fixture import Published, published

__all__ = ["published"]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_subjects_tables_tableinfo(published: Published) -> None:
    client = published.client
    top = client.get("/v1/subjects")
    assert top.headers["content-type"] == "text/json; charset=utf-8"
    assert top.json()[0]["id"] == "10" and top.json()[0]["hasSubjects"]
    nested = client.post("/v1/subjects", json={"subjects": ["10"], "includeTables": True}).json()
    handbu = nested[0]["subjects"][0]
    assert handbu["id"] == "1010" and [t["id"] for t in handbu["tables"]][:2] == [
        "HANDBU01",
        "HANDBU02",
    ]
    assert client.get("/v1/subjects/10/1010?includeTables=true").json()[1]["id"] == "1010"
    tables = client.get("/v1/tables/?subjects=1010&lang=en").json()
    first = tables[0]
    assert first["id"] == "HANDBU01" and first["latestPeriod"] == "2025"
    assert first["updated"] == "2026-09-30T08:00:00" and first["variables"][0] == "municipality"
    assert (
        client.post("/v1/tables", json={"pastdays": "NA", "includeinactive": False}).status_code
        == 200
    )
    info = client.get("/v1/tableinfo?id=handbu01&format=JSON&lang=da").json()
    assert info["id"] == "HANDBU01" and info["unit"] == "Antal"
    variables = {v["id"]: v for v in info["variables"]}
    assert variables["KOMMUNEDK"]["elimination"] is True and variables["KOMMUNEDK"]["map"]
    assert variables["INDSATSER"]["elimination"] is False  # two totals: 100 and 110
    assert variables["Tid"]["time"] and [v["id"] for v in variables["Tid"]["values"]] == [
        "2022",
        "2023",
        "2024",
        "2025",
    ]
    assert client.post("/v1/tableinfo", json={"table": "HANDBU01"}).json() == info


def test_data_get_csv_with_elimination(published: Published) -> None:  # R-API-1
    response = published.client.get(
        "/v1/data/handbu01/csv?indsatser=110&tid=*&valuePresentation=code"
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"INDSATSER;TID;INDHOLD\r\n")  # no BOM, CRLF
    assert rows(response.text)[1:] == [
        ["110", "2022", "2"],
        ["110", "2023", "2"],
        ["110", "2024", "3"],
        ["110", "2025", "3"],
    ]


def test_data_post_variables_and_latest_period_default(published: Published) -> None:
    body = {
        "table": "HANDBU03",
        "format": "CSV",
        "valuePresentation": "CodeAndValue",
        "variables": [
            {"code": "landsdel", "values": ["01"]},
            {"code": "INDSATSER", "values": ["7"]},
        ],
    }
    response = published.client.post("/v1/data", json=body)
    assert rows(response.text) == [
        ["LANDSDEL", "INDSATSER", "TID", "INDHOLD"],
        [
            "01 Landsdel Byen København",
            "7 Ledsageordning til børn og unge mellem 12 og 18 år, som "
            "ikke kan færdes alene (SEL § 45 / BL § 89.1)",
            "2025 2025",
            "0",
        ],
    ]


def test_sum_time_order_and_lang(published: Published) -> None:
    response = published.client.get(
        "/v1/data/HANDBU04/CSV",
        params={
            "INDSATSER": "110",
            "ALDER": "sum(U12|Under 12 år=0005;0611)",
            "KØN": "0",
            "Tid": "2024,2025",
            "timeOrder": "Descending",
            "lang": "en",
        },
    )
    assert rows(response.text)[1:] == [
        [
            "Children and young people receiving interventions, total",
            "Under 12 år",
            "Total",
            "2025",
            "3",
        ],
        [
            "Children and young people receiving interventions, total",
            "Under 12 år",
            "Total",
            "2024",
            "2",
        ],
    ]


def test_errors_in_statbank_shape(published: Published) -> None:
    client = published.client

    def error(response: object) -> tuple[int, str, str]:
        assert response.headers["content-type"] == "text/json; charset=utf-8"  # type: ignore[attr-defined]
        body = response.json()  # type: ignore[attr-defined]
        assert set(body) == {"errorTypeCode", "message"}
        return response.status_code, body["errorTypeCode"], body["message"]  # type: ignore[attr-defined]

    assert error(client.get("/v1/data/NOPE/CSV")) == (
        400,
        "EXTRACT-NOTFOUND",
        "Tabel findes ikke: NOPE",
    )
    assert error(client.post("/v1/data", json={"table": "HANDBU01"}))[1] == "REQUEST-MISSING"
    assert error(client.get("/v1/data?format=CSV"))[1] == "REQUEST-MISSING"
    assert error(client.post("/v1/data", content=b"{not json"))[1] == "REQUEST-EMPTY"
    assert error(client.get("/v1/data/HANDBU01/CSV")) == (
        400,
        "EXTRACT-NOTALLOWED",
        "Der skal vælges værdier for variabel: INDSATSER",
    )
    _, code, message = error(client.get("/v1/data/HANDBU01/CSV?INDSATSER=999&lang=en"))
    assert (code, message) == ("EXTRACT-NOTFOUND", "Can't find value: 999 (INDSATSER)")
    assert error(client.get("/v1/data/HANDBU01/CSV?INDSATSER=100&FOO=1"))[1] == "EXTRACT-NOTFOUND"
    assert error(client.get("/v1/data/HANDBU01/BULK?INDSATSER=100"))[1] == "EXTRACT-NOTALLOWED"
    assert error(client.get("/v1/nosuchfunction"))[:2] == (404, "REQUEST-NOTFOUND")
    assert "/" in error(client.get("/v1/tables?lang=xx"))[2]  # both languages when unknown


def test_bulk_is_streamed_with_every_variable(published: Published) -> None:
    response = published.client.get(
        "/v1/data/HANDBU03/BULK?LANDSDEL=*&INDSATSER=*&Tid=*&valuePresentation=Code"
    )
    assert response.status_code == 200 and "content-length" not in response.headers  # streamed
    assert len(rows(response.text)) == 1 + 12 * 10 * 4


def test_etag_and_cache_headers(published: Published) -> None:  # R-API-2
    client = published.client
    url = "/v1/data/HANDBU01/JSONSTAT?INDSATSER=100"
    first = client.get(url)
    assert first.headers["cache-control"] == "no-cache" and first.headers["etag"]
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    vintage = client.get(f"{url}&vintage={published.first.id}")
    assert "immutable" in vintage.headers["cache-control"]
    assert vintage.headers["etag"] != first.headers["etag"]
    assert json.loads(vintage.content)["dataset"]["dimension"]["Tid"]["category"]["index"] == {
        "2024": 0
    }


def test_openapi_describes_the_functions(published: Published) -> None:
    spec = published.client.get("/openapi.json").json()
    data = spec["paths"]["/v1/data/{table}/{fmt}"]
    assert {p["name"] for p in data["get"]["parameters"]} >= {"table", "fmt", "lang", "timeOrder"}
    assert "requestBody" in data["post"] and "requestBody" not in data["get"]
