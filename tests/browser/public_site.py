"""A public site with both statistics published: the HANDBU scenario's two releases and a
small GENBRUG release (2022-2024) with wheelchairs, so every search of issue 12 has a hit."""

from __future__ import annotations

from pathlib import Path

from tests.register.genbrug_helpers import load, process, setup
from tests.release.scenario import MovableClock, local, make_app, two_releases

from handistat.app import App
from handistat.release.service import ReleaseService

P1, P2, P3 = "0505500001", "1212300002", "0101800003"
PERSONS = [f"{P1};M;1950-05-05;", f"{P2};K;1930-12-12;", f"{P3};K;1980-01-01;"]
RESIDENCES = [f"{P1};101;1990-01-01;", f"{P2};147;1990-01-01;", f"{P3};101;2000-01-01;"]
CATALOGUE = ["1001;122203", "1002;122303", "1003;181203"]  # manual, powered wheelchair; bed
LOANS = [
    f"101;101;u1;1001;{P1};;2023-01-10;",
    f"101;101;u2;1002;{P2};;2023-03-01;",
    f"101;101;u3;1003;{P3};;2022-09-01;",
    f"101;101;u4;1001;{P3};;2024-02-01;",
]


def public_site(tmp_path: Path) -> App:
    """Clock on 2026-10-01 12:00: HANDBU 2024 and 2025 and GENBRUG 2024 are public."""
    application = make_app(tmp_path, MovableClock(local("2026-10-01T12:00")))
    two_releases(application, tmp_path)
    setup(application, tmp_path / "genbrug", PERSONS, RESIDENCES, CATALOGUE)
    load(application, "101", "A", "2025-01-05", LOANS)
    process(application)
    service = ReleaseService(application)
    release = service.create("genbrug", 2024, local("2025-10-01T08:00"), "test")
    service.publish(release.id, "test")
    return application
