"""Releases: one row per frozen release (R-PUB-1); the figures are in the release artefact.

Revision ID: 0002_releases
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_releases"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "release",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("statistic", sa.String(16), nullable=False, index=True),
        sa.Column("reference_year", sa.Integer, nullable=False),
        sa.Column("years", sa.JSON, nullable=False),
        sa.Column("tables", sa.JSON, nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("approved_by", sa.String(200)),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("article", sa.Text),
        sa.Column("article_edited_by", sa.String(200)),
        sa.Column("municipalities", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("release")
