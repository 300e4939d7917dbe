"""The portal and the staff pages in a real browser (Debian's Chromium via Playwright) against
a real uvicorn server, each user's working day end to end (issue 11, Done when): a case
officer uploads a file with errors, fixes the rejected record from the report, sees it
pending, confirms a CPR number and approves the validation list; staff run processing, send
the lists, send the written reminders to the municipality that has not answered once its
deadline has passed, and create, preview and publish the release.

Every step is a screenshot in docs/screenshots/ (named in docs/workflow.md); set
HANDISTAT_SCREENSHOTS=1 to refresh them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.accounts.helpers import (
    CHILD_101,
    CHILD_101B,
    CHILD_147,
    PASSWORD,
    UNKNOWN_101,
    cheap_hashing,
    handbu_csv,
    load_people,
)
from tests.api.live_server import serve
from tests.browser.chromium import MARKS
from tests.release.scenario import MovableClock

from handistat.accounts.resolve import accounts
from handistat.api.deps import Role
from handistat.app import App
from handistat.settings import load_settings

pytestmark = MARKS
SHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
OFFICER, STAFF = "sagsbehandler@kk.dk", "medarbejder@dst.dk"
OTHER_OFFICER = "sagsbehandler@frederiksberg.dk"
"""Frederiksberg (147) delivered but never answers: the reminders go to this person."""
START = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
AFTER_DEADLINE = dt.datetime(2026, 3, 25, 9, tzinfo=dt.UTC)
"""The lists are sent on 2 March with the default 21 days: deadline 23 March; the first
written reminder is due the day after."""


@dataclass
class Server:
    url: str
    clock: MovableClock


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("browser")
    clock = MovableClock(START)
    app = App(load_settings(data_dir=base / "data"), clock)
    app.init()
    cheap_hashing()
    load_people(app, base / "pop")
    acc = accounts(app)
    acc.add_user(OFFICER, Role.SAGSBEHANDLER, ["101"], PASSWORD, "test")
    acc.add_user(STAFF, Role.PERSONALE, [], PASSWORD, "test")
    acc.add_user(OTHER_OFFICER, Role.SAGSBEHANDLER, ["147"], PASSWORD, "test")
    from handistat.intake.policies import HANDBU_POLICY
    from handistat.intake.service import Sender

    app.intake.receive(
        HANDBU_POLICY,
        [
            handbu_csv(
                f"101;tidligere-1;{CHILD_101B};SEL44-83;2024-03-01;;",
                f"147;k147-1;{CHILD_147};SEL32;2025-02-01;;",
            )
        ],
        Sender("cli", None),
    )
    with serve(app) as url:
        yield Server(url, clock)
    app.catalogue.dispose()


TAKEN: list[str] = []
"""The screenshots in the order the walk takes them (the test checks docs/workflow.md)."""


def shot(page: Any, name: str, full_page: bool = True) -> None:
    TAKEN.append(name)
    if os.environ.get("HANDISTAT_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def log_in(browser: Any, base: str, email: str, start: str) -> Any:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{base}{start}")
    assert "/portal/login" in page.url
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    return page


def test_case_officer_and_staff_work_through_a_year(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    url = server.url
    officer = log_in(browser, url, OFFICER, "/portal")
    expect(officer.get_by_role("heading", name="Kommuneportal · København")).to_be_visible()
    shot(officer, "portal-forside")

    # upload a file: one good row, one with an unknown paragraph, one unknown CPR
    delivery = tmp_path / "leverance.csv"
    delivery.write_bytes(
        handbu_csv(
            f"101;sag-1;{CHILD_101};SEL32;2025-01-01;;",
            f"101;sag-2;{CHILD_101};SEL99;2025-02-01;2025-06-30;",
            f"101;sag-3;{UNKNOWN_101};SEL36;2025-03-01;;",
        )
    )
    officer.get_by_role("link", name="Send fil", exact=True).first.click()
    officer.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(delivery))
    shot(officer, "portal-upload")
    officer.get_by_role("button", name="Send").click()
    expect(officer.get_by_text("Delvist modtaget")).to_be_visible()
    expect(officer.get_by_text("Ukendt kode").first).to_be_visible()
    assert "UNKNOWN_CODE" not in officer.content()
    shot(officer, "portal-modtagelsesrapport")

    # fix the rejected record from the report: its "Ret" link opens the entry form
    officer.get_by_role("row", name="sag-2").get_by_role("link", name="Ret").click()
    expect(officer.get_by_label("Sags-id")).to_have_value("sag-2")
    officer.get_by_label("Barnets CPR-nummer").fill(CHILD_101)
    officer.get_by_label("Paragraf").select_option("SEL36")
    officer.get_by_label("Startdato").fill("2025-02-01")
    officer.get_by_label("Slutdato").fill("2025-06-30")
    shot(officer, "portal-ret-sag")
    officer.get_by_role("button", name="Send indberetningen").click()
    expect(officer.get_by_text("Sagen indgår i tallene efter næste behandling")).to_be_visible()
    shot(officer, "portal-indberetning")

    # issue 11 item 9: the corrected record is visible at once, pending processing
    officer.get_by_role("navigation", name="Kommuneportal").get_by_role(
        "link", name="Indberetninger"
    ).click()
    pending = officer.get_by_role("region", name="Sager, der afventer behandling")
    expect(pending.get_by_role("row", name="sag-2")).to_contain_text("afventer behandling")
    shot(officer, "portal-afventer-behandling")

    # staff run processing and send the validation lists for 2025
    staff = log_in(browser, url, STAFF, "/personale")
    expect(staff.get_by_role("heading", name="Overblik over kommunerne")).to_be_visible()
    staff.get_by_role("button", name="Kør behandling: HANDBU").click()
    expect(staff.get_by_text("Registret er dannet igen fra 3 leverancer")).to_be_visible()
    shot(staff, "personale-behandling")
    staff.get_by_role("link", name="Oversigt", exact=True).click()
    shot(staff, "personale-oversigt", full_page=False)
    staff.goto(f"{url}/personale/godkendelser?statistik=handbu&aar=2025")
    staff.get_by_role("button", name="Send valideringslister for 2025").click()
    expect(staff.get_by_text("Springes over: 96 kommuner uden data")).to_be_visible()
    expect(staff.get_by_text("med frist 23. marts 2026")).to_be_visible()
    shot(staff, "personale-send-bekraeft")
    staff.get_by_role("button", name="Bekræft: send 2 rapporter").click()
    expect(staff.get_by_text("2 rapporter sendt")).to_be_visible()
    shot(staff, "personale-sendt", full_page=False)
    staff.get_by_role("link", name="Påmindelser").click()
    expect(staff.get_by_text("Ingen påmindelser er forfaldne")).to_be_visible()
    shot(staff, "personale-paamindelser", full_page=False)

    # the case officer sees the CPR error and approves the validation list
    officer.get_by_role("link", name="Fejllister").click()
    expect(officer.get_by_role("cell", name=UNKNOWN_101)).to_be_visible()
    shot(officer, "portal-cpr-fejl")
    # issue 11 item 11: the CPR number is confirmed to Danmarks Statistik with a button
    officer.get_by_role("button", name="Bekræft CPR-nummeret i sag sag-3").click()
    expect(officer.get_by_text("er bekræftet over for Danmarks Statistik")).to_be_visible()
    shot(officer, "portal-cpr-bekraeftet")
    officer.get_by_role("link", name="Godkendelser").click()
    shot(officer, "portal-godkendelser")
    officer.get_by_role("link", name="Se tallene").click()
    expect(
        officer.get_by_role("img", name="Diagram over tallene i tabellen ovenfor")
    ).to_be_visible()
    shot(officer, "portal-valideringsliste")
    officer.get_by_role("button", name="Godkend tallene").click()
    expect(officer.get_by_text("godkendt af sagsbehandler@kk.dk")).to_be_visible()
    shot(officer, "portal-godkendt")

    # staff see the approval appear in the matrix; Frederiksberg has not answered
    staff.goto(f"{url}/personale/godkendelser?statistik=handbu&aar=2025")
    row = staff.get_by_role("row", name="101 København")
    expect(row.get_by_text("godkendt")).to_be_visible()
    expect(staff.get_by_text("godkendt: 1")).to_be_visible()
    shot(staff, "personale-godkendelser", full_page=False)

    # two days after the deadline (a new login: the sessions have long expired) staff send
    # the first written reminder: the preview shows one letter to Frederiksberg, then it goes
    server.clock.at = AFTER_DEADLINE
    staff = log_in(browser, url, STAFF, "/personale/paamindelser")
    expect(staff.get_by_role("heading", name="Påmindelser")).to_be_visible()
    due = staff.get_by_role("region", name="Forfaldne trin")
    expect(due.get_by_role("row", name="147 Frederiksberg")).to_contain_text("1. skriftlige")
    letters = staff.get_by_role("region", name="Breve, der sendes")
    expect(letters.get_by_role("row", name="147 Frederiksberg")).to_contain_text(OTHER_OFFICER)
    assert "101 København" not in letters.inner_text()  # it has answered
    letters.get_by_text("Påmindelse: Valideringslisten").click()  # the letter itself
    expect(letters.get_by_text("Fristen var 23. marts 2026")).to_be_visible()
    shot(staff, "personale-paamindelser-forhaandsvisning")
    staff.get_by_role("button", name="Bekræft: send 1 brev").click()
    expect(staff.get_by_text("1 brev dannet og gemt til 1 kommune om 1 liste.")).to_be_visible()
    expect(staff.get_by_text("Ingen påmindelser er forfaldne")).to_be_visible()
    shot(staff, "personale-paamindelser-sendt")
    staff.goto(f"{url}/personale/godkendelser?statistik=handbu&aar=2025")
    staff.get_by_role("row", name="147 Frederiksberg").get_by_role("link").first.click()
    history = staff.get_by_role("row", name="1. skriftlige påmindelse")
    expect(history).to_contain_text("25. marts 2026")  # in Copenhagen time, in words
    history.scroll_into_view_if_needed()
    shot(staff, "personale-paamindelse-historik", full_page=False)

    # staff create, preview and publish the release, confirming each step
    staff.get_by_role("link", name="Udgivelser").first.click()
    staff.get_by_label("Referenceår").fill("2025")
    staff.get_by_label("Offentliggøres (dansk tid)").fill("2026-12-01T08:00")
    staff.get_by_role("button", name="Dan udgivelsen").click()
    expect(staff.get_by_text("1. december 2026 kl. 08:00")).to_be_visible()
    shot(staff, "personale-udgivelse-bekraeft")
    staff.get_by_role("button", name="Bekræft: dan udgivelsen").click()
    expect(staff.get_by_text("Udgivelsen handbu-2025-1 er dannet.")).to_be_visible()
    shot(staff, "personale-udgivelse-forhaandsvisning")
    staff.get_by_role("button", name="Godkend til offentliggørelse").click()
    shot(staff, "personale-udgivelse-godkend-bekraeft")
    staff.get_by_role("button", name="Bekræft: godkend til offentliggørelse").click()
    expect(staff.get_by_text("Udgivelsen er godkendt til offentliggørelse.")).to_be_visible()
    shot(staff, "personale-udgivelse-godkendt")
    staff.get_by_role("link", name="Personale").first.click()
    staff.get_by_role("link", name="Log", exact=True).click()
    log = staff.content()
    assert "godkendte en udgivelse" in log and "UTC" not in log and "release.publish" not in log
    shot(staff, "personale-log", full_page=False)

    # docs/workflow.md shows every step, in the order taken
    guide = (SHOTS.parent / "workflow.md").read_text(encoding="utf-8")
    shown = [name for name in TAKEN if f"screenshots/{name}.png" in guide]
    assert shown == TAKEN
