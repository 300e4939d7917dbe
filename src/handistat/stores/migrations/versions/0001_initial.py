"""Initial operational schema: deliveries, system switches, audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statistic", sa.String(16), nullable=False, index=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kommune", sa.String(3), index=True),
        sa.Column("sender", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("kildesystem", sa.String(64)),
        sa.Column("udtraeksdato", sa.String(10)),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("rows_total", sa.Integer, nullable=False),
        sa.Column("rows_accepted", sa.Integer, nullable=False),
        sa.Column("rows_rejected", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
        sa.UniqueConstraint("statistic", "sha256", name="uq_delivery_bytes"),
    )
    op.create_table(
        "system_switch",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kommune", sa.String(3), nullable=False),
        sa.Column("fra", sa.String(64), nullable=False),
        sa.Column("til", sa.String(64), nullable=False),
        sa.Column("dato", sa.String(10), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("kommune", "fra", "til", name="uq_switch"),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("delivery_id", sa.Integer, sa.ForeignKey("delivery.id")),
        sa.Column("details", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_event")
    op.drop_table("system_switch")
    op.drop_table("delivery")
