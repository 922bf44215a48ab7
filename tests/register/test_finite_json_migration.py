"""Migration 0011 (finite JSON): rows an older version stored on SQLite with a bare
Infinity, -Infinity or NaN (not JSON: drift skipped them) are rewritten with the
strings "Infinity", "-Infinity" and "NaN", and read back through the register and
drift. PostgreSQL's json type never took such a row: nothing to rewrite there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DataError

from channelguard.register.db import Database
from channelguard.register.tables import DecisionRow, EventRow, IdentityRow, SessionRow
from channelguard.watch.traffic import read_traffic
from tests.register.test_session_tenants_migration import _migrate

AT = "2026-12-01 00:00:00"
OLD_ROWS = [  # as an older version wrote them: bare words, not JSON
    "INSERT INTO sessions (id, tenant, state, events, updated_at) VALUES "
    "('call-1', 'default', '{\"channel\": \"phone_agent\", \"score\": Infinity}', 2, :at)",
    "INSERT INTO session_events (tenant, session, seq, at, body) VALUES ('default', 'call-1', "
    '1, :at, \'{"type": "verification", "result": "pass", "confidence": NaN}\')',
    "INSERT INTO session_events (tenant, session, seq, at, body) VALUES ('default', 'call-1', "
    '2, :at, \'{"type": "signal", "name": "synthetic_voice", "value": -Infinity}\')',
    "INSERT INTO decisions (tenant, session, seq, action, decision, rule, at, body) VALUES "
    "('default', 'call-1', 2, 'wire_transfer', 'hold', 'r', :at, "
    '\'{"findings": [{"detector": "fraud", "score": 0.9, "odd": [Infinity, NaN]}]}\')',
    "INSERT INTO identities (id, state, updated_at) VALUES "
    "('default/identity:ceo', '{\"evidence\": [], \"weight\": -Infinity}', :at)",
    "INSERT INTO session_events (tenant, session, seq, at, body) VALUES "
    "('default', 'call-2', 1, :at, '{\"type\": \"verification\", ')",  # not JSON at all
]


def _write_old_rows(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for sql in OLD_ROWS:
                conn.execute(text(sql), {"at": AT})
    finally:
        engine.dispose()


def _traffic(db: Database) -> tuple[list[str], list[bool], list[tuple[str, float]]]:
    t0 = datetime(2026, 11, 30, tzinfo=UTC)
    traffic = read_traffic(db, since=t0, until=t0 + timedelta(days=3))
    return (
        [d.channel for d in traffic.decisions],
        [v.passed for v in traffic.verifications],
        [(f.detector, f.score) for d in traffic.decisions for f in d.findings],
    )


def test_bare_non_finite_words_stored_on_sqlite_are_rewritten_as_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    _migrate(url, "0010")
    _write_old_rows(url)
    db = Database(url).open()  # migrates to the newest
    try:
        with db.read() as s:
            assert s.scalars(select(SessionRow.state)).one() == {
                "channel": "phone_agent",
                "score": "Infinity",
            }
            bodies = {
                (e.session, e.seq): e.body
                for e in s.scalars(select(EventRow).where(EventRow.session == "call-1"))
            }
            decision = s.scalars(select(DecisionRow.body)).one()
            identity = s.scalars(select(IdentityRow.state)).one()
            valid = s.execute(text("SELECT session, seq, json_valid(body) FROM session_events"))
            validity = sorted(tuple(row) for row in valid)
        assert bodies[("call-1", 1)]["confidence"] == "NaN"
        assert bodies[("call-1", 2)]["value"] == "-Infinity"
        assert decision["findings"][0]["odd"] == ["Infinity", "NaN"]
        assert identity == {"evidence": [], "weight": "-Infinity"}
        # the row that is not JSON even to Python is kept as it was, not lost
        assert validity == [("call-1", 1, 1), ("call-1", 2, 1), ("call-2", 1, 0)]
        # drift reads the rewritten rows: the session's channel, the verification,
        # the decision's findings (before, each was skipped or "unknown")
        assert _traffic(db) == (["phone_agent"], [True], [("fraud", 0.9)])
    finally:
        db.close()


def test_postgresql_never_held_a_bare_non_finite_word(db_url: str) -> None:
    """Why the migration does nothing on PostgreSQL: its json columns refuse them."""
    if not db_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL half")
    _migrate(db_url, "0010")
    with pytest.raises(DataError, match=r"(?i)invalid input syntax for type json"):
        _write_old_rows(db_url)
    Database(db_url).open().close()  # 0011 runs and changes nothing
