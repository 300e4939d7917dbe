"""R-SEC-1: the authorisation matrix — every route of the delivery API, the approval API, the
portal, the staff pages (users, collaborations, releases included) × every role × own and
other municipality, and a caller with a token that is no token (`token_ugyldig`).

The resources (a delivery, an approval report, a CPR error, a release) belong to municipality
101; `*_egen` callers act for 101, `*_anden` for 147. Another municipality's resource answers
exactly like a missing one (404). A bad token is nobody: it answers like the anonymous caller.
The test fails when a route exists that the matrix does not list.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.accounts.helpers import (
    CHILD_101,
    GENBRUG_HEADER,
    PASSWORD,
    ROLES,
    UNKNOWN_101,
    Site,
    handbu_csv,
    load_people,
    make_site,
)

from handistat.accounts.models import User
from handistat.accounts.resolve import accounts
from handistat.api.deps import Role
from handistat.app import App
from handistat.approval.models import ApprovalReport
from handistat.approval.workflow import Workflow
from handistat.clock import fixed_clock
from handistat.register.samarbejder import add_samarbejde
from handistat.release.service import ReleaseService
from handistat.settings import load_settings

AREAS = (
    "/api/v1/leverancer",
    "/api/v1/godkendelser",
    "/api/v1/behandling",
    "/api/v1/session",
    "/api/v1/kommuner",
    "/portal",
    "/personale",
)
MODULES = (
    "handistat.api.deliveries",
    "handistat.api.session",
    "handistat.approval",
    "handistat.web.portal",
    "handistat.web.staff",
    "handistat.release.staff_pages",
)
"""The routes this matrix owns (other areas keep their own matrices)."""
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
_serial = itertools.count()
BAD_TOKEN = "token_ugyldig"
ALL_ROLES = (*ROLES, BAD_TOKEN)
"""R-SEC-1's callers plus one presenting a made-up API token."""
EXTRA = "ekstra@kommune101.dk"
"""A caseworker for 101 and 147 whom the staff's user forms act on (never one of the roles)."""


@dataclass
class World:
    site: Site
    delivery: int
    report: int
    release: str
    clients: dict[str, TestClient]

    def fresh(self, role: str) -> TestClient:
        if role == BAD_TOKEN:
            client = self.site.client("anonym")
            client.headers["Authorization"] = "Bearer hsk_findes-ikke"
            return client
        return self.site.client(role)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base: Path = tmp_path_factory.mktemp("matrix")
    app = App(load_settings(data_dir=base / "data"), fixed_clock(NOW))
    app.init()
    site = make_site(app)
    load_people(app, base / "pop")
    vendor = site.client("token_egen")
    r = vendor.post(
        "/api/v1/leverancer/handbu",
        content=handbu_csv(
            f"101;m1;{CHILD_101};SEL32;2025-01-01;;",
            f"101;m2;{UNKNOWN_101};SEL32;2025-01-01;;",  # on the CPR error list
        ),
        headers={"Content-Type": "text/csv"},
    )
    delivery = r.json()["delivery_id"]
    site.client("personale").post("/api/v1/behandling/handbu")
    Workflow(app).send("handbu", 2025, "test")
    with app.catalogue.session() as s:
        report = s.query(ApprovalReport).filter_by(kommune="101").one().id
    accounts(app).add_user(EXTRA, Role.SAGSBEHANDLER, ["101", "147"], PASSWORD, "test")
    add_samarbejde(
        app.catalogue, app.clock, "test", indberetter="101", medlem="147", fra="2020-01-01"
    )
    release = ReleaseService(app).create("handbu", 2025, NOW + dt.timedelta(days=30), "test").id
    world = World(site, delivery, report, release, {})
    world.clients = {role: world.fresh(role) for role in ALL_ROLES}
    yield world
    app.catalogue.dispose()


def reopen(world: World) -> None:
    """Put the report back to `sendt`, version 1, so every role meets the same state."""
    with world.site.app.catalogue.session() as s:
        report = s.get(ApprovalReport, world.report)
        assert report is not None
        report.state, report.version = "sendt", 1


