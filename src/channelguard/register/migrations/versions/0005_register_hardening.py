"""register hardening: flood counters, rotatable evidence, incident→session links

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 02:00:00
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from channelguard.register.db import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FILINGS = ("opened automatically", "seen again: evidence attached")


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seen", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("evidence_omitted", sa.Integer(), server_default="0", nullable=False)
        )
    # evidence stored before this revision is never rotated out (automatic = false)
    with op.batch_alter_table("incident_evidence", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("automatic", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "incident_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("session", sa.String(length=200), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "session", name="uq_incident_session"),
    )
    with op.batch_alter_table("incident_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_sessions_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_incident_sessions_session"), ["session"], unique=False)
    _backfill()


def _backfill() -> None:
    """Existing registers: an automatic incident's filings are counted from its
    timeline, and every session it names or its decisions came from is linked, so
    the first purge after the upgrade keeps them."""
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE incidents SET seen = (SELECT count(*) FROM incident_changes c "
            "WHERE c.incident_id = incidents.id AND c.what IN (:a, :b)) "
            "WHERE group_key IS NOT NULL"
        ),
        {"a": FILINGS[0], "b": FILINGS[1]},
    )
    bind.execute(sa.text("UPDATE incidents SET seen = 1 WHERE seen < 1"))
    links: dict[tuple[int, str], Any] = {}
    for incident_id, session, at in bind.execute(
        sa.text("SELECT id, session, created_at FROM incidents WHERE session IS NOT NULL")
    ):
        links[(incident_id, session)] = at
    for incident_id, body, at in bind.execute(
        sa.text("SELECT incident_id, body, at FROM incident_evidence WHERE kind = 'decision'")
    ):
        found = json.loads(body) if isinstance(body, str) else body
        session = found.get("session") if isinstance(found, dict) else None
        if isinstance(session, str) and session:
            links.setdefault((incident_id, session[:200]), at)
    if links:
        op.bulk_insert(
            sa.table(
                "incident_sessions",
                sa.column("incident_id", sa.Integer()),
                sa.column("session", sa.String()),
                sa.column("at", UtcDateTime()),
            ),
            [{"incident_id": i, "session": s, "at": _when(at)} for (i, s), at in links.items()],
        )


def _when(at: Any) -> datetime:
    """SQLite hands a raw query's times back as text."""
    when = datetime.fromisoformat(at) if isinstance(at, str) else at
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def downgrade() -> None:
    with op.batch_alter_table("incident_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_sessions_session"))
        batch_op.drop_index(batch_op.f("ix_incident_sessions_incident_id"))
    op.drop_table("incident_sessions")
    with op.batch_alter_table("incident_evidence", schema=None) as batch_op:
        batch_op.drop_column("automatic")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("evidence_omitted")
        batch_op.drop_column("seen")
