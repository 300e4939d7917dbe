"""Deliveries: one acknowledged delivery per bytes, scope and header; outcome fits PostgreSQL.

- `accepted_key` (unique, empty for rejected deliveries) closes the race of identical bytes
  sent at once (issue 13.1) and lets rejected bytes be sent again (R-IN-2), so the old
  unique constraint on (statistic, sha256) goes.
- `outcome` was VARCHAR(16); `partially_accepted` has 18 characters (PostgreSQL checks).

Revision ID: 0020_delivery_key
Revises: 0001
"""

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0020_delivery_key"
down_revision = "0001"
branch_labels = None
depends_on = None

ACCEPTED = ("accepted", "partially_accepted")


def _key(statistic: str, sha256: str, report: dict[str, Any]) -> str:
    # the same function as intake.service.acceptance_key (copied: migrations are frozen)
    scope = report.get("scope")
    header = report.get("header") or {}
    parts = [
        statistic,
        sha256,
        sorted(scope) if scope is not None else None,
        sorted(header.items()),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _unique_names(table: str) -> set[str]:
    inspector = sa.inspect(op.get_bind())
    return {str(c["name"]) for c in inspector.get_unique_constraints(table) if c.get("name")}


def upgrade() -> None:
    had_bytes_constraint = "uq_delivery_bytes" in _unique_names("delivery")
    with op.batch_alter_table("delivery") as batch:
        if had_bytes_constraint:  # another branch may have dropped it already
            batch.drop_constraint("uq_delivery_bytes", type_="unique")
        batch.alter_column("outcome", type_=sa.String(32), existing_nullable=False)
        batch.add_column(sa.Column("accepted_key", sa.String(64), nullable=True))
    delivery = sa.table(
        "delivery",
        sa.column("id", sa.Integer),
        sa.column("statistic", sa.String),
        sa.column("sha256", sa.String),
        sa.column("outcome", sa.String),
        sa.column("report", sa.JSON),
        sa.column("accepted_key", sa.String),
    )
    bind = op.get_bind()
    seen: set[str] = set()
    rows = bind.execute(sa.select(delivery).order_by(delivery.c.id)).mappings().all()
    for row in rows:
        if row["outcome"] not in ACCEPTED:
            continue
        key = _key(row["statistic"], row["sha256"], row["report"] or {})
        if key in seen:
            continue  # an older duplicate keeps no key; the first acknowledged one does
        seen.add(key)
        bind.execute(delivery.update().where(delivery.c.id == row["id"]).values(accepted_key=key))
    with op.batch_alter_table("delivery") as batch:
        batch.create_unique_constraint("uq_delivery_accepted_key", ["accepted_key"])


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.drop_constraint("uq_delivery_accepted_key", type_="unique")
        batch.drop_column("accepted_key")
        batch.alter_column("outcome", type_=sa.String(16), existing_nullable=False)
