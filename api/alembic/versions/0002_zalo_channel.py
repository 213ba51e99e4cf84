"""zalo channel: zalo_inbox, zalo_outbox, zalo_users, zalo_tokens

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)  # api.cases.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "zalo_inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedup_key", sa.String(length=128), nullable=False),
        sa.Column("event_name", sa.String(length=48), nullable=False),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("event_ts", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("lease_until", UTC_DATETIME, nullable=True),
        sa.Column("received_at", UTC_DATETIME, nullable=False),
        sa.Column("finished_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_inbox")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_zalo_inbox_dedup_key")),
    )
    op.create_index(op.f("ix_zalo_inbox_user_id"), "zalo_inbox", ["user_id"])
    op.create_index("ix_zalo_inbox_status_next_attempt_at", "zalo_inbox", ["status", "next_attempt_at"])
    op.create_table(
        "zalo_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inbox_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("next_attempt_at", UTC_DATETIME, nullable=False),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("lease_until", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_outbox")),
    )
    op.create_index(op.f("ix_zalo_outbox_inbox_id"), "zalo_outbox", ["inbox_id"])
    op.create_index(op.f("ix_zalo_outbox_user_id"), "zalo_outbox", ["user_id"])
    op.create_index("ix_zalo_outbox_status_next_attempt_at", "zalo_outbox", ["status", "next_attempt_at"])
    op.create_table(
        "zalo_users",
        sa.Column("user_id", sa.String(length=40), nullable=False),
        sa.Column("offered_buttons", sa.JSON(), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_zalo_users")),
    )
    op.create_table(
        "zalo_tokens",
        sa.Column("app_id", sa.String(length=40), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("app_id", name=op.f("pk_zalo_tokens")),
    )


def downgrade() -> None:
    op.drop_table("zalo_tokens")
    op.drop_table("zalo_users")
    op.drop_index("ix_zalo_outbox_status_next_attempt_at", table_name="zalo_outbox")
    op.drop_index(op.f("ix_zalo_outbox_user_id"), table_name="zalo_outbox")
    op.drop_index(op.f("ix_zalo_outbox_inbox_id"), table_name="zalo_outbox")
    op.drop_table("zalo_outbox")
    op.drop_index("ix_zalo_inbox_status_next_attempt_at", table_name="zalo_inbox")
    op.drop_index(op.f("ix_zalo_inbox_user_id"), table_name="zalo_inbox")
    op.drop_table("zalo_inbox")
