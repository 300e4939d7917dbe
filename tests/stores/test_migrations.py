"""Alembic upgrades of a catalogue that already holds deliveries (docs/drift.md, "upgrades"):
migration 0020 keys the accepted deliveries and lets rejected bytes be stored again
(issue 13.1, R-IN-2). Runs on SQLite, and on PostgreSQL under `make test-postgres`."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from handistat.intake.service import acceptance_key
from handistat.stores.catalogue import Catalogue
from tests.stores.postgres import catalogue_override


def _upgrade(catalogue: Catalogue, target: str) -> None:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("handistat.stores").joinpath("migrations"))
    )
    with catalogue.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def _row(i: int, sha: str, outcome: str) -> dict[str, object]:
    return {
        "statistic": "handbu", "sha256": sha, "kommune": "101", "sender": "s",
        "channel": "api", "media_type": "text/csv", "kildesystem": None, "udtraeksdato": None,
        "received_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "size_bytes": 1,
        "rows_total": 1, "rows_accepted": 1, "rows_rejected": 0, "outcome": outcome,
        "report": {"scope": ["101"], "header": {}},
    }  # fmt: skip


def test_upgrade_keys_existing_deliveries(tmp_path: Path) -> None:
    url = catalogue_override().get("catalogue_url") or f"sqlite:///{tmp_path / 'c.sqlite'}"
    catalogue = Catalogue(url)
    _upgrade(catalogue, "0001")  # the schema as first deployed
    delivery = sa.Table("delivery", sa.MetaData(), autoload_with=catalogue.engine)
    with catalogue.engine.begin() as con:
        con.execute(
            delivery.insert(), [_row(1, "a" * 64, "accepted"), _row(2, "b" * 64, "rejected")]
        )
    catalogue.migrate()  # what `handistat init` does on upgrade
    with catalogue.engine.begin() as con:
        keys = dict(con.execute(sa.text("SELECT id, accepted_key FROM delivery ORDER BY id")).all())
        # rejected bytes may now be stored again; a long outcome fits
        con.execute(
            sa.text(
                "INSERT INTO delivery (statistic, sha256, kommune, sender, channel, media_type,"
                " received_at, size_bytes, rows_total, rows_accepted, rows_rejected, outcome,"
                " report) VALUES ('handbu', :sha, '101', 's', 'api', 'text/csv', :at, 1, 1, 0,"
                " 1, 'partially_accepted', '{}')"
            ),
            {"sha": "b" * 64, "at": dt.datetime(2026, 1, 2, tzinfo=dt.UTC)},
        )
    assert keys == {1: acceptance_key("handbu", "a" * 64, frozenset({"101"}), {}), 2: None}
    catalogue.dispose()


def test_upgrade_masks_cprs_in_stored_reports(tmp_path: Path) -> None:
    """Migration 0030_lifecycle (issue 13 item 10, R-CPR-5): reports stored before the one
    masking held full CPRs (a header-less file's first row as `found_columns`, a repeated key
    written `261016 6478`, `26.10.16-6478` or with an en dash); after the upgrade none is
    left, each is `DDMMYY-****`, and a report without a CPR is unchanged."""
    url = catalogue_override().get("catalogue_url") or f"sqlite:///{tmp_path / 'c.sqlite'}"
    catalogue = Catalogue(url)
    _upgrade(catalogue, "0002_accounts")  # the revision 0030 follows
    delivery = sa.Table("delivery", sa.MetaData(), autoload_with=catalogue.engine)
    leaky = {
        "scope": ["101"],
        "found_columns": ["101", "a", "2610166478", "SEL32"],
        "errors": [
            {"code": "DUPLICATE_KEY", "message": "nøglen 261016 6478 er gentaget"},
            {"code": "UNKNOWN", "message": "ukendt: 26.10.16-6478 og 261016\u20136478"},
        ],
    }
    clean = {"scope": ["101"], "message": "1 række modtaget, 0 rækker afvist"}
    with catalogue.engine.begin() as con:
        con.execute(
            delivery.insert(),
            [
                {**_row(1, "a" * 64, "rejected"), "report": leaky},
                {**_row(2, "b" * 64, "accepted"), "report": clean},
            ],
        )
    _upgrade(catalogue, "0030_lifecycle")
    with catalogue.engine.begin() as con:
        stored = dict(con.execute(sa.select(delivery.c.id, delivery.c.report)).all())
    assert stored[1] == {
        "scope": ["101"],
        "found_columns": ["101", "a", "261016-****", "SEL32"],
        "errors": [
            {"code": "DUPLICATE_KEY", "message": "nøglen 261016-**** er gentaget"},
            {"code": "UNKNOWN", "message": "ukendt: 261016-**** og 261016-****"},
        ],
    }
    assert "6478" not in str(stored[1])
    assert stored[2] == clean
    catalogue.dispose()
