"""Releases (R-PUB-1, R-PUB-3): freezing, checksums, vintages and the revision report, with
known answers from the scenario in `scenario.py`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handistat.app import App
from handistat.errors import Conflict
from handistat.release import artefact
from handistat.release.artefact import ArtefactDamaged
from handistat.release.models import APPROVED, PREPARED, Release
from handistat.release.service import ReleaseService
from tests.release.scenario import (
    MovableClock,
    first_register,
    local,
    make_app,
    two_releases,
)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[App, Release, Release]:
    tmp = tmp_path_factory.mktemp("releases")
    application = make_app(tmp, MovableClock(local("2026-10-01T12:00")))
    first, second = two_releases(application, tmp)
    return application, first, second


def test_create_freezes_every_table_for_three_years(
    released: tuple[App, Release, Release],
) -> None:  # R-PUB-1, R-PUB-3
    application, first, second = released
    assert first.id == "handbu-2024-1" and second.id == "handbu-2025-1"
    assert first.years == (2022, 2023, 2024) and second.years == (2023, 2024, 2025)
    assert first.tables == ("HANDBU01", "HANDBU02", "HANDBU03", "HANDBU04", "HANDBU05", "HANDBU06")
    root = application.settings.data_dir / "releases" / first.id
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["years"] == [2022, 2023, 2024]
    for name, digest in manifest["files"].items():
        assert artefact.sha256((root / name).read_bytes()) == digest
    assert artefact.sha256((root / "manifest.json").read_bytes()) == first.manifest_sha256
    assert not [p for p in root.parent.iterdir() if p.name.startswith(".tmp")]


def test_a_changed_artefact_is_refused(
    tmp_path: Path, released: tuple[App, Release, Release]
) -> None:
    application, first, _ = released
    copy = tmp_path / "releases"
    copy.mkdir()
    source = application.settings.data_dir / "releases" / first.id
    (copy / first.id).mkdir()
    for path in source.iterdir():
        (copy / first.id / path.name).write_bytes(path.read_bytes())
    target = copy / first.id / "HANDBU03.json"
    target.write_bytes(target.read_bytes().replace(b'"values": [', b'"values": [ '))
    with pytest.raises(ArtefactDamaged):
        artefact.load(copy, first.id, first.manifest_sha256)


def test_revision_report_known_answer(released: tuple[App, Release, Release]) -> None:
    """D's 2023 record was annulled: exactly these HANDBU03 cells changed (R-PUB-3)."""
    application, _, second = released
    cells = ReleaseService(application).revisions(second.id)
    handbu03 = {(c.codes, c.old, c.new) for c in cells if c.table == "HANDBU03"}
    assert handbu03 == {
        (("000", "100", "2023"), 4, 3),
        (("000", "110", "2023"), 3, 2),
        (("000", "7", "2023"), 1, 0),
        (("01", "100", "2023"), 4, 3),
        (("01", "110", "2023"), 3, 2),
        (("01", "7", "2023"), 1, 0),
    }
    assert {c.year for c in cells} == {"2023"}  # 2024 unchanged; 2025 is new, not revised
    # HANDBU01 for København, girls: D (a girl, 101) no longer counts in 2023.
    assert (("101", "110", "P", "2023"), 2, 1) in {
        (c.codes, c.old, c.new) for c in cells if c.table == "HANDBU01"
    }


def test_first_release_revises_nothing(released: tuple[App, Release, Release]) -> None:
    application, first, _ = released
    assert ReleaseService(application).revisions(first.id) == []


def test_public_view_merges_vintages_year_by_year(released: tuple[App, Release, Release]) -> None:
    application, first, second = released
    service = ReleaseService(application)
    table = service.public_view(application.clock()).table("HANDBU03")
    assert table.time_dimension.code_ids() == ("2022", "2023", "2024", "2025")
    assert [r.id for r in table.releases] == [first.id, second.id]
    values = table.cube.values
    assert values[("000", "100", "2022")] == 2  # from release 1 (not recomputed)
    assert values[("000", "100", "2023")] == 3  # revised by release 2
    assert values[("000", "100", "2025")] == 3
    assert any("2023" in n and "revideret" in n and second.id in n for n in table.cube.notes)


def test_every_vintage_stays_retrievable(released: tuple[App, Release, Release]) -> None:
    application, first, _ = released
    service = ReleaseService(application)
    old = service.vintage_view(first.id, application.clock(), staff=False).table("HANDBU03")
    assert old.time_dimension.code_ids() == ("2022", "2023", "2024")
    assert old.cube.values[("000", "100", "2023")] == 4  # as published in release 1
    assert not any("revideret" in n for n in old.cube.notes)


def test_publish_twice_and_late_edits_are_refused(released: tuple[App, Release, Release]) -> None:
    application, first, _ = released
    service = ReleaseService(application)
    with pytest.raises(Conflict, match="allerede"):
        service.publish(first.id, "test")
    with pytest.raises(Conflict, match="offentliggjort"):
        service.set_article(first.id, "# ny tekst", "test")


def test_create_needs_the_reference_year_in_the_register(tmp_path: Path) -> None:
    application = make_app(tmp_path, MovableClock(local("2026-10-01T12:00")))
    service = ReleaseService(application)
    with pytest.raises(Conflict, match="process"):
        service.create("handbu", 2024, local("2026-10-02T08:00"), "test")
    first_register(application, tmp_path)
    with pytest.raises(Conflict, match="ingen enheder for 2030"):
        service.create("handbu", 2030, local("2031-10-02T08:00"), "test")
    release = service.create("handbu", 2023, local("2026-10-02T08:00"), "test")
    assert release.years == (2022, 2023)  # never before 2022
    assert release.status == PREPARED
    assert service.publish(release.id, "test").status == APPROVED
    assert service.create("handbu", 2023, local("2026-10-03T08:00"), "test").id == "handbu-2023-2"