def csrf_of(client: TestClient) -> str:
    return str(getattr(client, "csrf", ""))


def unique_record() -> bytes:
    return handbu_csv(f"101;u{next(_serial)};{CHILD_101};SEL32;2025-01-01;;")


def both_municipalities(world: World) -> None:
    """Give the extra caseworker 147 back, so removing it answers the same to each role."""
    with world.site.app.catalogue.session() as s:
        user = s.query(User).filter_by(email=EXTRA).one()
        user.kommuner = ["101", "147"]


def new_period() -> dict[str, str]:
    """A membership period of its own (no overlap with any earlier one)."""
    year = 1990 + next(_serial)
    return {"indberetter": "101", "medlem": "151", "fra": f"{year}-01-01", "til": f"{year}-06-30"}


def login_form(client: TestClient) -> httpx.Response:
    page = client.get("/portal/login")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    return client.post(
        "/portal/login", data={"email": "sag@kommune101.dk", "password": PASSWORD, "csrf": token}
    )


Call = Callable[[TestClient, World], httpx.Response]


def form(path: str, **fields: str) -> Call:
    """A browser form posted to `path` with the caller's CSRF token and `fields`."""
    return lambda c, w: c.post(path, data={"csrf": csrf_of(c), **fields})


Expect = dict[str, set[int]]


def expect(
    anonym: int,
    sag_egen: set[int] | int,
    sag_anden: int,
    token_egen: set[int] | int,
    token_anden: int,
    staff: set[int] | int,
) -> Expect:
    def s(v: set[int] | int) -> set[int]:
        return v if isinstance(v, set) else {v}

    return {
        "anonym": {anonym},
        BAD_TOKEN: {anonym},
        "sag_egen": s(sag_egen),
        "sag_anden": {sag_anden},
        "token_egen": s(token_egen),
        "token_anden": {token_anden},
        "personale": s(staff),
        "admin": s(staff),
    }


def everyone(status: int | set[int]) -> Expect:
    return {role: status if isinstance(status, set) else {status} for role in ALL_ROLES}


STAFF_API = expect(401, 403, 403, 403, 403, 200)
STAFF_PAGE = expect(303, 403, 403, 403, 403, 200)
STAFF_FORM = expect(303, 403, 403, 403, 403, 303)
OWN_API = expect(401, 200, 404, 200, 404, 200)
ANY_API = expect(401, 200, 200, 200, 200, 200)
OWN_PAGE = expect(303, 200, 403, 403, 403, 200)  # pages about municipality 101
OWN_RESOURCE_PAGE = expect(303, 200, 404, 403, 403, 200)
DECIDE_API = expect(401, 200, 404, 403, 404, 403)
DECIDE_PAGE = expect(303, 303, 404, 403, 403, 403)
DELIVER_API = expect(401, 201, 403, 201, 403, 201)
PERSON_PAGE = expect(303, 200, 200, 403, 403, 200)  # any logged-in person, no municipality
OWN_FORM = expect(303, 303, 403, 403, 403, 303)  # a form about municipality 101

