"""A site for HTTP tests: the real app over a test `App`, with users and tokens of every role.

Passwords are hashed with cheap argon2 parameters here (the stored hash records its own
parameters, so production hashes are unaffected).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from handistat.accounts import crypto
from handistat.accounts.resolve import SESSION_COOKIE, accounts
from handistat.api.app import create_app
from handistat.api.deps import Role
from handistat.app import App
from handistat.register.population import load_population

PASSWORD = "et-langt-kodeord-til-test"
HANDBU_HEADER = "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"
GENBRUG_HEADER = (
    "indberetningskommune;betalingskommune;udlaan_id;hmi_nummer;cpr;paragraf;"
    "udleveringsdato;indleveringsdato"
)
CHILD_101 = "1506154001"  # girl born 2015-06-15, lives in 101
CHILD_101B = "0101104002"  # boy born 2010-01-01, lives in 101
CHILD_147 = "0202124003"  # boy born 2012-02-02, lives in 147
UNKNOWN_101 = "0303134999"  # valid form, not in the population register
UNKNOWN_147 = "0404144888"
PERSONS = [
    f"{CHILD_101};K;2015-06-15;",
    f"{CHILD_101B};M;2010-01-01;",
    f"{CHILD_147};M;2012-02-02;",
]
RESIDENCES = [
    f"{CHILD_101};101;2015-06-15;",
    f"{CHILD_101B};101;2010-01-01;",
    f"{CHILD_147};147;2012-02-02;",
]
ROLES = ("anonym", "sag_egen", "sag_anden", "token_egen", "token_anden", "personale", "admin")
"""Every caller of R-SEC-1; `egen` acts for 101 (the resources' municipality), `anden` 147."""


def cheap_hashing() -> None:
    crypto.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@dataclass
class Site:
    app: App
    tokens: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    _api: FastAPI | None = None

    @property
    def api(self) -> FastAPI:
        if self._api is None:  # building the app is the slow part; clients are cheap
            self._api = create_app(self.app)
        return self._api

    def client(self, role: str = "anonym") -> TestClient:
        """A client acting as `role` (a fresh session for people; a Bearer header for tokens)."""
        client = TestClient(self.api, follow_redirects=False)
        if role in self.tokens:
            client.headers["Authorization"] = f"Bearer {self.tokens[role]}"
        elif role in self.emails:
            logged_in = accounts(self.app).login(self.emails[role], PASSWORD, "testclient")
            client.cookies.set(SESSION_COOKIE, logged_in.session_id)
            client.headers["X-CSRF-Token"] = logged_in.csrf
            client.csrf = logged_in.csrf  # type: ignore[attr-defined]
        return client


def make_site(app: App) -> Site:
    cheap_hashing()
    site = Site(app)
    acc = accounts(app)
    people = {
        "sag_egen": ("sag@kommune101.dk", Role.SAGSBEHANDLER, ["101"]),
        "sag_anden": ("sag@kommune147.dk", Role.SAGSBEHANDLER, ["147"]),
        "personale": ("medarbejder@dst.dk", Role.PERSONALE, []),
        "admin": ("admin@dst.dk", Role.ADMIN, []),
    }
    for role, (email, kind, kommuner) in people.items():
        acc.add_user(email, kind, kommuner, PASSWORD, "test")
        site.emails[role] = email
    site.tokens["token_egen"] = acc.create_token(["101"], "fagsystem 101", "test")[0]
    site.tokens["token_anden"] = acc.create_token(["147"], "fagsystem 147", "test")[0]
    return site


def load_people(app: App, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "personer.csv").write_text(
        "cpr;koen;foedselsdato;doedsdato\n" + "\n".join(PERSONS) + "\n", encoding="utf-8"
    )
    (directory / "bopael.csv").write_text(
        "cpr;kommune;fra;til\n" + "\n".join(RESIDENCES) + "\n", encoding="utf-8"
    )
    load_population(app.warehouse, directory)


def handbu_csv(*rows: str) -> bytes:
    return (HANDBU_HEADER + "\n" + "\n".join(rows) + "\n").encode()


def form_csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)
