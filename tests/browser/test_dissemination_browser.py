"""Issue 12's "Done when" in Chromium: search by value texts with Danish stems, a chart of a
three-variable selection, an XLSX in table layout, a 390 px phone without sideways page
scrolling, and /docs rendering with every request off the machine refused."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook
from tests.api.live_server import serve
from tests.browser.chromium import MARKS
from tests.browser.public_site import public_site

pytestmark = MARKS
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    application = public_site(tmp_path_factory.mktemp("dissemination"))
    with serve(application) as url:
        yield url


def found_tables(page: Any, base_url: str, words: str) -> list[str]:
    page.goto(f"{base_url}/statistikbanken")
    page.get_by_label("Søg efter tabel, emne eller værdi").fill(words)
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url("**/statistikbanken?q=*")
    links = page.locator("ul.tablelist li > a strong").all_inner_texts()
    return [str(t) for t in links]


def test_search_finds_tables_by_value_texts_and_stems(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    wheelchairs = found_tables(page, base_url, "kørestol")
    assert "HJALP4" in wheelchairs and not any(t.startswith("HANDBU") for t in wheelchairs)
    assert "Manuelle kørestole" in page.locator("ul.tablelist").inner_text()  # why it matched
    respite = found_tables(page, base_url, "aflastning")
    assert "HANDBU03" in respite and "HANDBU01" not in respite  # only tables with the types
    devices = found_tables(page, base_url, "hjælpemiddel")  # the texts say "hjælpemidler"
    assert {"HJALP1", "HJALP2", "HJALP5"} <= set(devices)
    assert found_tables(page, base_url, "kørestol HANDBU03") == []  # every word must match
    page.close()


def test_three_variables_are_charted_and_xlsx_is_a_table(
    browser: Any, base_url: str, tmp_path: Path
) -> None:
    page = browser.new_page(accept_downloads=True, viewport={"width": 1366, "height": 900})
    page.goto(f"{base_url}/statistikbanken/HANDBU04")
    indsats = page.get_by_role("group", name="Værdier for indsats")
    indsats.get_by_role("checkbox", name="Hjemmetræning af børn", exact=False).check()
    indsats.get_by_role("checkbox", name="Personlig og praktisk hjælp", exact=False).check()
    koen = page.get_by_role("group", name="Værdier for køn")
    koen.get_by_role("checkbox", name="Drenge D", exact=True).check()
    koen.get_by_role("checkbox", name="Piger P", exact=True).check()
    page.locator("#v-tid").get_by_label("Vælg alle").check()
    page.get_by_role("button", name="Vis tabel").click()
    chart = page.locator("figure.chart .chart-wide svg[role=img]")
    assert chart.is_visible()
    label = chart.get_attribute("aria-label") or ""
    assert "indsats som serier" in label and "én delfigur for hver værdi af køn" in label
    assert chart.bounding_box()["width"] <= 1366
    assert page.locator("figure.chart .chart-narrow svg").is_hidden()
    # Grouped rows: each indsats once as a group heading, køn below it.
    groups = page.locator("table.data th[scope=rowgroup]").all_inner_texts()
    assert [g.split(" (")[0] for g in groups] == [
        "Hjemmetræning af børn",
        "Personlig og praktisk hjælp",
    ]
    with page.expect_download() as info:
        page.get_by_role("link", name="XLSX", exact=True).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    book = load_workbook(io.BytesIO(target.read_bytes()))
    assert book.sheetnames == ["HANDBU04", "Data"]
    rows = list(book["HANDBU04"].iter_rows(values_only=True))
    assert rows[2] == ("Indsats", "Køn", "2022", "2023", "2024", "2025")
    assert rows[3][1] == "Drenge" and rows[4][:2] == (None, "Piger")  # the label once per group
    assert list(book["Data"].iter_rows(values_only=True))[1] == ("indsats", "køn", "tid", "Antal")
    page.close()


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_phone_scrolls_only_inside_the_table_box(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    for path in (
        "/",
        "/statistikbanken",
        "/statistikbanken/HANDBU01",
        "/udgivelser",
        "/nyt/handbu-2025-1",
        "/dokumentation",
    ):
        page.goto(base_url + path)
        no_sideways_scroll(page)
    wide = "/statistikbanken/HANDBU02/tabel?KOMMUNEDK=000&KOMMUNEDK=101&INDSATSER=*&ALDER=*&Tid=*"
    page.goto(base_url + wide)
    no_sideways_scroll(page)
    box = page.locator("div.scroll[role=region]")
    assert box.get_attribute("tabindex") == "0"
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table scrolls in its box
    assert page.locator("figure.chart .chart-narrow svg").is_visible()
    assert page.locator("figure.chart .chart-wide svg").is_hidden()
    page.close()


def test_docs_render_without_internet(browser: Any, base_url: str) -> None:
    context = browser.new_context()
    refused: list[str] = []

    def only_this_machine(route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_machine)
    page = context.new_page()
    page.goto(f"{base_url}/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15000)
    assert "handistat" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/v1/tables").count() >= 1
    assert refused == []
    context.close()
