"""Alembic environment: runs migrations on the connection the Catalogue hands over."""

from alembic import context
from sqlalchemy import create_engine

from handistat.stores.catalogue import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # run from the alembic command line
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
