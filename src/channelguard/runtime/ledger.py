"""Decision sessions kept in the database, so that any replica of the service
can take a session's next batch of events and decide as one process would.

One batch is one transaction (a replay records many batches in one: record_all):
lock the session's row (PostgreSQL: SELECT … FOR
UPDATE; SQLite: the write lock of BEGIN IMMEDIATE) and its identity's memory,
read them into the batch's own state (decide/state.py: RunState), run each
event through the pipeline (guard -> decide -> file), store the new state, the
events (personal data redacted by default), the decisions and the incidents
they file, then commit. Nothing is shared between batches but the database: no
Decider holds a session, so no lock is taken in the process.
What the caller is told was accepted is committed; a failure rolls it all back.
A batch's events are numbered on from the session's count, and never below the
highest seq stored for the session (its events may outlive its row: retention).
Two batches filing incidents of two techniques in opposite order can deadlock
on PostgreSQL; the one it fails (SQLSTATE 40P01) is run again from the start,
up to DEADLOCK_RETRIES times.

Tenants: a session is the tenant's and the client's session id together
(SessionRow's key), so two tenants using one id have two sessions: neither
reads, changes or learns of the other's (no refusal says the id is taken).
Each tenant has its own memory keys ("TENANT/identity:…" and
"TENANT/session:…"), and its events, decisions and automatically filed
incidents carry its name. Claimed identities
are put in their stored form (identities.py) before anything else sees them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from channelguard.decide.events import Rejected
from channelguard.decide.memory import Memory, merged
from channelguard.decide.session import Decider
from channelguard.decide.state import SessionState
from channelguard.decide.step import RunState
from channelguard.errors import InputError, StorageError
from channelguard.guard.budget import TimeBudget
from channelguard.guard.guard import Guard
from channelguard.guard.types import Finding
from channelguard.ids import MAX_ID, id_problem
from channelguard.register.db import Database
from channelguard.register.identities import ClaimedIdentities
from channelguard.register.keys import check_tenant
from channelguard.register.redact import redact_value
from channelguard.register.tables import (
    DEFAULT_TENANT,
    DecisionRow,
    EventRow,
    IdentityRow,
    SessionRow,
)
from channelguard.runtime.filing import Filer
from channelguard.runtime.pipeline import Pipeline, Received, Scan, Step, Tracer, receive

__all__ = ["MAX_SESSION_ID", "Batch", "BatchResult", "Ledger", "session_id_problem"]

MAX_BATCH = 1000
MAX_SESSION_ID = MAX_ID
session_id_problem = id_problem  # a session id is held to the identifier rule (ids.py)
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
    warnings: list[str] = field(default_factory=list)  # lenient mode: unknown names

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "accepted": self.accepted,
            "decisions": self.decisions,
            "errors": self.errors,
            "incidents": sorted(set(self.incidents)),
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Batch:
    """Whose batch this is: the tenant, the key that sent it, the events."""

    tenant: str
    actor: str | None
    session: str
    events: tuple[Received, ...]
    scans: dict[int, Scan]


def _deadlock(exc: StorageError) -> bool:
    """True when the database broke a deadlock by failing this transaction."""
    cause = exc.__cause__
    orig = cause.orig if isinstance(cause, DBAPIError) else None
    return getattr(orig, "sqlstate", None) == DEADLOCK


def _sent(event: Any) -> str | None:
    claimed = event.get("claimed_identity") if isinstance(event, dict) else None
    return claimed if isinstance(claimed, str) else None


def _claimed(item: Received) -> str | None:
    return item.event.claimed_identity


def _identity(state: dict[str, Any], events: Sequence[Received]) -> str | None:
    """The session's claimed identity: kept from before, or the first in this batch."""
    if isinstance(state.get("identity"), str):
        return str(state["identity"])
    return next((c[:200] for c in map(_claimed, events) if c is not None), None)


def _claims(events: Sequence[Received]) -> set[str]:
    """Every identity this batch claims: any may become the session's (the session
    expired, or the one claimed first was on an event not taken), so each one's
    memory is read, and kept, with the batch."""
    return {c[:200] for c in map(_claimed, events) if c is not None}


def _last_seq(s: Session, tenant: str, session_id: str) -> int:
    """The highest seq stored for the tenant's session (0: none). The row's count
    can be behind it: a register purged before retention kept an incident's session
    state has its events without their row, and numbering a new row's events from 1
    again would clash with them (uq_event_seq) on every batch."""
    where = (EventRow.tenant == tenant, EventRow.session == session_id)
    return s.scalar(select(func.max(EventRow.seq)).where(*where)) or 0


