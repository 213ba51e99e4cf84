"""case privacy: status-lookup lockout (case_lookup_guards) and the audit of personal-data reads
(data_access_log)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)  # api.cases.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "case_lookup_guards",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UTC_DATETIME, nullable=False),
        sa.Column("locked_until", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_case_lookup_guards")),
    )
    op.create_table(
        "data_access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("case_code", sa.String(length=32), nullable=True),
        sa.Column("full_data", sa.Boolean(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_access_log")),
    )
    op.create_index(op.f("ix_data_access_log_at"), "data_access_log", ["at"])
    op.create_index(op.f("ix_data_access_log_case_code"), "data_access_log", ["case_code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_data_access_log_case_code"), table_name="data_access_log")
    op.drop_index(op.f("ix_data_access_log_at"), table_name="data_access_log")
    op.drop_table("data_access_log")
    op.drop_table("case_lookup_guards")
