"""The PyPI clients `denstatbank` and `statbank` against our running server, unchanged except
for their base URL (R-API-1; statbank_api.md §7)."""

from __future__ import annotations

import locale
import subprocess
from collections.abc import Iterator

import pytest
import requests
from tests.api.live_server import serve
from tests.api.statbank_fixture import Published, published

__all__ = ["published"]


@pytest.fixture(scope="module")
def base_url(published: Published) -> Iterator[str]:
    with serve(published.app) as url:
        yield url


def test_denstatbank_reads_handbu01(base_url: str) -> None:
    from denstatbank import StatBankClient

    client = StatBankClient(lang="da")
    client._base_url = f"{base_url}/v1/"
    indsats = client.variable_dict("INDSATSER", ["110"])
    tid = client.variable_dict("Tid", ["*"])
    frame = client.data("HANDBU01", variables=[indsats, tid])
    assert list(frame.iloc[:, 0]) == [2, 2, 3, 3]
    assert list(frame.index.get_level_values("tid")) == ["2022", "2023", "2024", "2025"]
    assert frame.columns[0].startswith("Handicapindsatser til børn og unge mellem 0-17 år efter")
    info = client.tableinfo("HANDBU01", variables_df=True)
    assert {"000", "101", "110", "D"} <= set(info["id"])
    tables = client.tables()
    assert list(tables["id"])[:2] == ["HANDBU01", "HANDBU02"]
    subjects = client.subjects(subjects=["10"], include_tables=True, as_tree=False)
    assert subjects[0]["subjects"][0]["tables"][0]["id"] == "HANDBU01"


def _have_locales() -> bool:
    found = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    names = {n.casefold().replace("-", "") for n in found.split()}
    return {"en_dk.utf8", "en_us.utf8"} <= names


@pytest.fixture
def statbank_client(base_url: str) -> Iterator[object]:
    if not _have_locales():
        pytest.skip(
            "the statbank client needs the en_DK.UTF-8 and en_US.UTF-8 locales "
            "(scripts/system-deps.sh installs them)"
        )
    import statbank
    import statbank.config

    statbank.config.BASE_URL = f"{base_url}/v1"
    try:
        yield statbank
    finally:
        locale.setlocale(locale.LC_NUMERIC, "C")


def test_statbank_client(statbank_client: object) -> None:
    import statbank

    rows = list(statbank.data("HANDBU01", variables={"INDSATSER": ["110"], "Tid": "*"}))
    assert [(r.time.year, r.value) for r in rows] == [
        (2022, 2.0),
        (2023, 2.0),
        (2024, 3.0),
        (2025, 3.0),
    ]
    assert rows[0].variables["indsatser"].id == "110"
    latest = list(statbank.data("HANDBU06", descending=True))  # only TID left: first column
    assert [(r.time.year, r.value) for r in latest] == [(2025, 3.0)]
    english = list(
        statbank.data("HANDBU03", variables={"LANDSDEL": "01", "INDSATSER": "100"}, lang="en")
    )
    assert english[0].variables["landsdel"].text == "Province Byen København"
    streamed = list(
        statbank.data(
            "HANDBU03", variables={"LANDSDEL": "*", "INDSATSER": "*", "Tid": "*"}, stream=True
        )
    )
    assert len(streamed) == 12 * 10 * 4
    info = statbank.tableinfo("HANDBU01")
    assert info.id == "handbu01" and "køn" in info.variables
    assert [t.id for t in statbank.tables(subjects=["1010"])][:1] == ["HANDBU01"]
    assert [s.id for s in statbank.subjects(["10"])] == ["10"]


def test_bulk_is_chunked_on_the_wire(base_url: str) -> None:
    response = requests.get(
        f"{base_url}/v1/data/HANDBU01/BULK?KOMMUNEDK=*&INDSATSER=*&KØN=*&Tid=*",
        stream=True,
        timeout=30,
    )
    assert response.headers.get("transfer-encoding") == "chunked"
    assert sum(1 for line in response.iter_lines() if line) == 1 + 100 * 2 * 4 * 4


def test_the_documented_denstatbank_example_runs(
    base_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import runpy
    from pathlib import Path

    script = Path(__file__).parents[2] / "docs" / "denstatbank_example.py"
    runpy.run_path(str(script), run_name="example")["main"](base_url)
    printed = capsys.readouterr().out
    assert "HANDBU01" in printed and "Hele landet" in printed and "København" in printed
