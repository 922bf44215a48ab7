"""Decision sessions kept in the database, so that any replica of the service
can take a session's next batch of events and decide as one process would.

One batch is one transaction: lock the session's row (PostgreSQL: SELECT … FOR
UPDATE; SQLite: the write lock of BEGIN IMMEDIATE), restore its state into the
Decider, feed the events, store the new state, the events (personal data
redacted by default), the decisions and the incidents they file, then commit.
What the caller is told was accepted is committed; a failure rolls it all back.
Two batches filing incidents of two techniques in opposite order can deadlock
on PostgreSQL; the one it fails (SQLSTATE 40P01) is run again from the start,
up to DEADLOCK_RETRIES times.

Tenants: a session belongs to the tenant whose key opened it; another tenant's
batch for it is refused as not found (NotFoundError, 404: it neither reads nor
changes it, nor learns whose it is). Each tenant has its own Decider (its own
memory keys, "TENANT/identity:…" and "TENANT/session:…"), and its events,
decisions and automatically filed incidents carry its name. Claimed identities
are put in their stored form (identities.py) before anything else sees them.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from channelguard.decide.session import Decider, Decision
from channelguard.errors import InputError, NotFoundError, StorageError
from channelguard.guard.types import Finding, Message, Role, ScanResult
from channelguard.register.db import Database
from channelguard.register.filing import Filer
from channelguard.register.identities import ClaimedIdentities, merged
from channelguard.register.keys import check_tenant
from channelguard.register.redact import redact_value
from channelguard.register.tables import (
    DEFAULT_TENANT,
    DecisionRow,
    EventRow,
    IdentityRow,
    SessionRow,
)

__all__ = ["BatchResult", "Ledger"]

MAX_BATCH = 1000
DEADLOCK_RETRIES = 3  # PostgreSQL breaks a deadlock by failing one transaction: run it again
DEADLOCK = "40P01"  # SQLSTATE deadlock_detected
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


@dataclass(frozen=True, kw_only=True, slots=True)
class _Batch:
    """Whose batch this is: the tenant's Decider, the tenant, the key that sent it."""

    decider: Decider
    tenant: str
    actor: str | None


