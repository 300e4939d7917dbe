"""The web statbank in Chromium (R-WEB-1): pick values, see the table and the chart, download
a file; and the same pages keyboard-reachable with JavaScript switched off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.api.live_server import serve
from tests.browser.chromium import MARKS
from tests.release.scenario import MovableClock, local, make_app, two_releases

pytestmark = MARKS


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    application = make_app(tmp, MovableClock(local("2026-10-01T12:00")))
    two_releases(application, tmp)
    with serve(application) as url:
        yield url


def test_pick_values_see_table_and_chart_and_download(
    browser: Any, base_url: str, tmp_path: Path
) -> None:
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{base_url}/statistikbanken")
    page.get_by_role("link", name="HANDBU03").first.click()
    indsats = page.get_by_role("group", name="Værdier for indsats")
    indsats.get_by_role("checkbox", name="Handicapindsatser i alt 100", exact=True).check()
    indsats.get_by_role("checkbox", name="Hjemmetræning af børn", exact=False).check()
    page.locator("#v-tid").get_by_label("Vælg alle").check()
    page.get_by_role("button", name="Vis tabel").click()
    page.wait_for_url("**/statistikbanken/HANDBU03/tabel?*")  # all_inner_texts does not wait
    table = page.locator("table.data")
    table.wait_for()
    assert table.locator("th[scope=col]").all_inner_texts()[-4:] == ["2022", "2023", "2024", "2025"]
    assert table.locator("tbody tr").count() == 2
    assert page.locator("figure.chart svg[role=img]:visible").count() == 1  # wide, not phone
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "HANDBU03.csv"
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "INDSATSER;TID;INDHOLD" and len(lines) == 1 + 2 * 4  # LANDSDEL eliminated
    page.close()


def test_search_and_keyboard_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/statistikbanken/HANDBU01")
    page.get_by_label("Søg i kommune").fill("frederiks")
    page.get_by_label("Søg i kommune").press("Enter")  # the first submit button: search
    page.wait_for_url("**/statistikbanken/HANDBU01?*soeg_KOMMUNEDK=frederiks*")
    values = page.get_by_role("group", name="Værdier for kommune")
    assert values.get_by_role("checkbox").count() in (
        2,
        3,
    )  # Frederiksberg, Frederikssund (+ Frederikshavn)
    values.get_by_role("checkbox", name="Frederiksberg 147", exact=True).check()
    indsats = page.get_by_role("group", name="Værdier for indsats")
    indsats.get_by_role("checkbox", name="Handicapindsatser i alt 100", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Vis tabel").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/statistikbanken/HANDBU01/tabel?*")
    assert page.locator('th[scope=rowgroup]:has-text("Frederiksberg")').count() == 1
    context.close()
