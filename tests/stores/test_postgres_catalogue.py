"""Issue 13.15 (R-GEN-2): the operational store on a real PostgreSQL server.

Run by `make test-postgres` (scripts/with-postgres.sh starts Debian's PostgreSQL). Before the
fix the first partially accepted HANDBU delivery failed: `value too long for type character
varying(16)` (`partially_accepted` has 18 characters; SQLite never checks lengths).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa

from handistat.app import App
from handistat.clock import fixed_clock
from handistat.errors import DeliveryRejected
from handistat.intake.policies import HANDBU_POLICY
from handistat.intake.service import Sender
from handistat.settings import load_settings
from handistat.stores.catalogue import Base
from tests.conftest import NOW
from tests.stores.postgres import fresh_database_url, postgres_available

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not postgres_available(), reason="needs HANDISTAT_TEST_POSTGRES_URL"),
]

HEADER = "kommune;indsats_id;cpr;paragraf;startdato;slutdato;status\n"
GOOD = "101;r1;1506154001;SEL32;2023-01-01;;\n"
BAD = "101;r2;1506154001;SEL99;2023-01-01;;\n"


@pytest.fixture
def pg_app(tmp_path: Any) -> Any:
    url = fresh_database_url()
    application = App(
        load_settings(data_dir=tmp_path / "data", catalogue_url=url), fixed_clock(NOW)
    )
    application.init()
    assert application.catalogue.engine.dialect.name == "postgresql"
    yield application
    application.catalogue.dispose()


def test_partially_accepted_delivery_is_recorded(pg_app: App) -> None:
    report = pg_app.intake.receive(
        HANDBU_POLICY, [(HEADER + GOOD + BAD).encode()], Sender("test", None)
    )
    assert report["outcome"] == "partially_accepted"
    assert (report["rows_accepted"], report["rows_rejected"]) == (1, 1)


def test_migrated_schema_equals_the_model(pg_app: App) -> None:
    # every column of the ORM exists with the same length on PostgreSQL (no drift)
    inspector = sa.inspect(pg_app.catalogue.engine)
    for table in Base.metadata.sorted_tables:
        found = {c["name"]: c["type"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            assert column.name in found, f"{table.name}.{column.name}"
            want = getattr(column.type, "length", None)
            if want is not None:
                assert getattr(found[column.name], "length", None) == want, column


def test_identical_bytes_at_once_on_postgres(pg_app: App) -> None:
    body = (HEADER + GOOD).encode()
    results: list[Any] = [None] * 5
    barrier = threading.Barrier(5)

    def send(i: int) -> None:
        barrier.wait()
        try:
            results[i] = pg_app.intake.receive(HANDBU_POLICY, [body], Sender(f"s{i}", None))
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=send, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sum("duplicate_of" not in r for r in results) == 1


def test_rejected_delivery_on_postgres(pg_app: App) -> None:
    with pytest.raises(DeliveryRejected):
        pg_app.intake.receive(HANDBU_POLICY, [(HEADER + BAD).encode()], Sender("test", None))
