"""The one Chromium of the browser tests (started once per run; each test opens its own
context or page in it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.browser.chromium import ARGS, CHROMIUM


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
