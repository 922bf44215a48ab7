"""tenants: every key, session, event, decision, remembered identity and
incident belongs to one; claimed identities and sessions' own memory get
separate namespaces

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 02:00:00

Everything stored before goes to the tenant "default" (a single-tenant
install), keys included. Remembered identities are renamed
"default/identity:VALUE" and sessions' own memory "default/session:ID" (before,
a claimed identity spelled "session:ID" shared a session's key). The service
re-keys plain claimed identities as keyed hashes when it starts (identities.py):
a migration does not hold the secret.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TENANTED = ("incidents", "sessions", "session_events", "decisions")


def upgrade() -> None:
    for table in TENANTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("tenant", sa.String(length=64), nullable=False, server_default="default")
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_tenant"), ["tenant"], unique=False)
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tenant", sa.String(length=64), nullable=True))
    op.execute("UPDATE api_keys SET tenant = 'default'")
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.alter_column(
            "id", existing_type=sa.String(length=220), type_=sa.String(length=300)
        )
    op.execute(
        "UPDATE identities SET id = 'default/' || CASE WHEN id LIKE 'session:%' "
        "THEN id ELSE 'identity:' || id END"
    )
    op.execute(
        "UPDATE incidents SET group_key = substr('default|' || group_key, 1, 500) "
        "WHERE group_key IS NOT NULL"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE incidents SET group_key = substr(group_key, 9) WHERE group_key LIKE 'default|%'"
    )
    op.execute(
        "UPDATE identities SET id = CASE WHEN id LIKE 'default/identity:%' THEN substr(id, 18) "
        "ELSE substr(id, 9) END"
    )
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.alter_column(
            "id", existing_type=sa.String(length=300), type_=sa.String(length=220)
        )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("tenant")
    for table in TENANTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_tenant"))
            batch_op.drop_column("tenant")
