"""Formula injection in CSV outputs that hold delivered text (issue 13 item 13; R-REL-3):
`rapport vis paragraf-ukendte --csv` and the portal's record download, end to end."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from handistat.app import App
from handistat.formula import neutralise
from tests.accounts.helpers import (
    CHILD_101,
    GENBRUG_HEADER,
    Site,
    handbu_csv,
    load_people,
    make_site,
)
from tests.cli.test_cli import run

HOSTILE = ('=HYPERLINK("http://x.example","klik")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3")


def test_neutralise_known_answers() -> None:
    assert neutralise("=1+2") == "'=1+2"
    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx"
    assert neutralise("-5") == "-5" and neutralise("+1.5") == "+1.5"  # numbers stay numbers
    assert neutralise("SEL32") == "SEL32" and neutralise(12) == 12 and neutralise(None) is None


def test_rapport_vis_csv(tmp_path: Path) -> None:
    pop = tmp_path / "pop"
    pop.mkdir()
    (pop / "personer.csv").write_text(
        "cpr;koen;foedselsdato;doedsdato\n0101504001;K;1950-01-01;\n", encoding="utf-8"
    )
    (pop / "bopael.csv").write_text("cpr;kommune;fra;til\n0101504001;101;1950-01-01;\n")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(GENBRUG_HEADER.split(";"))
    for i, value in enumerate(HOSTILE):
        writer.writerow(["101", "101", f"u{i}", "1001", "0101504001", value, "2024-01-05", ""])
    load = tmp_path / "load.csv"
    load.write_text(buffer.getvalue(), encoding="utf-8")
    run(tmp_path, "init")
    run(tmp_path, "population", "load", str(pop))
    args = ("--kommune", "101", "--kildesystem", "S", "--udtraeksdato", "2026-01-31")
    run(tmp_path, "deliver", "genbrug", str(load), *args)
    run(tmp_path, "process", "genbrug")
    out = run(tmp_path, "rapport", "vis", "paragraf-ukendte", "--csv").stdout
    cells = [row[1] for row in csv.reader(io.StringIO(out), delimiter=";")][1:]
    # the pipeline writes paragraphs in upper case; each hostile value once, neutralised
    assert sorted(c.casefold() for c in cells) == sorted(("'" + v).casefold() for v in HOSTILE)
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


@pytest.fixture
def site(app: App, tmp_path: Path) -> Site:
    load_people(app, tmp_path / "pop")
    return make_site(app)


def test_portal_record_download(site: Site) -> None:
    from handistat.intake.policies import HANDBU_POLICY
    from handistat.register.process import process_handbu

    vendor: TestClient = site.client("token_egen")
    body = handbu_csv(f"101;-A1:B2;{CHILD_101};SEL32;2025-01-01;;")
    assert vendor.post("/api/v1/leverancer/handbu", content=body).status_code == 201
    process_handbu(site.app.intake, site.app.warehouse, HANDBU_POLICY, (2025,))
    text = site.client("sag_egen").get("/portal/data.csv", params={"kommune": "101"}).text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][1] == "'-A1:B2"
