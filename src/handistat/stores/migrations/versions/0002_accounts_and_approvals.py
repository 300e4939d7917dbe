"""Accounts, sessions, API tokens, delivery ownership, approvals, reminders, release decisions.

Revision ID: 0002_accounts
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_accounts"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _accounts() -> None:
    op.create_table(
        "account_user",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("kommuner", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("kommuner", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ),
    )
    op.create_table(
        "web_session",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("account_user.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_seen_at", TZ, nullable=False),
    )
    op.create_index("ix_web_session_user_id", "web_session", ["user_id"])
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_login_failure_key_hash", "login_failure", ["key_hash"])


def _deliveries() -> None:
    op.create_table(
        "delivery_owner",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("delivery_id", sa.Integer, sa.ForeignKey("delivery.id"), nullable=False),
        sa.Column("kommune", sa.String(3), nullable=False),
        sa.UniqueConstraint("delivery_id", "kommune", name="uq_delivery_owner"),
    )
    op.create_index("ix_delivery_owner_delivery_id", "delivery_owner", ["delivery_id"])
    op.create_table(
        "upload_original",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("delivery_id", sa.Integer, sa.ForeignKey("delivery.id")),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("uploaded_at", TZ, nullable=False),
    )
    op.create_index("ix_upload_original_delivery_id", "upload_original", ["delivery_id"])


def _approvals() -> None:
    op.create_table(
        "approval_report",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statistic", sa.String(16), nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=False, index=True),
        sa.Column("kommune", sa.String(3), nullable=False, index=True),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("approved_fingerprint", sa.String(64)),
        sa.Column("deadline", sa.Date),
        sa.Column("asked_at", TZ),
        sa.Column("decided_at", TZ),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("comment", sa.Text),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("statistic", "year", "kommune", "period", name="uq_approval_report"),
    )
    op.create_table(
        "approval_reminder",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("approval_report.id"), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("delivery", sa.String(200), nullable=False),
    )
    op.create_index("ix_approval_reminder_report_id", "approval_reminder", ["report_id"])
    op.create_table(
        "release_decision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statistic", sa.String(16), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kommune", sa.String(3), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", TZ, nullable=False),
        sa.UniqueConstraint("statistic", "year", "kommune", name="uq_release_decision"),
    )


def upgrade() -> None:
    _accounts()
    _deliveries()
    _approvals()


def downgrade() -> None:
    for table in (
        "release_decision",
        "approval_reminder",
        "approval_report",
        "upload_original",
        "delivery_owner",
        "login_failure",
        "web_session",
        "api_token",
        "account_user",
    ):
        op.drop_table(table)
