"""A published HANDBU scenario behind the real app, shared by the Statbank API tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from tests.release.scenario import MovableClock, local, make_app, two_releases

from handistat.api.app import create_app
from handistat.app import App
from handistat.release.models import Release


@dataclass
class Published:
    app: App
    client: TestClient
    clock: MovableClock
    first: Release
    second: Release


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """Both releases public (the clock is a day after the second's 08:00)."""
    tmp = tmp_path_factory.mktemp("statbank")
    clock = MovableClock(local("2026-10-01T12:00"))
    application = make_app(tmp, clock)
    first, second = two_releases(application, tmp)
    with TestClient(create_app(application)) as client:
        yield Published(application, client, clock, first, second)
    application.catalogue.dispose()
