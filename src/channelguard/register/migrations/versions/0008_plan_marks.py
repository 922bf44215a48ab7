"""plan marks: hardening-plan items marked done on the dashboard

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from channelguard.register.db import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_marks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=300), nullable=False),
        sa.Column("item", sa.String(length=500), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=False),
        sa.Column("done_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant", "model", "item", name="uq_plan_mark"),
    )


def downgrade() -> None:
    op.drop_table("plan_marks")
