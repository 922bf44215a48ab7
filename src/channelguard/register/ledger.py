"""Decision sessions kept in the database, so that any replica of the service
can take a session's next batch of events and decide as one process would.

One batch is one transaction: lock the session's row (PostgreSQL: SELECT … FOR
UPDATE; SQLite: the write lock of BEGIN IMMEDIATE), restore its state into the
Decider, feed the events, store the new state, the events (personal data
redacted by default), the decisions and the incidents they file, then commit.
What the caller is told was accepted is committed; a failure rolls it all back.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from channelguard.decide.session import Decider, Decision
from channelguard.errors import InputError
from channelguard.guard.types import Finding, Message, Role, ScanResult
from channelguard.register.db import Database
from channelguard.register.filing import Filer
from channelguard.register.redact import redact_value
from channelguard.register.tables import DecisionRow, EventRow, IdentityRow, SessionRow

__all__ = ["BatchResult", "Ledger"]

MAX_BATCH = 1000
R = TypeVar("R", SessionRow, IdentityRow)


@dataclass(kw_only=True)
class BatchResult:
    session: str
    accepted: int = 0
    decisions: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # for metrics

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "accepted": self.accepted,
            "decisions": self.decisions,
            "errors": self.errors,
            "incidents": sorted(set(self.incidents)),
        }


def _identity(state: dict[str, Any], events: list[Any]) -> str | None:
    """The session's claimed identity: kept from before, or the first in this batch."""
    if isinstance(state.get("identity"), str):
        return str(state["identity"])
    for event in events:
        if isinstance(event, dict) and isinstance(event.get("claimed_identity"), str):
            return str(event["claimed_identity"])[:200] or None
    return None


