"""Formats through the API read back by other tools (R-API-1, R-API-2): PX by pyaxis, JSON-stat
by pyjstat and a JSON-stat validator, CSV, SDMX-CSV, Parquet and XLSX; a municipality excluded
at release time travels as `..` / null / an empty value with a status (R-SDC-4 marker path)."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pyaxis import pyaxis
from pyjstat import pyjstat
from tests.release.scenario import MovableClock, first_register, local, make_app

from handistat import approval
from handistat.api.app import create_app
from handistat.release.service import ReleaseService

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pyjstat")
QUERY = "KOMMUNEDK=000,101,147&INDSATSER=110&KØN=0&Tid=*"
EXPECTED = {  # (kommune, year) → children; Frederiksberg (147) excluded → None
    ("000", "2022"): 2,
    ("000", "2023"): 3,
    ("000", "2024"): 3,
    ("101", "2022"): 1,
    ("101", "2023"): 2,
    ("101", "2024"): 1,
    ("147", "2022"): None,
    ("147", "2023"): None,
    ("147", "2024"): None,
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("formats")
    application = make_app(tmp, MovableClock(local("2026-01-01T12:00")))
    first_register(application, tmp)
    decisions = [{"kommune": "147", "navn": "Frederiksberg", "status": "udeladt", "note": "test"}]
    patch = pytest.MonkeyPatch()
    patch.setattr(approval, "release_decisions", lambda *_: decisions)
    service = ReleaseService(application)
    release = service.create("handbu", 2024, local("2025-09-30T08:00"), "test")
    service.publish(release.id, "test")
    patch.undo()
    with TestClient(create_app(application)) as test_client:
        yield test_client


def fetch(client: TestClient, fmt: str, extra: str = "") -> bytes:
    response = client.get(f"/v1/data/HANDBU01/{fmt}?{QUERY}{extra}")
    assert response.status_code == 200, response.text
    return response.content


def test_csv_round_trip(client: TestClient) -> None:
    text = fetch(client, "CSV", "&valuePresentation=Code").decode("utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    assert reader.fieldnames == ["KOMMUNEDK", "INDSATSER", "KØN", "TID", "INDHOLD"]
    found = {(r["KOMMUNEDK"], r["TID"]): r["INDHOLD"] for r in reader}
    assert found == {k: ".." if v is None else str(v) for k, v in EXPECTED.items()}


def test_px_read_back_with_pyaxis(client: TestClient, tmp_path: Path) -> None:
    data = fetch(client, "PX")
    codepage = re.search(rb'CODEPAGE="([^"]+)"', data)
    assert codepage is not None and b"VARIABLECODE" in data
    path = tmp_path / "HANDBU01.px"
    path.write_bytes(data)
    parsed: dict[str, Any] = pyaxis.parse(str(path), encoding=codepage.group(1).decode())
    meta, frame = parsed["METADATA"], parsed["DATA"]
    assert meta["CODES(kommune)"] == ["000", "101", "147"]
    assert meta["CODES(tid)"] == ["2022", "2023", "2024"]
    assert meta["MATRIX"] == ["HANDBU01"]
    values = [None if str(v) in {"..", '".."', "nan"} else int(float(v)) for v in frame["DATA"]]
    assert values == [
        EXPECTED[(k, t)] for k in ("000", "101", "147") for t in ("2022", "2023", "2024")
    ]


def _cells(document: str) -> dict[tuple[str, str], int | None]:
    frame = pyjstat.Dataset.read(document).write("dataframe", naming="id")
    return {
        (row["KOMMUNEDK"], row["Tid"]): None
        if row["value"] is None or (isinstance(row["value"], float) and math.isnan(row["value"]))
        else int(row["value"])
        for _, row in frame.iterrows()
    }


def test_jsonstat_read_back_with_pyjstat(client: TestClient) -> None:
    bundle = fetch(client, "JSONSTAT").decode("utf-8")
    assert list(json.loads(bundle)) == ["dataset"]
    assert _cells(bundle) == EXPECTED
    dataset2 = fetch(client, "JSONSTAT2").decode("utf-8")
    assert _cells(dataset2) == EXPECTED


def test_jsonstat2_is_valid(client: TestClient) -> None:  # R-API-2
    validator = pytest.importorskip("jsonstat_validator")
    document = json.loads(fetch(client, "JSONSTAT2"))
    assert validator.validate_jsonstat(document)
    assert document["version"] == "2.0" and set(document["status"].values()) == {".."}


def test_sdmx_csv_and_parquet(client: TestClient) -> None:  # R-API-2
    rows = list(csv.DictReader(io.StringIO(fetch(client, "SDMXCSV").decode("utf-8"))))
    excluded = [r for r in rows if r["KOMMUNEDK"] == "147"]
    assert {(r["OBS_VALUE"], r["OBS_STATUS"], r["CONF_STATUS"]) for r in excluded} == {
        ("", "Q", "C")
    }
    table = pq.read_table(io.BytesIO(fetch(client, "PARQUET"))).to_pylist()
    assert len(table) == len(EXPECTED)
    excluded_rows = [r for r in table if r["KOMMUNEDK"] == "147"]
    assert {(r["INDHOLD"], r["STATUS"]) for r in excluded_rows} == {(None, "..")}


def test_xlsx_has_dots_for_excluded_cells(client: TestClient) -> None:
    book = load_workbook(io.BytesIO(fetch(client, "XLSX")))
    values = [
        row[-1]
        for row in book["Data"].iter_rows(min_row=3, values_only=True)
        if row[-1] is not None
    ]
    assert values.count("..") == 3
