"""Shared fixtures: a real App on a temporary data directory with a fixed clock."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from handistat.app import App
from handistat.clock import fixed_clock
from handistat.errors import DeliveryRejected
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.service import Sender
from handistat.register.population import load_population
from handistat.register.process import process_handbu
from handistat.settings import load_settings
from tests.stores.postgres import catalogue_override

# The release, API and web tests run on worlds of four or five children, where every count is
# 1 or 2: with k = 3 every figure would be '..' and those tests could check nothing. They run
# with k = 1 (no primary suppression; excluded municipalities are still protected); the
# disclosure tests (tests/disclosure, tests/release/test_release_protection.py) set k = 3.
os.environ.setdefault("HANDISTAT_DISCLOSURE_K", "1")

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
HEADER = "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    # HANDISTAT_TEST_POSTGRES_URL: the same tests on PostgreSQL (make test-postgres, R-GEN-2)
    settings = load_settings(data_dir=tmp_path / "data", **catalogue_override())
    application = App(settings, fixed_clock(NOW))
    application.init()
    yield application
    application.catalogue.dispose()


def write_population(directory: Path, persons: Sequence[tuple[str, str, str, str]]) -> Path:
    """persons: (cpr, koen, foedselsdato, doedsdato)."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = ["cpr;koen;foedselsdato;doedsdato", *(";".join(p) for p in persons)]
    (directory / "personer.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "bopael.csv").write_text("cpr;kommune;fra;til\n", encoding="utf-8")
    return directory


def deliver_handbu(app: App, *bodies: str) -> list[dict[str, object]]:
    """Deliver CSV bodies (header added when missing) in order; returns the reports."""
    reports = []
    for body in bodies:
        if body.lower().startswith("kommune"):
            text = body
        else:  # rows without the optional status get an empty one
            rows = [r if r.count(";") == 6 else r + ";" for r in body.splitlines()]
            text = HEADER + "\n" + "\n".join(rows)
        try:
            reports.append(app.intake.receive(HANDBU_POLICY, [text.encode()], Sender("test", None)))
        except DeliveryRejected as exc:
            reports.append(exc.details.get("report", {"outcome": "rejected"}))
    return reports


def build_handbu(
    app: App,
    tmp_path: Path,
    persons: Sequence[tuple[str, str, str, str]],
    *bodies: str,
    years: Sequence[int] = (2022, 2023, 2024, 2025),
) -> None:
    load_population(app.warehouse, write_population(tmp_path / "pop", persons))
    deliver_handbu(app, *bodies)
    process_handbu(app.intake, app.warehouse, HANDBU_POLICY, years)
