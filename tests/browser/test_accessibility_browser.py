"""Issue 14: WCAG 2.2 A/AA in the browser. axe-core (from the npm registry at a pinned version,
fetched by `scripts/axe-core.sh` and injected into the page, never from a CDN) runs on every
page of the public site, the municipality portal and the staff pages, at 1280 px and at
320 px; at 320 px no page may scroll sideways (SC 1.4.10). A keyboard-only user chooses
values and reads a table; the focus ring and the chart palette have their contrast asserted.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.accounts.helpers import PASSWORD, cheap_hashing
from tests.api.live_server import serve
from tests.browser.chromium import MARKS
from tests.browser.public_site import public_site

from handistat.accounts.resolve import accounts
from handistat.api.deps import Role
from handistat.approval.models import ApprovalReport
from handistat.approval.workflow import Workflow

pytestmark = MARKS
ROOT = Path(__file__).parents[2]
OFFICER, STAFF = "tilgaengelighed@kk.dk", "tilgaengelighed@dst.dk"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = (1280, 320)

PUBLIC = (
    "/",
    "/statistikbanken",
    "/statistikbanken?q=k%C3%B8restol",
    "/statistikbanken/HANDBU01",
    "/statistikbanken/HANDBU01?KOMMUNEDK=101&soeg_KOMMUNEDK=frede",
    "/statistikbanken/HANDBU01/tabel?KOMMUNEDK=000",  # the chooser with an error
    "/statistikbanken/HANDBU02/tabel?KOMMUNEDK=000&KOMMUNEDK=101&INDSATSER=*&ALDER=*&Tid=*",
    "/statistikbanken/HJALP4/tabel?HJAELPEMIDDEL2=*&ENHED=*&Tid=*",
    "/udgivelser",
    "/udgivelser/handbu-2025-1",
    "/nyt",
    "/nyt/handbu-2025-1",
    "/dokumentation",
    "/dokumentation/handbu",
    "/dokumentation/genbrug",
    "/statistikbanken/FINDESIKKE",
)
PORTAL = (
    "/portal/login",
    "/portal",
    "/portal/upload",
    "/portal/leverancer",
    "/portal/indberetninger",
    "/portal/indberetning",
    "/portal/godkendelser",
    "/portal/rapporter/cpr-fejl",
)
STAFF_PAGES = (
    "/personale",
    "/personale/leverancer",
    "/personale/cpr-fejl",
    "/personale/log",
    "/personale/godkendelser",
    "/personale/paamindelser",
    "/personale/frigivelse",
    "/personale/udgivelser",
    "/personale/udgivelser/handbu-2025-1",
    "/personale/brugere",
    "/personale/samarbejder",
    "/personale/rapporter/cpr-fejl",
    "/personale/godkendelser/send?statistik=handbu&aar=2025",
)
REPORTS: list[int] = []
"""Municipality 101's approval reports (HANDBU 2025 and a GENBRUG month, with their charts),
sent by the `base_url` fixture; their pages are audited for the caseworker and for staff."""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if shutil.which("npm") is None:
        pytest.skip("axe-core comes from the npm registry; npm is not installed")
    found = subprocess.run(
        ["bash", str(ROOT / "scripts" / "axe-core.sh")], check=True, capture_output=True, text=True
    )
    return Path(found.stdout.strip()).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    cheap_hashing()
    application = public_site(tmp_path_factory.mktemp("a11y"))
    users = accounts(application)
    users.add_user(OFFICER, Role.SAGSBEHANDLER, ["101"], PASSWORD, "test")
    users.add_user(STAFF, Role.PERSONALE, [], PASSWORD, "test")
    workflow = Workflow(application)
    workflow.send("handbu", 2025, "test")
    workflow.send("genbrug", 2024, "test")
    with application.catalogue.session() as s:
        found = s.query(ApprovalReport).filter_by(kommune="101").order_by(ApprovalReport.id)
        REPORTS[:] = [r.id for r in found][:2]
    with serve(application) as url:
        yield url


def logged_in(browser: Any, base_url: str, email: str | None) -> Any:
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script
    if email is not None:
        page = context.new_page()
        page.goto(f"{base_url}/portal/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state()
        page.close()
    return context


def violations(page: Any, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
    ]


def audit(
    context: Any, base_url: str, paths: tuple[str, ...], axe_source: str, *, reflow: bool = True
) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations at each width, and (`reflow`) sideways scrolling."""
    problems = []
    page = context.new_page()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(base_url + path)
            for found in violations(page, axe_source):
                problems.append(f"{width} px {path}: {found}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if reflow and scroll > width:
                problems.append(f"{width} px {path}: the page is {scroll} px wide (SC 1.4.10)")
    page.close()
    return problems


def test_public_pages(browser: Any, base_url: str, axe_source: str) -> None:
    context = logged_in(browser, base_url, None)
    problems = audit(context, base_url, PUBLIC, axe_source)
    assert not problems, "\n".join(problems)
    context.close()


def test_portal_pages(browser: Any, base_url: str, axe_source: str) -> None:
    context = logged_in(browser, base_url, OFFICER)
    reports = tuple(f"/portal/godkendelser/{r}" for r in REPORTS)
    assert len(reports) == 2
    problems = audit(context, base_url, PORTAL + reports, axe_source, reflow=False)
    assert not problems, "\n".join(problems)
    context.close()


def test_staff_pages(browser: Any, base_url: str, axe_source: str) -> None:
    context = logged_in(browser, base_url, STAFF)
    reports = tuple(f"/personale/godkendelser/{r}" for r in REPORTS)
    problems = audit(context, base_url, STAFF_PAGES + reports, axe_source, reflow=False)
    assert not problems, "\n".join(problems)
    context.close()


SESSION_POST = "#operations-konto-login_api_v1_session_post"
"""An operation with a request body: opened, tried out and executed, it shows every part of
Swagger UI that axe found wrong (issue 14)."""


def test_api_docs_page(browser: Any, base_url: str, axe_source: str) -> None:
    """The vendored Swagger UI on /docs, closed and with an operation opened, tried and
    executed and the schemas shown, at both widths (docs/tilgaengelighed.md says what our
    stylesheet and start script change in it)."""
    context = logged_in(browser, base_url, None)
    page = context.new_page()
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base_url}/docs")
        page.wait_for_selector(".swagger-ui .info")
        states = ("closed", "opened")
        for state in states:
            if state == "opened":
                page.locator(f"{SESSION_POST} .opblock-summary-control").click()
                page.locator(f"{SESSION_POST} .try-out__btn").click()
                page.locator(f"{SESSION_POST} .btn.execute").click()
                page.wait_for_selector(f"{SESSION_POST} .live-responses-table")
                page.locator(".models-control").click()
            problems += [f"{width} px {state}: {v}" for v in violations(page, axe_source)]
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{width} px {state}: the page is {scroll} px wide (SC 1.4.10)")
    assert not problems, "\n".join(problems)
    context.close()


