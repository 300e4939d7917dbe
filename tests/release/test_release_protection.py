"""A protected release end to end (R-SDC-1..5), k = 3 and p = 3 as in production: the audit is
frozen with the release, no public path shows a count of 1 or 2, every format writes `..`,
`sum(...)` over a suppressed cell is `..`, staff see pattern and loss, an article edit that
states a suppressed figure is refused, and `handistat table` prints the protected table."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from handistat.accounts.principal import Role
from handistat.accounts.resolve import SESSION_COOKIE, accounts
from handistat.api.app import create_app
from handistat.app import App
from handistat.errors import Conflict
from handistat.release import artefact
from handistat.release.models import Release
from handistat.release.service import ReleaseService
from handistat.settings import load_settings
from tests.accounts.helpers import PASSWORD
from tests.conftest import build_handbu
from tests.release.scenario import MovableClock, local

PARAGRAPHS = ("SEL32", "SEL32A", "SEL44-83", "SEL44-84-1", "SEL45")
SIZES = {"101": 40, "147": 14, "151": 5, "153": 2}  # children per municipality


def _world(seed: int = 7) -> tuple[list[tuple[str, str, str, str]], str]:
    """Sixty-one children in four municipalities, one to three interventions each."""
    rng = random.Random(seed)
    persons, rows, n = [], [], 0
    for kommune, size in SIZES.items():
        for _ in range(size):
            n += 1
            year = rng.choice([2008, 2010, 2012, 2014, 2016, 2018, 2020])
            cpr = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{year % 100:02d}4{n:03d}"
            persons.append((cpr, rng.choice("MK"), f"{year}-01-01", ""))
            for j, paragraf in enumerate(rng.sample(PARAGRAPHS, rng.randint(1, 3))):
                start = f"{rng.choice([2023, 2024, 2025])}-0{rng.randint(1, 9)}-01"
                rows.append(f"{kommune};x{n}-{j};{cpr};{paragraf};{start};")
    return persons, "\n".join(rows)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, Release, TestClient]]:
    tmp = tmp_path_factory.mktemp("protected")
    clock = MovableClock(local("2026-10-01T12:00"))  # after the release time
    settings = load_settings(data_dir=tmp / "data", disclosure_k=3, disclosure_p=3)
    application = App(settings, clock)
    application.init()
    persons, body = _world()
    build_handbu(application, tmp, persons, body, years=(2023, 2024, 2025))
    service = ReleaseService(application)
    release = service.create("handbu", 2025, local("2026-09-30T08:00"), "test")
    service.publish(release.id, "test")
    with TestClient(create_app(application)) as client:
        yield application, service.get(release.id), client


def _frozen(application: App, release: Release) -> dict[str, dict[tuple[str, ...], int | None]]:
    tables = ReleaseService(application).load(release)
    return {t: dict(f.cube.values) for t, f in tables.items()}


def test_audit_is_frozen_with_the_release_and_passes(
    world: tuple[App, Release, TestClient],
) -> None:
    application, release, _ = world
    root = application.settings.data_dir / "releases" / release.id
    manifest = json.loads((root / "manifest.json").read_text())
    assert set(manifest["documents"]) == {"diskretion.json", "diskretion-intern.json"}
    for name, digest in manifest["documents"].items():  # covered by the checksums
        assert artefact.sha256((root / name).read_bytes()) == digest
    report = ReleaseService(application).disclosure(release)
    assert report is not None and report["bestaaet"] and report["parametre"] == {"k": 3, "p": 3}
    assert report["antal"]["primaer"] > 0 and report["antal"]["sekundaer"] > 0
    for cell in report["celler"]:
        low, high = cell["interval"]
        high = float("inf") if high is None else high
        assert high > low
        if cell["status"] == "primær":
            assert high - low >= 3


def test_no_published_count_of_one_or_two(world: tuple[App, Release, TestClient]) -> None:
    application, release, _ = world
    for table_id, values in _frozen(application, release).items():
        small = [k for k, v in values.items() if v is not None and 0 < v < 3]
        assert not small, (table_id, small[:5])


def test_a_shared_cell_has_one_status(world: tuple[App, Release, TestClient]) -> None:
    application, release, _ = world
    frozen = _frozen(application, release)
    for kommune in SIZES:
        for year in ("2023", "2024", "2025"):
            shown = {
                frozen["HANDBU01"][(kommune, "100", "0", year)] is None,
                frozen["HANDBU02"][(kommune, "100", "IALT", year)] is None,
                frozen["HANDBU05"][(kommune, "100", "TOT", year)] is None,
            }
            assert len(shown) == 1, (kommune, year)


QUERY = "KOMMUNEDK=*&INDSATSER=*&K%C3%98N=*&Tid=*"


def _suppressed(application: App, release: Release) -> int:
    return sum(v is None for v in _frozen(application, release)["HANDBU01"].values())


def test_every_format_shows_dots_and_no_primary_value(
    world: tuple[App, Release, TestClient],
) -> None:  # R-SDC-4, R-SDC-5
    application, release, client = world
    hidden = _suppressed(application, release)
    assert hidden > 0

    def get(fmt: str) -> bytes:
        response = client.get(f"/v1/data/HANDBU01/{fmt}?{QUERY}&valuePresentation=Code")
        assert response.status_code == 200, response.text
        return response.content

    rows = list(csv.DictReader(io.StringIO(get("CSV").decode("utf-8-sig")), delimiter=";"))
    assert sum(r["INDHOLD"] == ".." for r in rows) == hidden
    assert not [r for r in rows if r["INDHOLD"] in {"1", "2"}]
    bulk = list(csv.DictReader(io.StringIO(get("BULK").decode("utf-8-sig")), delimiter=";"))
    assert sum(r["INDHOLD"] == ".." for r in bulk) == hidden
    stat = json.loads(get("JSONSTAT2"))
    assert stat["value"].count(None) == hidden and not {1, 2} & set(stat["value"])
    assert any("diskretion" in n for n in stat.get("note", []))
    px = get("PX").decode("latin-1", errors="replace")
    assert px.count('".."') == hidden and "diskretion" in px
    book = load_workbook(io.BytesIO(get("XLSX")))
    values = [row[-1] for row in book["Data"].iter_rows(values_only=True)]
    assert values.count("..") == hidden and 1 not in values and 2 not in values
    sdmx = list(csv.DictReader(io.StringIO(get("SDMXCSV").decode("utf-8"))))
    assert sum(r["CONF_STATUS"] == "C" for r in sdmx) == hidden
    parquet = pq.read_table(io.BytesIO(get("PARQUET"))).to_pylist()
    assert sum(r["INDHOLD"] is None for r in parquet) == hidden


def test_sum_over_a_suppressed_cell_is_dots(world: tuple[App, Release, TestClient]) -> None:
    application, release, client = world
    frozen = _frozen(application, release)["HANDBU01"]
    hidden = next(k for k, v in frozen.items() if v is None and k[0] != "000")
    shown = next(
        k for k, v in frozen.items() if v is not None and k[1:] == hidden[1:] and k[0] != "000"
    )
    query = (
        f"KOMMUNEDK=sum({hidden[0]},{shown[0]})&INDSATSER={hidden[1]}&K%C3%98N={hidden[2]}"
        f"&Tid={hidden[3]}&valuePresentation=Code"
    )
    text = client.get(f"/v1/data/HANDBU01/CSV?{query}").content.decode("utf-8-sig")
    assert text.splitlines()[-1].endswith(";..")


def test_staff_preview_shows_pattern_audit_and_loss(
    world: tuple[App, Release, TestClient],
) -> None:
    application, release, client = world
    people = accounts(application)
    people.add_user("sdc@dst.example", Role.PERSONALE, [], PASSWORD, "test")
    session = people.login("sdc@dst.example", PASSWORD, "testclient")
    client.cookies.set(SESSION_COOKIE, session.session_id)
    page = client.get(f"/personale/udgivelser/{release.id}").text
    client.cookies.clear()
    assert "Diskretionering" in page and "Revisionen er bestået" in page
    assert "Tab pr. tabel" in page and "HANDBU04" in page and "primær" in page


def test_an_article_stating_a_suppressed_figure_is_refused(
    world: tuple[App, Release, TestClient],
) -> None:
    application, release, _ = world
    clock = application.clock
    assert isinstance(clock, MovableClock)
    clock.at = local("2026-09-01T12:00")  # before the release time: staff may still edit
    service = ReleaseService(application)
    internal = service.disclosure(release, internal=True)
    assert internal is not None
    published = {v for t in _frozen(application, release).values() for v in t.values()}
    secret = next(v for v in internal["vaerdier"].values() if v not in published)
    with pytest.raises(Conflict, match="undertrykt"):
        service.set_article(release.id, f"I alt fik {secret} børn aflastning.", "redaktør")
    total = next(v for v in published if v is not None and v >= 10)
    service.set_article(release.id, f"I alt fik {total} børn hjælp.", "redaktør")  # published
    clock.at = local("2026-10-01T12:00")


def test_cli_table_prints_the_protected_table_and_raw_on_request(
    world: tuple[App, Release, TestClient],
) -> None:  # SPEC §13: `table` without --raw is protected
    from typer.testing import CliRunner

    from handistat.cli import app as cli

    application, _, _ = world
    env = {"HANDISTAT_DATA_DIR": str(application.settings.data_dir), "HANDISTAT_DISCLOSURE_K": "3"}
    args = ["table", "HANDBU02", "--year", "2025", "--format", "csv"]
    protected = CliRunner().invoke(cli, args, env=env, catch_exceptions=False).stdout
    raw = CliRunner().invoke(cli, [*args, "--raw"], env=env, catch_exceptions=False).stdout

    def values(text: str) -> list[str]:
        return [line.rsplit(";", 1)[1] for line in text.strip().splitlines()[1:]]

    assert len(values(protected)) == len(values(raw))
    assert ".." in values(protected) and not {"1", "2"} & set(values(protected))
    assert ".." not in values(raw) and {"1", "2"} & set(values(raw))
