"""Account lifecycle and masked stored reports (issue 13 items 10, 14; R-SEC-3, R-CPR-5).

`api_token.owner_id`: the person answerable for a token (deactivating them revokes it).
Stored delivery reports written before the one masking (`handistat.masking`) are masked in
place: CPRs written like `321016 6478` or `32.10.16-6478` (made up) or as a header-less
file's columns.

Revision ID: 0030_lifecycle
Revises: 0002_accounts
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from handistat.masking import mask_deep

revision = "0030_lifecycle"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def _mask_reports() -> None:
    bind = op.get_bind()
    delivery = sa.table("delivery", sa.column("id", sa.Integer), sa.column("report", sa.JSON))
    for row_id, report in bind.execute(sa.select(delivery.c.id, delivery.c.report)).all():
        value: Any = json.loads(report) if isinstance(report, str) else report
        masked = mask_deep(value or {})
        if masked != value:
            bind.execute(delivery.update().where(delivery.c.id == row_id).values(report=masked))


def upgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_api_token_owner", "account_user", ["owner_id"], ["id"])
    _mask_reports()


def downgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.drop_constraint("fk_api_token_owner", type_="foreignkey")
        batch.drop_column("owner_id")
