"""The validation lists must not reveal the embargoed national figure (issue 13 item 9;
R-PUB-2, R-VAL-1): a municipality's list shows its own figures and only public ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handistat.app import App
from handistat.approval.handbu import validation_lists
from handistat.approval.workflow import Workflow
from handistat.intake.policies import HANDBU_POLICY
from handistat.register.process import process_handbu
from handistat.release.service import ReleaseService
from tests.accounts.helpers import CHILD_101, CHILD_101B, CHILD_147, load_people, make_site
from tests.conftest import deliver_handbu

TODAY = dt.date(2026, 3, 2)


def _build(app: App, tmp_path: Path) -> None:
    load_people(app, tmp_path / "pop")
    deliver_handbu(
        app,
        f"101;a;{CHILD_101};SEL32;2025-01-01;;\n"
        f"101;b;{CHILD_101B};SEL36;2025-02-01;2025-03-01;\n"
        f"147;c;{CHILD_147};SEL32;2025-05-01;;",
    )
    process_handbu(app.intake, app.warehouse, HANDBU_POLICY, [2024, 2025])


def test_no_national_rate_from_the_live_register(app: App, tmp_path: Path) -> None:
    _build(app, tmp_path)
    own = validation_lists(app.warehouse, 2025, TODAY)[("101", "")]
    assert own["rate"] == 1000.0  # its own: 2 children of the 2 living in 101
    assert own["national_rate"] is None  # live: 3 of 3 = 1000.0, embargoed


def test_national_rate_only_from_a_published_figure(app: App, tmp_path: Path) -> None:
    _build(app, tmp_path)
    lists = validation_lists(app.warehouse, 2025, TODAY, public_national={2025: 2})
    assert lists[("101", "")]["national_rate"] == round(2 * 1000 / 3, 1)  # 3 children live
    assert (
        validation_lists(app.warehouse, 2025, TODAY, {2024: 9})[("101", "")]["national_rate"]
        is None
    )  # another year's figure is not this year's


def test_portal_page_of_another_municipality_shows_no_national_figure(
    app: App, tmp_path: Path
) -> None:
    _build(app, tmp_path)
    site = make_site(app)
    Workflow(app).send("handbu", 2025, "staff")
    officer = site.client("sag_anden")  # 147: one child of its own
    listing = officer.get("/portal/godkendelser").text
    report_id = listing.split('href="/portal/godkendelser/')[1].split('"')[0]
    page = officer.get(f"/portal/godkendelser/{report_id}").text
    assert "landsplan: 1.000" not in page and "landsplan 1.000" not in page


def _release_then_annul(app: App, tmp_path: Path, public_at: dt.datetime) -> None:
    """A release of the 3-child register (national 3), published (approved) for `public_at`;
    then one record is annulled, so the live register says 2 (rate 666,7, never published)."""
    _build(app, tmp_path)
    service = ReleaseService(app)
    release = service.create("handbu", 2025, public_at, "test")
    service.publish(release.id, "test")
    deliver_handbu(app, f"101;b;{CHILD_101B};SEL36;2025-02-01;2025-03-01;annulleret")
    process_handbu(app.intake, app.warehouse, HANDBU_POLICY, [2024, 2025])


def _portal_page(app: App, role: str) -> str:
    site = make_site(app)
    Workflow(app).send("handbu", 2025, "staff")
    officer = site.client(role)
    listing = officer.get("/portal/godkendelser").text
    report_id = listing.split('href="/portal/godkendelser/')[1].split('"')[0]
    return officer.get(f"/portal/godkendelser/{report_id}").text


def test_national_rate_from_the_public_release(app: App, tmp_path: Path) -> None:
    """Issue 13.9: the public HANDBU01 national total (3 children) over the 3 children living
    in Denmark: 1.000,0 per 1,000; the live register's 2 (666,7) is not shown."""
    _release_then_annul(app, tmp_path, app.clock() - dt.timedelta(days=1))
    assert Workflow(app).figures("handbu", 2025)[("147", "")]["national_rate"] == 1000.0
    page = _portal_page(app, "sag_anden")
    assert "landsplan: 1.000,0" in page
    assert "666,7" not in page


def test_embargoed_release_gives_no_national_rate(app: App, tmp_path: Path) -> None:
    """Approved but public only tomorrow: its national figure is never shown (R-PUB-2)."""
    _release_then_annul(app, tmp_path, app.clock() + dt.timedelta(days=1))
    assert Workflow(app).figures("handbu", 2025)[("147", "")]["national_rate"] is None
    page = _portal_page(app, "sag_anden")
    assert "landsplan: –" in page
    assert "landsplan: 1.000" not in page and "666,7" not in page
