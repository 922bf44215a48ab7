"""session tenants: a session is its tenant's and the client's id together, so
two tenants may use one session id and never meet; an event's sequence number
is unique within its tenant's session

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 02:00:00

Before, the client's id alone was the session's key: the first tenant to use an
id held it, and any other tenant's batch for it was refused (404), which told
that tenant the id was taken. Every row is kept as it is, with its tenant: the
old keys were unique, so they are unique with the tenant too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PKEY = "sessions_pkey"  # PostgreSQL's name for the primary key 0001 made


def upgrade() -> None:
    _session_key(["tenant", "id"])
    _event_seq(["tenant", "session", "seq"])


def downgrade() -> None:
    """Fails (the key is violated) once two tenants hold one session id."""
    _event_seq(["session", "seq"])
    _session_key(["id"])


def _session_key(key: list[str]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(PKEY, "sessions", type_="primary")
        op.create_primary_key(PKEY, "sessions", key)
        return
    # SQLite cannot change a primary key: batch mode copies the rows into a table
    # laid out as `copy_from` says (the columns 0001 and 0004 made, the new key)
    with op.batch_alter_table("sessions", copy_from=_sessions(key), recreate="always"):
        pass


def _sessions(key: list[str]) -> sa.Table:
    return sa.Table(
        "sessions",
        sa.MetaData(),
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant", sa.String(length=64), nullable=False, server_default="default"),
        sa.PrimaryKeyConstraint(*key, name=PKEY),
        sa.Index("ix_sessions_updated_at", "updated_at"),
        sa.Index("ix_sessions_tenant", "tenant"),
    )


def _event_seq(columns: list[str]) -> None:
    with op.batch_alter_table("session_events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_event_seq", type_="unique")
        batch_op.create_unique_constraint("uq_event_seq", columns)
