"""Depot collaborations with validity dates, maintained by staff (R-GB-4); seeded with the
packaged list (`reference/samarbejder.csv`), which stays the default.

Revision ID: 0010_samarbejder
Revises: 0001
"""

import csv
import datetime as dt
import io
from importlib import resources

import sqlalchemy as sa
from alembic import op

revision = "0010_samarbejder"
down_revision = "0001"
branch_labels = None
depends_on = None

DEFAULT_FRA = "2022-07-01"
"""A packaged row without a start date is valid from the start of the statistics period."""


def _packaged() -> list[dict[str, str]]:
    text = resources.files("handistat.reference").joinpath("data", "samarbejder.csv")
    return list(csv.DictReader(io.StringIO(text.read_text("utf-8")), delimiter=";"))


def upgrade() -> None:
    table = op.create_table(
        "samarbejde",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indberetningskommune", sa.String(3), nullable=False, index=True),
        sa.Column("medlemskommune", sa.String(3), nullable=False),
        sa.Column("navn", sa.String(200), nullable=False),
        sa.Column("gyldig_fra", sa.String(10), nullable=False),
        sa.Column("gyldig_til", sa.String(10)),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.UniqueConstraint(
            "indberetningskommune", "medlemskommune", "gyldig_fra", name="uq_samarbejde"
        ),
    )
    now = dt.datetime.now(dt.UTC)
    op.bulk_insert(
        table,
        [
            {
                "indberetningskommune": r["indberetningskommune"],
                "medlemskommune": r["medlemskommune"],
                "navn": r["navn"][:200],
                "gyldig_fra": r["gyldig_fra"] or DEFAULT_FRA,
                "gyldig_til": r["gyldig_til"] or None,
                "changed_at": now,
                "changed_by": "pakket standardliste",
            }
            for r in _packaged()
        ],
    )


def downgrade() -> None:
    op.drop_table("samarbejde")