K = {"kommune": "101"}
ROUTES: dict[tuple[str, str], tuple[Call, Expect]] = {
    # the delivery API
    ("POST", "/api/v1/leverancer/handbu"): (
        lambda c, w: c.post(
            "/api/v1/leverancer/handbu",
            headers={"Content-Type": "application/json"},
            content=b'{"kommune": "101", "records": [{"indsats_id": "j%d", "cpr": "%s", '
            b'"paragraf": "SEL32", "startdato": "2025-01-01"}]}'
            % (next(_serial), CHILD_101.encode()),
        ),
        DELIVER_API,
    ),
    ("POST", "/api/v1/leverancer/genbrug"): (
        lambda c, w: c.post(
            "/api/v1/leverancer/genbrug",
            headers={"Content-Type": "text/csv"},
            params={
                "indberetningskommune": "101",
                "kildesystem": "S",
                "udtraeksdato": "2026-01-31",
            },
            content=f"{GENBRUG_HEADER}\n101;101;g{next(_serial)};1001;0505500001;;2024-01-05;\n".encode(),
        ),
        DELIVER_API,
    ),
    ("GET", "/api/v1/leverancer"): (lambda c, w: c.get("/api/v1/leverancer"), ANY_API),
    ("GET", "/api/v1/leverancer/status"): (
        lambda c, w: c.get("/api/v1/leverancer/status"),
        STAFF_API,
    ),
    ("GET", "/api/v1/leverancer/{delivery_id}"): (
        lambda c, w: c.get(f"/api/v1/leverancer/{w.delivery}"),
        OWN_API,
    ),
    ("GET", "/api/v1/leverancer/{delivery_id}/fil"): (
        lambda c, w: c.get(f"/api/v1/leverancer/{w.delivery}/fil"),
        OWN_API,
    ),
    ("GET", "/api/v1/kommuner/{kommune}/indberetninger"): (
        lambda c, w: c.get("/api/v1/kommuner/101/indberetninger"),
        expect(401, 200, 403, 200, 403, 200),
    ),
    ("GET", "/api/v1/kommuner/{kommune}/rapporter/{name}"): (
        lambda c, w: c.get("/api/v1/kommuner/101/rapporter/cpr-fejl"),
        expect(401, 200, 403, 200, 403, 200),
    ),
    # the approval API
    ("GET", "/api/v1/godkendelser"): (lambda c, w: c.get("/api/v1/godkendelser"), ANY_API),
    ("GET", "/api/v1/godkendelser/{report_id}"): (
        lambda c, w: c.get(f"/api/v1/godkendelser/{w.report}"),
        OWN_API,
    ),
    ("POST", "/api/v1/godkendelser/{report_id}/godkend"): (
        lambda c, w: (
            reopen(w),
            c.post(f"/api/v1/godkendelser/{w.report}/godkend", json={"version": 1}),
        )[1],
        DECIDE_API,
    ),
    ("POST", "/api/v1/godkendelser/{report_id}/afvis"): (
        lambda c, w: (
            reopen(w),
            c.post(
                f"/api/v1/godkendelser/{w.report}/afvis",
                json={"version": 1, "kommentar": "forkert"},
            ),
        )[1],
        DECIDE_API,
    ),
    ("POST", "/api/v1/godkendelser/{report_id}/paamindelser"): (
        lambda c, w: c.post(
            f"/api/v1/godkendelser/{w.report}/paamindelser",
            json={"trin": "telefon", "note": "ringet"},
        ),
        expect(401, 403, 403, 403, 403, {200, 409}),
    ),
    ("POST", "/api/v1/godkendelser/send"): (
        lambda c, w: c.post("/api/v1/godkendelser/send", json={"statistik": "handbu", "aar": 2025}),
        STAFF_API,
    ),
    ("GET", "/api/v1/godkendelser/matrix/{statistik}/{aar}"): (
        lambda c, w: c.get("/api/v1/godkendelser/matrix/handbu/2025"),
        STAFF_API,
    ),
    ("GET", "/api/v1/godkendelser/paamindelser"): (
        lambda c, w: c.get("/api/v1/godkendelser/paamindelser"),
        STAFF_API,
    ),
    ("POST", "/api/v1/godkendelser/paamindelser"): (
        lambda c, w: c.post("/api/v1/godkendelser/paamindelser"),
        STAFF_API,
    ),
    ("GET", "/api/v1/godkendelser/frigivelse/{statistik}/{aar}"): (
        lambda c, w: c.get("/api/v1/godkendelser/frigivelse/handbu/2025"),
        STAFF_API,
    ),
    ("PUT", "/api/v1/godkendelser/frigivelse/{statistik}/{aar}/{kommune}"): (
        lambda c, w: c.put(
            "/api/v1/godkendelser/frigivelse/handbu/2025/101", json={"beslutning": "godkendt"}
        ),
        STAFF_API,
    ),
    ("POST", "/api/v1/behandling/{statistik}"): (
        lambda c, w: c.post("/api/v1/behandling/handbu"),
        STAFF_API,
    ),
    # sessions (public by nature)
    ("POST", "/api/v1/session"): (
        lambda c, w: c.post(
            "/api/v1/session", json={"email": "sag@kommune101.dk", "password": PASSWORD}
        ),
        everyone(200),
    ),
    ("GET", "/api/v1/session"): (lambda c, w: c.get("/api/v1/session"), ANY_API),
    ("DELETE", "/api/v1/session"): (lambda c, w: c.delete("/api/v1/session"), everyone(200)),
    # the portal
    ("GET", "/portal/login"): (lambda c, w: c.get("/portal/login"), everyone(200)),
    ("POST", "/portal/login"): (lambda c, w: login_form(c), everyone(303)),
    ("POST", "/portal/logout"): (
        lambda c, w: c.post("/portal/logout", data={"csrf": csrf_of(c)}),
        everyone(303),
    ),
    ("GET", "/portal"): (lambda c, w: c.get("/portal", params=K), OWN_PAGE),
    ("GET", "/portal/upload"): (lambda c, w: c.get("/portal/upload", params=K), OWN_PAGE),
    ("POST", "/portal/upload"): (
        lambda c, w: c.post(
            "/portal/upload",
            data={"csrf": csrf_of(c), "kommune": "101", "statistik": "handbu"},
            files={"fil": ("lev.csv", unique_record(), "text/csv")},
        ),
        OWN_PAGE,
    ),
    ("GET", "/portal/leverancer"): (lambda c, w: c.get("/portal/leverancer", params=K), OWN_PAGE),
    ("GET", "/portal/leverancer/{delivery_id}"): (
        lambda c, w: c.get(f"/portal/leverancer/{w.delivery}"),
        OWN_RESOURCE_PAGE,
    ),
    ("GET", "/portal/leverancer/{delivery_id}/fil"): (
        lambda c, w: c.get(f"/portal/leverancer/{w.delivery}/fil"),
        OWN_RESOURCE_PAGE,
    ),
    ("GET", "/portal/rapporter/{name}"): (
        lambda c, w: c.get("/portal/rapporter/cpr-fejl", params=K),
        OWN_PAGE,
    ),
    ("GET", "/portal/indberetninger"): (
        lambda c, w: c.get("/portal/indberetninger", params=K),
        OWN_PAGE,
    ),
    ("GET", "/portal/data.csv"): (lambda c, w: c.get("/portal/data.csv", params=K), OWN_PAGE),
    ("GET", "/portal/indberetning"): (
        lambda c, w: c.get("/portal/indberetning", params=K),
        OWN_PAGE,
    ),
    ("POST", "/portal/indberetning"): (
        lambda c, w: c.post(
            "/portal/indberetning",
            data={
                "csrf": csrf_of(c),
                "kommune": "101",
                "indsats_id": f"f{next(_serial)}",
                "cpr": CHILD_101,
                "paragraf": "SEL32",
                "startdato": "2025-01-01",
            },
        ),
        OWN_PAGE,
    ),
    ("GET", "/portal/godkendelser"): (
        lambda c, w: c.get("/portal/godkendelser", params=K),
        OWN_PAGE,
    ),
    ("GET", "/portal/godkendelser/{report_id}"): (
        lambda c, w: c.get(f"/portal/godkendelser/{w.report}"),
        OWN_RESOURCE_PAGE,
    ),
    ("POST", "/portal/godkendelser/{report_id}"): (
        lambda c, w: (
            reopen(w),
            c.post(
                f"/portal/godkendelser/{w.report}",
                data={"csrf": csrf_of(c), "handling": "godkend", "version": "1"},
            ),
        )[1],
        DECIDE_PAGE,
    ),
    ("POST", "/portal/godkendelser/alle"): (
        lambda c, w: (
            reopen(w),
            c.post(
                "/portal/godkendelser/alle",
                data={"csrf": csrf_of(c), "kommune": "101", "rapport": f"{w.report}:1"},
            ),
        )[1],
        expect(303, 303, 403, 403, 403, 403),  # only the municipality's caseworkers approve
    ),
    ("GET", "/portal/leverancer/{delivery_id}/afviste.csv"): (
        lambda c, w: c.get(f"/portal/leverancer/{w.delivery}/afviste.csv"),
        OWN_RESOURCE_PAGE,
    ),
    ("GET", "/portal/skabelon/{statistik}.csv"): (
        lambda c, w: c.get("/portal/skabelon/handbu.csv"),
        PERSON_PAGE,
    ),
    ("POST", "/portal/rapporter/cpr-fejl/bekraeft"): (
        form("/portal/rapporter/cpr-fejl/bekraeft", kommune="101", indsats_id="m2"),
        OWN_FORM,  # staff may confirm too (a caseworker's call by phone); the log says who
    ),
    # the staff pages
    ("GET", "/personale"): (lambda c, w: c.get("/personale"), STAFF_PAGE),
    ("POST", "/personale/behandling"): (
        lambda c, w: c.post(
            "/personale/behandling", data={"csrf": csrf_of(c), "statistik": "handbu"}
        ),
        STAFF_PAGE,
    ),
    ("GET", "/personale/cpr-fejl"): (lambda c, w: c.get("/personale/cpr-fejl"), STAFF_PAGE),
    ("GET", "/personale/leverancer"): (lambda c, w: c.get("/personale/leverancer"), STAFF_PAGE),
    ("GET", "/personale/log"): (lambda c, w: c.get("/personale/log"), STAFF_PAGE),
    ("GET", "/personale/godkendelser"): (lambda c, w: c.get("/personale/godkendelser"), STAFF_PAGE),
    ("POST", "/personale/godkendelser/send"): (
        lambda c, w: c.post(
            "/personale/godkendelser/send",
            data={"csrf": csrf_of(c), "statistik": "handbu", "aar": "2025"},
        ),
        STAFF_FORM,
    ),
    ("GET", "/personale/godkendelser/{report_id}"): (
        lambda c, w: c.get(f"/personale/godkendelser/{w.report}"),
        STAFF_PAGE,
    ),
    ("POST", "/personale/godkendelser/{report_id}/paamindelse"): (
        lambda c, w: c.post(
            f"/personale/godkendelser/{w.report}/paamindelse",
            data={"csrf": csrf_of(c), "trin": "telefon", "note": "ringet"},
        ),
        STAFF_FORM,
    ),
    ("GET", "/personale/paamindelser"): (lambda c, w: c.get("/personale/paamindelser"), STAFF_PAGE),
    ("POST", "/personale/paamindelser"): (
        lambda c, w: c.post("/personale/paamindelser", data={"csrf": csrf_of(c)}),
        STAFF_FORM,  # issue 11: sending needs the preview's confirmation, else back to it
    ),
    ("GET", "/personale/frigivelse"): (lambda c, w: c.get("/personale/frigivelse"), STAFF_PAGE),
    ("POST", "/personale/frigivelse"): (
        lambda c, w: c.post(
            "/personale/frigivelse",
            data={
                "csrf": csrf_of(c),
                "statistik": "handbu",
                "aar": "2025",
                "kommune": "101",
                "beslutning": "godkendt",
            },
        ),
        STAFF_FORM,
    ),
    ("GET", "/personale/rapporter/{name}"): (
        lambda c, w: c.get("/personale/rapporter/cpr-fejl"),
        STAFF_PAGE,
    ),
    ("GET", "/personale/godkendelser/send"): (
        lambda c, w: c.get(
            "/personale/godkendelser/send", params={"statistik": "handbu", "aar": 2025}
        ),
        STAFF_PAGE,
    ),
    ("POST", "/personale/godkendelser/frist"): (
        form("/personale/godkendelser/frist", statistik="handbu", aar="2025", frist="2026-04-01"),
        STAFF_FORM,
    ),
    # staff: people with accounts (R-SEC-3); the forms act on the extra caseworker
    ("GET", "/personale/brugere"): (lambda c, w: c.get("/personale/brugere"), STAFF_PAGE),
    ("POST", "/personale/brugere/spaer"): (
        form("/personale/brugere/spaer", email=EXTRA),
        STAFF_PAGE,
    ),
    ("POST", "/personale/brugere/genaabn"): (
        form("/personale/brugere/genaabn", email=EXTRA),
        STAFF_PAGE,
    ),
    ("POST", "/personale/brugere/nulstil"): (
        form("/personale/brugere/nulstil", email=EXTRA),
        STAFF_PAGE,
    ),
    ("POST", "/personale/brugere/fjern-kommune"): (
        lambda c, w: (
            both_municipalities(w),
            c.post(
                "/personale/brugere/fjern-kommune",
                data={"csrf": csrf_of(c), "email": EXTRA, "kommune": "147"},
            ),
        )[1],
        STAFF_PAGE,
    ),
    # staff: depot collaborations (R-GB-4)
    ("GET", "/personale/samarbejder"): (lambda c, w: c.get("/personale/samarbejder"), STAFF_PAGE),
    ("POST", "/personale/samarbejder/tilfoej"): (
        lambda c, w: c.post(
            "/personale/samarbejder/tilfoej", data={"csrf": csrf_of(c), **new_period()}
        ),
        STAFF_PAGE,
    ),
    ("POST", "/personale/samarbejder/afslut"): (
        form("/personale/samarbejder/afslut", indberetter="101", medlem="147", til="2030-12-31"),
        STAFF_PAGE,
    ),
    # staff: releases (R-PUB-1, R-PUB-4); each action stops at its confirmation page
    ("GET", "/personale/udgivelser"): (lambda c, w: c.get("/personale/udgivelser"), STAFF_PAGE),
    ("POST", "/personale/udgivelser"): (
        form("/personale/udgivelser", statistik="handbu", aar="2025", tidspunkt="2026-04-07T08:00"),
        STAFF_PAGE,
    ),
    ("GET", "/personale/udgivelser/{release_id}"): (
        lambda c, w: c.get(f"/personale/udgivelser/{w.release}"),
        STAFF_PAGE,
    ),
    ("POST", "/personale/udgivelser/{release_id}/artikel"): (
        lambda c, w: c.post(
            f"/personale/udgivelser/{w.release}/artikel",
            data={"csrf": csrf_of(c), "nulstil": "1"},
        ),
        STAFF_FORM,
    ),
    ("POST", "/personale/udgivelser/{release_id}/{handling}"): (
        lambda c, w: c.post(
            f"/personale/udgivelser/{w.release}/godkend", data={"csrf": csrf_of(c)}
        ),
        STAFF_PAGE,
    ),
}
FRESH = {
    ("POST", "/api/v1/session"),
    ("DELETE", "/api/v1/session"),
    ("POST", "/portal/login"),
    ("POST", "/portal/logout"),
}
"""Routes that change the caller's own session get a client of their own."""


