"""Migration 0010 (session tenants): a register left at 0009, its sessions keyed
by the client's id alone, keeps every session, event and decision with its
tenant; after it, another tenant may use a taken id as a session of its own,
and the old sessions go on numbering their events where they were."""

from __future__ import annotations

import json
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, func, select, text

from channelguard.decide.session import Decider
from channelguard.guard.guard import Guard
from channelguard.model.loader import load_file
from channelguard.register.db import MIGRATIONS, Database
from channelguard.register.tables import DecisionRow, EventRow, SessionRow
from channelguard.runtime.ledger import Ledger
from tests.conftest import EXAMPLES

AT = "2026-12-01 00:00:00"
HELLO = {"type": "message", "channel": "phone_agent", "role": "customer", "text": "Hi there"}
WIRE = {"type": "action_request", "action": "wire_transfer"}
OLD = {("default", "call-1"): 2, ("bank-b", "call-2"): 1}  # (tenant, id): events held


def _migrate(url: str, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(url)
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)
        conn.commit()
    engine.dispose()


def _at_0009(url: str) -> None:
    _migrate(url, "0009")
    state = json.dumps({"channel": "phone_agent", "messages": 1})
    rows: list[tuple[str, dict[str, Any]]] = []
    for (tenant, session), held in OLD.items():
        rows.append((
            "INSERT INTO sessions (id, tenant, state, events, updated_at) "
            "VALUES (:s, :t, :state, :n, :at)",
            {"s": session, "t": tenant, "state": state, "n": held, "at": AT},
        ))  # fmt: skip
        for seq in range(1, held + 1):
            rows.append((
                "INSERT INTO session_events (tenant, session, seq, at, body) "
                "VALUES (:t, :s, :seq, :at, '{}')",
                {"t": tenant, "s": session, "seq": seq, "at": AT},
            ))  # fmt: skip
        rows.append((
            "INSERT INTO decisions (tenant, session, seq, action, decision, rule, at, body) "
            "VALUES (:t, :s, :seq, 'wire_transfer', 'step_up', 'r', :at, '{}')",
            {"t": tenant, "s": session, "seq": held, "at": AT},
        ))  # fmt: skip
    engine = create_engine(url)
    with engine.begin() as conn:
        for sql, values in rows:
            conn.execute(text(sql), values)
    engine.dispose()


def _held(db: Database) -> dict[str, Any]:
    with db.read() as s:
        return {
            "sessions": {(r.tenant, r.id): r.events for r in s.scalars(select(SessionRow))},
            "events": sorted((e.tenant, e.session, e.seq) for e in s.scalars(select(EventRow))),
            "decisions": s.scalar(select(func.count()).select_from(DecisionRow)),
        }


def test_a_register_at_0009_keeps_its_sessions_and_shares_their_ids(
    db_url: str, guard: Guard
) -> None:
    _at_0009(db_url)
    db = Database(db_url).open()  # migrates to the newest
    try:
        assert _held(db) == {
            "sessions": OLD,
            "events": [("bank-b", "call-2", 1), ("default", "call-1", 1), ("default", "call-1", 2)],
            "decisions": 2,
        }
        ledger = Ledger(db, Decider(load_file(EXAMPLES / "bank.yaml"), guard))
        theirs = ledger.record("call-1", [HELLO, WIRE], tenant="bank-b")  # taken in default
        assert theirs.accepted == 2 and theirs.decisions[0]["decision"] == "step_up"
        ours = ledger.record("call-1", [WIRE], tenant="default")  # goes on where it was
        assert ours.accepted == 1
        held = _held(db)
        assert held["sessions"] == {**OLD, ("default", "call-1"): 3, ("bank-b", "call-1"): 2}
        assert ("default", "call-1", 3) in held["events"]
        assert {("bank-b", "call-1", 1), ("bank-b", "call-1", 2)} <= set(held["events"])
        assert held["decisions"] == 4
    finally:
        db.close()


def test_the_downgrade_keeps_every_row_while_ids_are_unique(db_url: str) -> None:
    _at_0009(db_url)
    Database(db_url).open().close()
    _migrate(db_url, "0009", down=True)
    _migrate(db_url, "head")
    db = Database(db_url).open()
    try:
        assert _held(db)["sessions"] == OLD and len(_held(db)["events"]) == 3
    finally:
        db.close()
