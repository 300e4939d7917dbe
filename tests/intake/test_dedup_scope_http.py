"""R-IN-2 and R-IN-5 through the real HTTP app (issue 10 items 2 and 7, issue 13 item 11):
only an accepted delivery of the same sender scope, statistic and header makes a resend a
no-op; rejected bytes are judged afresh; another municipality's delivery never blocks a file
and its id and outcome are never revealed; a delivery with no row in scope is 403."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.accounts.helpers import CHILD_101, CHILD_147, GENBRUG_HEADER, Site, handbu_csv, make_site

from handistat.app import App
from handistat.stores.catalogue import Delivery

CSV = {"Content-Type": "text/csv"}
HANDBU = "/api/v1/leverancer/handbu"
ROW_101 = f"101;r1;{CHILD_101};SEL32;2023-01-01;;"
ROW_147 = f"147;r2;{CHILD_147};SEL32;2023-01-01;;"
BAD_101 = f"101;r3;{CHILD_101};SEL99;2023-01-01;;"  # unknown paragraph


@pytest.fixture
def site(app: App) -> Site:
    return make_site(app)


def deliveries(app: App) -> int:
    with app.catalogue.session() as s:
        return int(s.scalar(select(func.count()).select_from(Delivery)) or 0)


def test_rejected_bytes_are_judged_afresh_every_time(site: Site, app: App) -> None:
    vendor = site.client("token_egen")
    body = handbu_csv(BAD_101)
    first = vendor.post(HANDBU, content=body, headers=CSV)
    again = vendor.post(HANDBU, content=body, headers=CSV)
    assert (first.status_code, again.status_code) == (422, 422)
    assert "duplicate_of" not in again.json()["error"]["details"]["report"]
    assert deliveries(app) == 2


def test_accepted_bytes_resent_are_a_no_op(site: Site, app: App) -> None:
    vendor = site.client("token_egen")
    first = vendor.post(HANDBU, content=handbu_csv(ROW_101), headers=CSV)
    again = vendor.post(HANDBU, content=handbu_csv(ROW_101), headers=CSV)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate_of"] == first.json()["delivery_id"]
    assert deliveries(app) == 1


def test_a_delivery_with_no_row_in_scope_is_403(site: Site, app: App) -> None:
    # R-IN-5: every row is for 147, the token is for 101.
    r = site.client("token_egen").post(HANDBU, content=handbu_csv(ROW_147), headers=CSV)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "NOT_AUTHORISED"
    assert r.json()["error"]["details"]["report"]["error_totals"] == {"KOMMUNE_NOT_ALLOWED": 1}


def test_a_mixed_delivery_rejects_only_the_foreign_rows(site: Site) -> None:
    body = handbu_csv(ROW_101, ROW_147)
    r = site.client("token_egen").post(HANDBU, content=body, headers=CSV)
    assert r.status_code == 201
    assert (r.json()["rows_accepted"], r.json()["error_totals"]) == (1, {"KOMMUNE_NOT_ALLOWED": 1})


def test_another_municipalitys_rejected_delivery_never_blocks_the_owner(site: Site) -> None:
    # Issue 13.11: 147 sends 101's file first (403: nothing in its scope); 101 then sends the
    # same bytes and gets them accepted, with no trace of 147's delivery in the answer.
    body = handbu_csv(ROW_101)
    foreign = site.client("token_anden").post(HANDBU, content=body, headers=CSV)
    assert foreign.status_code == 403
    foreign_id = foreign.json()["error"]["details"]["report"]["delivery_id"]
    own = site.client("token_egen").post(HANDBU, content=body, headers=CSV)
    assert own.status_code == 201
    assert own.json()["outcome"] == "accepted"
    assert "duplicate_of" not in own.json()
    assert own.json()["delivery_id"] != foreign_id
    assert "allerede modtaget" not in own.json()["message"]


def test_another_municipalitys_accepted_delivery_is_not_revealed(site: Site, app: App) -> None:
    # The same mixed bytes accepted in part for 147 and then for 101: two deliveries, each
    # answered with its own id; 101's answer never says 147 sent them.
    body = handbu_csv(ROW_101, ROW_147)
    theirs = site.client("token_anden").post(HANDBU, content=body, headers=CSV)
    ours = site.client("token_egen").post(HANDBU, content=body, headers=CSV)
    assert (theirs.status_code, ours.status_code) == (201, 201)
    assert "duplicate_of" not in ours.json()
    assert ours.json()["delivery_id"] != theirs.json()["delivery_id"]
    assert "leverance" not in ours.json()["message"]
    assert deliveries(app) == 2


def test_the_genbrug_header_is_part_of_the_key(site: Site, app: App) -> None:
    # The same bytes under another extract date are a new full load, not a duplicate.
    body = (GENBRUG_HEADER + f"\n101;101;u1;1001;{CHILD_101};;2023-01-10;\n").encode()
    vendor = site.client("token_egen")
    url = "/api/v1/leverancer/genbrug?indberetningskommune=101&kildesystem=A&udtraeksdato="
    first = vendor.post(url + "2024-01-05", content=body, headers=CSV)
    same = vendor.post(url + "2024-01-05", content=body, headers=CSV)
    later = vendor.post(url + "2024-04-05", content=body, headers=CSV)
    assert (first.status_code, same.status_code, later.status_code) == (201, 200, 201)
    assert same.json()["duplicate_of"] == first.json()["delivery_id"]
    assert deliveries(app) == 2