class Ledger:
    def __init__(
        self, db: Database, decider: Decider, filer: Filer | None = None, *, redact: bool = True
    ) -> None:
        self.db = db
        self.decider = decider
        self.filer = filer
        self.redact = redact
        self._lock = threading.Lock()  # the Decider's session table is one per process

    def record(self, session_id: str, events: list[Any]) -> BatchResult:
        if not session_id or len(session_id) > 200:
            raise InputError("session id: 1-200 characters")
        if len(events) > MAX_BATCH:
            raise InputError(f"events: at most {MAX_BATCH} a batch, got {len(events)}")
        result = BatchResult(session=session_id)
        inspected = self._inspect(events)  # before the lock: the guard is the slow part
        with self.db.begin() as s:
            row = self._lock_row(s, session_id)
            memory = self._lock_memory(s, session_id, _identity(row.state, events))
            try:
                seq = row.events
                for index, event in enumerate(events):
                    seq += 1
                    self._one(s, row, seq, index, event, result, inspected.get(index))
                row.events = seq
                row.updated_at = datetime.now(UTC)
            finally:
                with self._lock:  # what the Decider learnt about the identity goes back
                    for kept in memory:
                        kept.state = self.decider.export_identity(kept.id) or {}
                        kept.updated_at = datetime.now(UTC)
                        self.decider.restore_identity(kept.id, None)
        return result

    def _lock_memory(self, s: Session, session_id: str, identity: str | None) -> list[IdentityRow]:
        """The identity's memory (and the session's own cooling-offs), locked like the
        session's row and handed to the Decider for this batch."""
        keys = sorted({f"session:{session_id}", *([identity] if identity else [])})
        rows = [self._locked(s, IdentityRow, key, state={}) for key in keys]
        with self._lock:
            for found in rows:
                self.decider.restore_identity(found.id, found.state or None)
        return rows

    def _inspect(self, events: list[Any]) -> dict[int, ScanResult]:
        """The guard's results for the batch's messages, in one call; a message the
        Decider would refuse is left for it to refuse (and name the field)."""
        wanted: list[tuple[int, Message]] = []
        for index, event in enumerate(events):
            if not isinstance(event, dict) or event.get("type") != "message":
                continue
            text, role = event.get("text"), event.get("role", "customer")
            if isinstance(text, str) and text and role in Role.__members__.values():
                wanted.append((index, Message(text=text, role=Role(role))))
        if not wanted:
            return {}
        try:
            results = self.decider.guard.inspect_batch([m for _, m in wanted])
        except Exception:
            return {}
        return {index: r for (index, _), r in zip(wanted, results, strict=True)}

    def _lock_row(self, s: Session, session_id: str) -> SessionRow:
        return self._locked(s, SessionRow, session_id, state={}, events=0)

    def _locked(self, s: Session, table: type[R], key: str, **empty: Any) -> R:
        """The row `key` of `table`, made empty if missing, locked until commit
        (PostgreSQL: FOR UPDATE; SQLite: the transaction's write lock)."""
        dialect = postgresql if self.db.dialect == "postgresql" else sqlite
        s.execute(
            dialect.insert(table)
            .values(id=key, updated_at=datetime.now(UTC), **empty)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        row = s.scalar(select(table).where(table.id == key).with_for_update())
        assert row is not None  # inserted above or already there
        return row

    def _one(
        self,
        s: Session,
        row: SessionRow,
        seq: int,
        index: int,
        event: Any,
        result: BatchResult,
        inspected: ScanResult | None,
    ) -> None:
        now = datetime.now(UTC)
        stored = event if isinstance(event, dict) else {"invalid": repr(event)[:200]}
        s.add(
            EventRow(
                session=row.id,
                seq=seq,
                at=now,
                body=redact_value(stored) if self.redact else stored,
            )
        )
        if isinstance(event, dict) and event.setdefault("session", row.id) != row.id:
            result.errors.append({"index": index, "error": "field 'session': not this session"})
            return
        try:
            with self._lock:
                self.decider.restore_session(row.id, row.state or None)
                decision = self.decider.feed(event, inspected=inspected)
                row.state = self.decider.export_session(row.id) or {}
                self.decider.restore_session(row.id, None)
        except InputError as exc:
            with self._lock:  # a bad event still marks the session (fail closed)
                row.state = self.decider.export_session(row.id) or row.state
                self.decider.restore_session(row.id, None)
            result.errors.append({"index": index, "error": str(exc)})
            return
        result.accepted += 1
        claimed = (
            event.get("claimed_identity")
            if isinstance(event.get("claimed_identity"), str)
            else None
        )
        channel = row.state.get("channel")
        if decision is not None:
            self._decided(s, row, seq, decision, result, channel, claimed)
        elif event.get("type") == "message":
            self._outbound(s, row, event, result, channel, claimed, inspected)

    def _decided(
        self,
        s: Session,
        row: SessionRow,
        seq: int,
        decision: Decision,
        result: BatchResult,
        channel: str | None,
        claimed: str | None,
    ) -> None:
        body = decision.to_dict()
        s.add(
            DecisionRow(
                session=row.id,
                seq=seq,
                action=decision.action[:200],  # the column's size (an unknown action)
                decision=decision.decision,
                rule=decision.rule,
                at=datetime.now(UTC),
                body=body,
            )
        )
        result.decisions.append(body)
        if self.filer is not None:
            tier = self.decider.tier_of(decision.action)
            found = self.filer.decision(decision, tier, channel=channel, claimed=claimed, session=s)
            if found is not None:
                result.incidents.append(found)

    def _outbound(
        self,
        s: Session,
        row: SessionRow,
        event: dict[str, Any],
        result: BatchResult,
        channel: str | None,
        claimed: str | None,
        inspected: ScanResult | None,
    ) -> None:
        """The agent's own turns: the safety side (leaks, toxic text) is checked here;
        the Decider weighs only inbound text as evidence of an attack."""
        role = event.get("role", "customer")
        if role in (Role.AGENT.value, Role.ASSISTANT.value):
            scan = inspected or self.decider.guard.inspect(str(event.get("text", "")), role=role)
            found = scan.findings
            result.findings.extend(found)
            if self.filer is not None:
                incident = self.filer.output(
                    row.id, list(found), channel=channel, claimed=claimed, session=s
                )
                if incident is not None:
                    result.incidents.append(incident)