def test_portal_and_staff_pages_reflow_at_320_px(browser: Any, base_url: str) -> None:
    problems = []
    portal = PORTAL + tuple(f"/portal/godkendelser/{r}" for r in REPORTS)
    staff = STAFF_PAGES + tuple(f"/personale/godkendelser/{r}" for r in REPORTS)
    for email, paths in ((OFFICER, portal), (STAFF, staff)):
        context = logged_in(browser, base_url, email)
        page = context.new_page()
        page.set_viewport_size({"width": 320, "height": 900})
        for path in paths:
            page.goto(base_url + path)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > 320:
                problems.append(f"{path}: {scroll} px")
        context.close()
    assert not problems, "\n".join(problems)


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_focus_ring_has_3_to_1_where_it_is_drawn(browser: Any, base_url: str) -> None:
    """SC 1.4.11: the outline against the page (white) and against the blue header."""
    page = browser.new_page()
    page.goto(f"{base_url}/statistikbanken")
    cases = (
        ("main a[href='/statistikbanken/HANDBU01']", "rgb(255, 255, 255)"),
        ("#q", "rgb(255, 255, 255)"),
        ("main button", "rgb(255, 255, 255)"),
        (".top a[href='/nyt']", None),  # against the header's own background
    )
    for selector, background in cases:
        element = page.locator(selector).first
        element.focus()
        style = element.evaluate(
            "e => [getComputedStyle(e).outlineColor, getComputedStyle(e).outlineStyle,"
            " getComputedStyle(e).outlineWidth,"
            " getComputedStyle(document.querySelector('.top')).backgroundColor]"
        )
        colour, line, width, header = style
        assert line == "solid" and float(width.removesuffix("px")) >= 2, selector
        assert contrast(colour, background or header) >= 3.0, (selector, colour)
    page.close()


def test_keyboard_only_chooses_values_and_reads_the_table(browser: Any, base_url: str) -> None:
    """Issue 14 item 6: the 98 municipalities can be skipped; Space ticks, Enter submits; the
    table's scroll box takes focus so it can be scrolled with the arrow keys."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}/statistikbanken/HANDBU01")

    def tab_to(predicate: str, limit: int) -> int:
        for presses in range(1, limit + 1):
            page.keyboard.press("Tab")
            if page.evaluate(
                f"(() => {{ const e = document.activeElement; return {predicate}; }})()"
            ):
                return presses
        raise AssertionError(f"not reached in {limit} Tab presses: {predicate}")

    tab_to("e.classList.contains('skip-inline') && e.href.endsWith('#v-indsatser')", 25)
    page.keyboard.press("Enter")  # past the municipalities
    presses = tab_to("e.name === 'INDSATSER' && e.value === '100'", 10)
    page.keyboard.press("Space")
    assert presses <= 10 and page.locator("#v-indsatser input[value='100']").is_checked()
    tab_to("e.name === 'KØN' && e.value === '*'", 10)
    page.keyboard.press("Space")
    tab_to("e.id === 'vis-tabel'", 60)
    page.keyboard.press("Enter")
    page.wait_for_url("**/statistikbanken/HANDBU01/tabel?*")
    tab_to("e.getAttribute('role') === 'region' && e.classList.contains('scroll')", 20)
    region = page.evaluate("document.activeElement.getAttribute('aria-labelledby')")
    caption = page.locator(f"#{region}").inner_text()
    assert caption.startswith("HANDBU01: Handicapindsatser til børn og unge")
    headers = page.locator("table.data thead th").all_inner_texts()
    assert headers[-1] == "2025" and "køn" in headers[0].lower()
    page.close()


def test_portal_menu_fits_one_line_at_1366_px(browser: Any, base_url: str) -> None:
    """Issue 11 item 13: every link of the portal menu on one line on a 1366 px laptop, for a
    caseworker and for staff (who also get "Personale"; the choice of municipality and "Log
    ud" sit above the menu)."""
    for email in (OFFICER, STAFF):
        context = logged_in(browser, base_url, email)
        page = context.new_page()
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{base_url}/portal")
        tops = page.evaluate(
            "Array.from(document.querySelectorAll('nav.subnav > *'))"
            ".map(e => Math.round(e.getBoundingClientRect().top + e.offsetHeight / 2))"
        )
        assert len(tops) >= 7 and max(tops) - min(tops) <= 4, (email, tops)
        context.close()