class Ledger:
    def __init__(
        self,
        db: Database,
        decider: Decider,
        filer: Filer | None = None,
        *,
        redact: bool = True,
        identities: ClaimedIdentities | None = None,
        guard_for: Callable[[str], Guard] | None = None,
        tracer: Tracer | None = None,
        inspect_budget_seconds: float | None = None,
    ) -> None:
        """`inspect_budget_seconds`: how long one batch's messages may take the
        guard (the service's scan_time_budget_seconds; None: no limit)."""
        self.db = db
        self.inspect_budget_seconds = inspect_budget_seconds
        self.decider = decider
        # the guard a tenant's messages are inspected with (its calibration, from
        # `channelguard guard calibrate`); None: the decider's, for every tenant
        self.guard_for = guard_for
        self.pipeline = Pipeline(decider, filer, tracer=tracer)
        self.redact = redact
        self.identities = identities or ClaimedIdentities()  # default: kept plain

    def receive(self, session_id: str, events: Sequence[Any], *, tenant: str) -> list[Received]:
        """The edge: raw events of one session parsed into the contract, their
        claimed identity put in stored form first (so nothing sees it plain)."""
        return [
            receive(self.identities.event(tenant, e), session=session_id, sent_identity=_sent(e))
            for e in events
        ]

    def record(
        self,
        session_id: str,
        events: Sequence[Any],
        *,
        tenant: str = DEFAULT_TENANT,
        actor: str | None = None,
    ) -> BatchResult:
        """Decide and store one batch of `tenant`'s session (events as received, or
        raw: parsed here); `actor` (the key that sent it) is named on the incidents
        it files and, as `caused_by`, in their timeline."""
        batch = self.prepare(session_id, events, tenant=tenant, actor=actor)
        return self.record_all([batch])[0]

    def prepare(
        self,
        session_id: str,
        events: Sequence[Any],
        *,
        tenant: str = DEFAULT_TENANT,
        actor: str | None = None,
        budget: TimeBudget | None = None,
    ) -> Batch:
        """A batch checked, parsed and inspected by the guard, ready to record (the
        guard's work is done here, outside any transaction). `budget`: the time its
        messages may take the guard (a replay's, shared by its batches); default: a
        budget of `inspect_budget_seconds` for this batch alone."""
        problem = session_id_problem(session_id)
        if problem is not None:
            raise InputError(f"session id: {problem}")
        check_tenant(tenant)  # no '/': it separates a tenant's memory keys
        if len(events) > MAX_BATCH:
            raise InputError(f"events: at most {MAX_BATCH} a batch, got {len(events)}")
        received = [
            e if isinstance(e, Received) else self.receive(session_id, [e], tenant=tenant)[0]
            for e in events
        ]
        guard = self.guard_for(tenant) if self.guard_for is not None else None
        if budget is None and self.inspect_budget_seconds is not None:
            budget = TimeBudget(self.inspect_budget_seconds)
        scans = self.pipeline.inspect([r.event for r in received], guard, budget=budget)
        return Batch(tenant=tenant, actor=actor, session=session_id,
                     events=tuple(received), scans=scans)  # fmt: skip

    def record_all(self, batches: Sequence[Batch]) -> list[BatchResult]:
        """Record batches in order, all in one transaction (a replay's many small
        batches: one commit, not one each). Any failure rolls back every one of them."""
        retries = DEADLOCK_RETRIES if self.db.dialect == "postgresql" else 0
        for attempt in range(retries + 1):
            try:
                with self.db.begin() as s:
                    return [self._record(s, batch) for batch in batches]
            except StorageError as exc:
                if attempt == retries or not _deadlock(exc):
                    raise
                # PostgreSQL chose this transaction to break a deadlock (two batches
                # filing two techniques in opposite order): it was rolled back whole,
                # so the batches run again from the start
        raise AssertionError("unreachable")  # pragma: no cover

    def _record(self, s: Session, batch: Batch) -> BatchResult:
        """One batch, in the caller's transaction."""
        result = BatchResult(session=batch.session)
        row = self._lock_row(s, batch.session, batch.tenant)
        legacy = self._rekey_session(row, batch.tenant, batch.events)
        memory = Memory(scope=f"{batch.tenant}/")
        identity = _identity(row.state, batch.events)
        kept = self._lock_memory(s, memory, batch.session, identity, legacy,
                                 _claims(batch.events))  # fmt: skip
        session = SessionState.from_state(row.state) if row.state else None
        state = RunState(session_id=row.id, session=session, memory=memory)
        try:
            seq = max(row.events, _last_seq(s, batch.tenant, row.id))
            for index, item in enumerate(batch.events):
                seq += 1
                self._one(s, batch, row, state, seq, index, item, result)
            row.events = seq
            row.updated_at = datetime.now(UTC)
        finally:  # what the batch learnt about the identity goes back
            for found in kept:
                found.state = memory.export(found.id) or {}
                found.updated_at = datetime.now(UTC)
        return result

    def _rekey_session(
        self, row: SessionRow, tenant: str, events: Sequence[Received]
    ) -> str | None:
        """With hashing on, a session stored before it holds its identity plain: put it
        in stored form. Returns the plain value whose old memory is to be merged."""
        plain = row.state.get("identity") if isinstance(row.state, dict) else None
        if self.identities.legacy(plain):
            row.state = {**row.state, "identity": self.identities.stored(tenant, str(plain))}
            return str(plain)[:200]
        if not self.identities.hashed or plain is not None:
            return None
        for event in events:
            if event.sent_identity is not None:
                claimed = event.sent_identity[:200]
                # a value spelled like a hash is never taken for an old plain one: it
                # would reach (and merge away) the memory of the identity it names
                return claimed if claimed and self.identities.legacy(claimed) else None
        return None

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

    def _lock_row(self, s: Session, session_id: str, tenant: str) -> SessionRow:
        """The tenant's session `session_id`: another tenant's of the same id is
        another row, never read or changed here."""
        key = {"tenant": tenant, "id": session_id}
        return self._locked(s, SessionRow, key, state={}, events=0)

    def _locked(self, s: Session, table: type[R], key: dict[str, str], **empty: Any) -> R:
        """The row of `table` whose primary key is `key`, made empty if missing,
        locked until commit (PostgreSQL: FOR UPDATE; SQLite: the transaction's
        write lock)."""
        dialect = postgresql if self.db.dialect == "postgresql" else sqlite
        s.execute(
            dialect.insert(table)
            .values(**key, updated_at=datetime.now(UTC), **empty)
            .on_conflict_do_nothing(index_elements=list(key))
        )
        row = s.scalar(select(table).filter_by(**key).with_for_update())
        assert row is not None  # inserted above or already there
        return row

    def _lock_memory(
        self,
        s: Session,
        memory: Memory,
        session_id: str,
        identity: str | None,
        legacy: str | None,
        claimed: Collection[str] = (),
    ) -> list[IdentityRow]:
        """The identity's memory (and the session's own cooling-offs, and the memory of
        every other identity the batch claims), locked like the session's row, in one
        order, and read into this batch's memory."""
        named = {*claimed, *([identity] if identity else [])}
        keys = sorted({memory.session_key(session_id), *map(memory.identity_key, named)})
        rows = [self._locked(s, IdentityRow, {"id": key}, state={}) for key in keys]
        if identity is not None and legacy is not None:
            self._merge_legacy(s, rows, memory.identity_key(identity), memory.identity_key(legacy))
        for found in rows:
            memory.restore(found.id, found.state or None)
        return rows

    def _one(
        self,
        s: Session,
        batch: Batch,
        row: SessionRow,
        state: RunState,
        seq: int,
        index: int,
        item: Received,
        result: BatchResult,
    ) -> None:
        stored = item.raw if isinstance(item.raw, dict) else {"invalid": repr(item.raw)[:200]}
        s.add(
            EventRow(
                tenant=batch.tenant,
                session=row.id,
                seq=seq,
                at=datetime.now(UTC),
                body=redact_value(stored) if self.redact else stored,
            )
        )
        if isinstance(item.event, Rejected) and item.event.session is None:
            result.errors.append({"index": index, "error": item.event.error})
            return  # not this session's (or no session's): not weighed
        step = self.pipeline.step(state, item.event, batch.scans.get(index))
        row.state = state.session.to_state() if state.session is not None else row.state
        result.warnings.extend(step.warnings)
        if step.error is not None:
            result.errors.append({"index": index, "error": step.error})
            if step.decision is not None:  # a refused action request's fail-closed one
                self._decided(s, batch, row, seq, step, result)
            return
        result.accepted += 1
        result.findings.extend(step.findings)
        if step.decision is not None:
            self._decided(s, batch, row, seq, step, result)
        for filing in step.filings:
            result.incidents.append(
                self.pipeline.file(filing, tenant=batch.tenant, caused_by=batch.actor, session=s)
            )

    def _decided(
        self, s: Session, batch: Batch, row: SessionRow, seq: int, step: Step, result: BatchResult
    ) -> None:
        decision = step.decision
        assert decision is not None  # only called for a decision
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