def all_routes(routes: list[Any]) -> Iterator[tuple[str, str]]:
    """(method, path) of every route, through the routers FastAPI includes lazily."""
    for route in routes:
        if hasattr(route, "effective_candidates"):
            yield from all_routes(route.effective_candidates())
        elif hasattr(route, "original_route"):
            if getattr(route.endpoint, "__module__", "").startswith(MODULES):
                for method in getattr(route.original_route, "methods", None) or ():
                    yield method, route.path
        elif isinstance(route, APIRoute) and route.endpoint.__module__.startswith(MODULES):
            for method in route.methods:
                yield method, route.path


def test_the_matrix_lists_every_route(world: World) -> None:
    found = {(m, p) for m, p in all_routes(world.site.api.routes) if p.startswith(AREAS)}
    assert found == set(ROUTES)


@pytest.mark.parametrize("key", sorted(ROUTES), ids=lambda k: f"{k[0]} {k[1]}")
def test_route_answers_each_role_as_declared(world: World, key: tuple[str, str]) -> None:
    call, expected = ROUTES[key]
    wrong = {}
    for role in ALL_ROLES:
        client = world.fresh(role) if key in FRESH else world.clients[role]
        response = call(client, world)
        if response.status_code not in expected[role]:
            wrong[role] = (response.status_code, response.text[:160])
        elif response.status_code == 303 and role in ("anonym", BAD_TOKEN) and key not in FRESH:
            assert response.headers["location"].startswith("/portal/login")
        assert response.status_code < 500
    assert not wrong, wrong