def _deadlock(exc: StorageError) -> bool:
    """True when the database broke a deadlock by failing this transaction."""
    cause = exc.__cause__
    orig = cause.orig if isinstance(cause, DBAPIError) else None
    return getattr(orig, "sqlstate", None) == DEADLOCK


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
        self,
        db: Database,
        decider: Decider,
        filer: Filer | None = None,
        *,
        redact: bool = True,
        identities: ClaimedIdentities | None = None,
    ) -> None:
        self.db = db
        self.decider = decider
        self.filer = filer
        self.redact = redact
        self.identities = identities or ClaimedIdentities()  # default: kept plain
        self._lock = threading.Lock()  # the Deciders' tables are one per process
        self._deciders: dict[str, Decider] = {}

    def _decider(self, tenant: str) -> Decider:
        with self._lock:
            if tenant not in self._deciders:
                self._deciders[tenant] = self.decider.for_scope(f"{tenant}/")
            return self._deciders[tenant]

    def record(
        self,
        session_id: str,
        events: list[Any],
        *,
        tenant: str = DEFAULT_TENANT,
        actor: str | None = None,
    ) -> BatchResult:
        """Decide and store one batch of `tenant`'s session; `actor` (the key that
        sent it) is named on the incidents it files and, as `caused_by`, in their
        timeline."""
        if not session_id or len(session_id) > 200:
            raise InputError("session id: 1-200 characters")
        check_tenant(tenant)  # no '/': it separates a tenant's memory keys
        if len(events) > MAX_BATCH:
            raise InputError(f"events: at most {MAX_BATCH} a batch, got {len(events)}")
        sent = list(events)
        events = [self.identities.event(tenant, e) for e in events]
        decider = self._decider(tenant)
        batch = _Batch(decider=decider, tenant=tenant, actor=actor)
        inspected = self._inspect(events)  # before the lock: the guard is the slow part
        retries = DEADLOCK_RETRIES if self.db.dialect == "postgresql" else 0
        pristine = copy.deepcopy(events) if retries else events
        for attempt in range(retries + 1):
            try:
                return self._record(batch, session_id, events, sent, inspected)
            except StorageError as exc:
                if attempt == retries or not _deadlock(exc):
                    raise
                # PostgreSQL chose this batch's transaction to break a deadlock (two
                # batches filing two techniques in opposite order): it was rolled
                # back whole, so the batch runs again from the start
                events = copy.deepcopy(pristine)
        raise AssertionError("unreachable")  # pragma: no cover

    def _record(
        self,
        batch: _Batch,
        session_id: str,
        events: list[Any],
        sent: list[Any],
        inspected: dict[int, ScanResult],
    ) -> BatchResult:
        """One attempt at the batch, in one transaction."""
        result = BatchResult(session=session_id)
        tenant, decider = batch.tenant, batch.decider
        with self.db.begin() as s:
            row = self._lock_row(s, session_id, tenant)
            legacy = self._rekey_session(row, tenant, sent)
            memory = self._lock_memory(s, batch, session_id, _identity(row.state, events), legacy)
            try:
                seq = row.events
                for index, event in enumerate(events):
                    seq += 1
                    self._one(s, batch, row, seq, index, event, result, inspected.get(index))
                row.events = seq
                row.updated_at = datetime.now(UTC)
            finally:
                with self._lock:  # what the Decider learnt about the identity goes back
                    for kept in memory:
                        kept.state = decider.export_identity(kept.id) or {}
                        kept.updated_at = datetime.now(UTC)
                        decider.restore_identity(kept.id, None)
        return result

    def _rekey_session(self, row: SessionRow, tenant: str, sent: list[Any]) -> str | None:
        """With hashing on, a session stored before it holds its identity plain: put it
        in stored form. Returns the plain value whose old memory is to be merged."""
        plain = row.state.get("identity") if isinstance(row.state, dict) else None
        if self.identities.legacy(plain):
            row.state = {**row.state, "identity": self.identities.stored(tenant, str(plain))}
            return str(plain)[:200]
        if not self.identities.hashed or plain is not None:
            return None
        for event in sent:
            if isinstance(event, dict) and isinstance(event.get("claimed_identity"), str):
                claimed = str(event["claimed_identity"])[:200]
                # a value spelled like a hash is never taken for an old plain one: it
                # would reach (and merge away) the memory of the identity it names
                return claimed if claimed and self.identities.legacy(claimed) else None
        return None

    def _lock_memory(
        self,
        s: Session,
        batch: _Batch,
        session_id: str,
        identity: str | None,
        legacy: str | None,
    ) -> list[IdentityRow]:
        """The identity's memory (and the session's own cooling-offs), locked like the
        session's row and handed to the Decider for this batch."""
        memory = batch.decider.memory
        keys = sorted(
            {memory.session_key(session_id), *([memory.identity_key(identity)] if identity else [])}
        )
        rows = [self._locked(s, IdentityRow, key, state={}) for key in keys]
        if identity is not None and legacy is not None:
            self._merge_legacy(s, rows, memory.identity_key(identity), memory.identity_key(legacy))
        with self._lock:
            for found in rows:
                batch.decider.restore_identity(found.id, found.state or None)
        return rows

    def _merge_legacy(self, s: Session, rows: list[IdentityRow], key: str, old_key: str) -> None:
        """What a register remembered under a plain identity joins its hashed key."""
        old = s.scalar(select(IdentityRow).where(IdentityRow.id == old_key).with_for_update())
        target = next(r for r in rows if r.id == key)
        if old is None or old is target:
            return
        joined = merged(target.state, old.state)
        if joined is not None:  # unreadable: both kept as they are
            target.state = joined
            s.delete(old)

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

    def _lock_row(self, s: Session, session_id: str, tenant: str) -> SessionRow:
        row = self._locked(s, SessionRow, session_id, state={}, events=0, tenant=tenant)
        if row.tenant != tenant:  # another tenant's: as if it did not exist
            raise NotFoundError(f"no session '{session_id[:60]}' for this key")
        return row

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
        batch: _Batch,
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
                tenant=batch.tenant,
                session=row.id,
                seq=seq,
                at=now,
                body=redact_value(stored) if self.redact else stored,
            )
        )
        if isinstance(event, dict) and event.setdefault("session", row.id) != row.id:
            result.errors.append({"index": index, "error": "field 'session': not this session"})
            return
        decider = batch.decider
        try:
            with self._lock:
                decider.restore_session(row.id, row.state or None)
                decision = decider.feed(event, inspected=inspected)
                row.state = decider.export_session(row.id) or {}
                decider.restore_session(row.id, None)
        except InputError as exc:
            with self._lock:  # a bad event still marks the session (fail closed)
                row.state = decider.export_session(row.id) or row.state
                decider.restore_session(row.id, None)
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
            self._decided(s, batch, row, seq, decision, result, channel, claimed)
        elif event.get("type") == "message":
            self._outbound(s, batch, row, event, result, channel, claimed, inspected)

    def _decided(
        self,
        s: Session,
        batch: _Batch,
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
                tenant=batch.tenant,
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
            tier = batch.decider.tier_of(decision.action)
            found = self.filer.decision(
                decision,
                tier,
                channel=channel,
                claimed=claimed,
                session=s,
                tenant=batch.tenant,
                caused_by=batch.actor,
            )
            if found is not None:
                result.incidents.append(found)

    def _outbound(
        self,
        s: Session,
        batch: _Batch,
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
            scan = inspected or batch.decider.guard.inspect(str(event.get("text", "")), role=role)
            found = scan.findings
            result.findings.extend(found)
            if self.filer is not None:
                incident = self.filer.output(
                    row.id,
                    list(found),
                    channel=channel,
                    claimed=claimed,
                    session=s,
                    tenant=batch.tenant,
                    caused_by=batch.actor,
                )
                if incident is not None:
                    result.incidents.append(incident)
