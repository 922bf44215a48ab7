"""finite JSON: rows stored with a bare Infinity, -Infinity or NaN are rewritten
as valid JSON

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 05:00:00

Python writes inf, -inf and nan (its JSON reader makes them of 1e309, -1e309
and NaN) as those bare words. Before the writer was fixed (register/db.py
stored_json) SQLite stored them, and drift and /metrics skip such a row. Here
each is read as Python reads it and written back as stored_json writes it: the
strings "Infinity", "-Infinity" and "NaN", everything else as it was. A row
that is not JSON even to Python is left as it is (never lost; drift still skips
it). PostgreSQL never stored one: its `json` type (every JSON column here)
refuses those words, so there is nothing to rewrite there.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from channelguard.register.db import stored_json

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

JSON_COLUMNS = {  # every JSON column at this revision (tables.py)
    "incidents": ("owasp", "atlas", "failed_control", "owners", "compromised", "clocks"),
    "incident_changes": ("detail",),
    "incident_evidence": ("body",),
    "sessions": ("state",),
    "identities": ("state",),
    "session_events": ("body",),
    "decisions": ("body",),
    "webhook_events": ("body",),
    "saved_reviews": ("summary", "review"),
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":  # PostgreSQL's json type never held one
        return
    for table, columns in JSON_COLUMNS.items():
        for column in columns:
            _rewrite(bind, table, column)


def downgrade() -> None:
    """Nothing to undo: the rewritten rows are what the writer stores now."""


def _rewrite(bind: sa.Connection, table: str, column: str) -> None:
    invalid = sa.text(
        f"SELECT rowid, {column} FROM {table} "  # names from JSON_COLUMNS only
        f"WHERE {column} IS NOT NULL AND json_valid({column}) = 0"
    )
    update = sa.text(f"UPDATE {table} SET {column} = :value WHERE rowid = :rowid")
    for rowid, stored in bind.execute(invalid).all():
        try:
            value = json.loads(stored)
        except (TypeError, ValueError):
            continue  # not JSON even to Python: kept as it is
        bind.execute(update, {"value": stored_json(value), "rowid": rowid})
