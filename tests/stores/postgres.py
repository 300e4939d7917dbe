"""A fresh PostgreSQL database per test when `HANDISTAT_TEST_POSTGRES_URL` names a server
(scripts/with-postgres.sh starts a throw-away one). Without it the tests use SQLite."""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa

ENV = "HANDISTAT_TEST_POSTGRES_URL"


def postgres_available() -> bool:
    return bool(os.environ.get(ENV))


def fresh_database_url() -> str:
    """CREATE DATABASE t_<random> on the test server; returns its SQLAlchemy URL."""
    admin_url = sa.make_url(os.environ[ENV])
    name = f"t_{uuid.uuid4().hex[:16]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as con:
        con.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.set(database=name).render_as_string(hide_password=False)


def catalogue_override() -> dict[str, str]:
    """Settings overrides for the test app: PostgreSQL when the server is there."""
    return {"catalogue_url": fresh_database_url()} if postgres_available() else {}
