"""R-HB-9 / R-MD-1: research extracts carry a per-project pseudonym, never a CPR number."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from tests.conftest import build_handbu

from handistat.app import App
from handistat.errors import UsageError
from handistat.microdata.extract import write_extract
from handistat.microdata.pseudonym import master_key, person_keys, project_key
from handistat.stores.catalogue import AuditEvent

A, B = "1506154001", "0101104002"
PERSONS = [(A, "M", "2015-06-15", ""), (B, "K", "2010-01-01", "")]


@pytest.fixture
def register(app: App, tmp_path: Path) -> App:
    build_handbu(
        app,
        tmp_path,
        PERSONS,
        f"101;r1;{A};SEL32;2023-01-01;2023-01-31\n101;r2;{A};SEL32;2023-02-10;\n"
        f"147;r3;{B};SEL45;2022-01-01;2022-12-31\n147;r4;{A};SEL45;2022-01-01;",
    )
    return app


def test_episode_register_with_pseudonyms(register: App, tmp_path: Path) -> None:
    path = write_extract(register, "handbu", "P1", tmp_path / "out", actor="test")
    table = pq.read_table(path)
    assert table.column_names[0] == "person_noegle"
    assert "cpr" not in table.column_names
    rows = table.to_pylist()
    # Three episodes (r1+r2 merge; r3; r4), two children.
    assert len(rows) == 3
    assert len({r["person_noegle"] for r in rows}) == 2
    raw = path.read_bytes() + (tmp_path / "out" / "handbu_P1_kodebog.md").read_bytes()
    assert A.encode() not in raw and B.encode() not in raw


def test_keys_are_stable_within_and_unlinkable_across_projects(
    register: App, tmp_path: Path
) -> None:
    def keys(project: str) -> set[str]:
        path = write_extract(register, "handbu", project, tmp_path / project, actor="test")
        return {r["person_noegle"] for r in pq.read_table(path).to_pylist()}

    assert keys("P1") == keys("P1")
    assert keys("P1").isdisjoint(keys("P2"))


def test_every_extract_is_logged(register: App, tmp_path: Path) -> None:
    write_extract(register, "handbu", "P1", tmp_path / "out", actor="forsker-admin")
    with register.catalogue.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "microdata.extract")).one()
    assert (event.actor, event.details["projekt"], event.details["rows"]) == (
        "forsker-admin",
        "P1",
        3,
    )


def test_project_names_are_checked(register: App, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        write_extract(register, "handbu", "../etc", tmp_path, actor="test")


def test_loan_register_keys_are_those_of_the_cpr_text(app: App, tmp_path: Path) -> None:
    """The loan register keeps the CPR as `person_id` (issue 15); the extract's key is that of
    the ten-digit text, a leading zero included, so a person has the same key in a project's
    HANDBU and GENBRUG extracts."""
    with app.warehouse.writing() as con:
        con.execute(
            "CREATE TABLE genbrug_udlaan AS SELECT * FROM (VALUES "
            "(CAST(101104002 AS BIGINT), '101', '101', CAST(12 AS BIGINT), '120303', 'UOPL', "
            "DATE '2023-01-01', CAST(NULL AS DATE), DATE '2010-01-01', 'K'), "
            "(1506154001, '147', '147', 13, 'UKENDT', 'SEL112', DATE '2023-02-01', NULL, "
            "DATE '2015-06-15', 'M')) AS t(person_id, statistikkommune, indberetningskommune, "
            "hmi_nummer, iso_kode, paragraf_kode, udleveringsdato, indleveringsdato, "
            "foedselsdato, koen)"
        )
    path = write_extract(app, "genbrug", "P1", tmp_path / "out", actor="test")
    rows = pq.read_table(path).to_pylist()
    key = project_key(master_key(app.settings.data_dir), "P1")
    assert [r["person_noegle"] for r in rows] == person_keys(key, [B, A])
    raw = path.read_bytes() + (tmp_path / "out" / "genbrug_P1_kodebog.md").read_bytes()
    assert A.encode() not in raw and B.encode() not in raw and b"101104002" not in raw
