"""A small HANDBU register and two releases of it, shared by the release, API and web tests.

Four children; release 1 (reference year 2024) covers 2022-2024. A later delivery annuls D's
2023 record and adds E in 2025; release 2 (2025) covers 2023-2025 and revises 2023.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handistat.app import App
from handistat.clock import COPENHAGEN
from handistat.intake.policies import HANDBU_POLICY
from handistat.register.process import process_handbu
from handistat.release.models import Release
from handistat.release.service import ReleaseService
from handistat.settings import load_settings
from tests.conftest import build_handbu, deliver_handbu

A, B, C, D, E = "1506154001", "0102124003", "2007204005", "1111104007", "0303184009"
PERSONS = (
    (A, "K", "2015-06-15", ""),
    (B, "M", "2012-02-01", ""),
    (C, "M", "2020-07-20", ""),
    (D, "K", "2010-11-11", ""),
    (E, "M", "2018-03-03", ""),
)
FIRST = "\n".join(
    [
        f"101;a1;{A};SEL32;2022-03-01;",
        f"101;a2;{A};SEL44-84-1;2023-05-01;2023-12-31",
        f"147;b1;{B};SEL44-84-1;2022-01-10;2024-06-30",
        f"147;c1;{C};SEL32A;2024-02-01;",
        f"101;d1;{D};SEL45;2023-01-01;2023-06-30",
    ]
)
CORRECTION = "\n".join(
    [
        f"101;d1;{D};SEL45;2023-01-01;2023-06-30;annulleret",
        f"151;e1;{E};SEL44-83;2025-02-01;",
    ]
)
YEARS = (2022, 2023, 2024, 2025)


def local(text: str) -> dt.datetime:
    """A Copenhagen wall-clock time as aware UTC."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=COPENHAGEN).astimezone(dt.UTC)


class MovableClock:
    """A clock tests can set (the embargo tests move it across 08:00)."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


def make_app(tmp_path: Path, clock: MovableClock) -> App:
    application = App(load_settings(data_dir=tmp_path / "data"), clock)
    application.init()
    return application


def first_register(application: App, tmp_path: Path) -> None:
    build_handbu(application, tmp_path, PERSONS, FIRST, years=YEARS)


def corrected_register(application: App) -> None:
    deliver_handbu(application, CORRECTION)
    process_handbu(application.intake, application.warehouse, HANDBU_POLICY, YEARS)


def two_releases(
    application: App, tmp_path: Path, *, publish_second: bool = True
) -> tuple[Release, Release]:
    """Release 1 (2024, public 2025-09-30 08:00) and release 2 (2025, 2026-09-30 08:00)."""
    service = ReleaseService(application)
    first_register(application, tmp_path)
    r1 = service.create("handbu", 2024, local("2025-09-30T08:00"), "test")
    service.publish(r1.id, "test")
    corrected_register(application)
    r2 = service.create("handbu", 2025, local("2026-09-30T08:00"), "test")
    if publish_second:
        service.publish(r2.id, "test")
    return service.get(r1.id), service.get(r2.id)
