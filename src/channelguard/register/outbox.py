"""The webhook outbox: incident events stored in the transaction of the change that
caused them (no event lost, none sent for a change rolled back), then one delivery
row per (event, endpoint) that a worker claims, sends and settles.

    enqueue(s, type="incident.opened", tenant=..., incident_id=..., body=...)
    fan_out(db, endpoints, now=...)      # deliveries for new events
    claim(db, endpoint_ids, now=..., lease_seconds=...)   # due deliveries, leased
    settle(db, claimed, outcome)         # delivered, retry at, or dead

A claim moves the delivery's `next_at` past the lease in its own transaction
(`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer), so a second
worker never takes it while the first is sending; a worker that dies mid-send
leaves it due again once the lease runs out.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from channelguard.register.db import Database, as_utc
from channelguard.register.tables import WebhookDeliveryRow, WebhookEventRow

__all__ = [
    "EVENT_TYPES",
    "Claimed",
    "Outcome",
    "claim",
    "counts",
    "deliveries",
    "enqueue",
    "enqueue_once",
    "fan_out",
    "purge_settled",
    "retry_dead",
    "settle",
]

EVENT_TYPES = ("incident.opened", "incident.updated", "incident.clock_overdue", "drift.alert")
PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


def enqueue(
    s: Session,
    *,
    type: str,
    tenant: str,
    incident_id: int | None,
    body: dict[str, Any],
    occurred_at: datetime,
    dedup: str | None = None,
) -> str:
    """Store one event in the caller's transaction; its id (stable across retries)."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {type!r}")
    event_id = f"evt_{uuid.uuid4().hex}"
    s.add(
        WebhookEventRow(
            event_id=event_id,
            type=type,
            tenant=tenant,
            incident_id=incident_id,
            occurred_at=occurred_at,
            body=body,
            dedup=dedup,
            fanned_out=False,
        )
    )
    s.flush()
    return event_id


def enqueue_once(s: Session, *, dedup: str, **event: Any) -> str | None:
    """Store an event that may exist once only (its `dedup` key); None if it does."""
    if s.scalar(select(WebhookEventRow.id).where(WebhookEventRow.dedup == dedup)) is not None:
        return None
    try:  # two workers at once: the unique key lets one in
        with s.begin_nested():
            return enqueue(s, dedup=dedup, **event)
    except IntegrityError:
        return None


def fan_out(
    db: Database,
    endpoints: Mapping[str, frozenset[str]],
    *,
    now: datetime,
    tenants: Mapping[str, str | None] | None = None,
    max_age: timedelta | None = None,
    limit: int = 500,
) -> int:
    """A pending delivery per new event and endpoint subscribed to its type (and its
    tenant, where an endpoint names one); events older than `max_age` get none (a
    backlog from before webhooks were configured). Returns the deliveries made."""
    made = 0
    with db.begin() as s:
        query = select(WebhookEventRow).where(WebhookEventRow.fanned_out.is_(False))
        query = query.order_by(WebhookEventRow.id).limit(limit)
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for event in s.scalars(query).all():
            event.fanned_out = True
            if max_age is not None and as_utc(event.occurred_at) < now - max_age:
                continue
            for endpoint, types in endpoints.items():
                wanted = (tenants or {}).get(endpoint)
                if event.type in types and wanted in (None, event.tenant):
                    s.add(_delivery(event.id, endpoint, now))
                    made += 1
    return made


def _delivery(event: int, endpoint: str, now: datetime) -> WebhookDeliveryRow:
    return WebhookDeliveryRow(
        event=event, endpoint=endpoint, state=PENDING, attempts=0, next_at=now, last_error=""
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class Claimed:
    """A delivery leased to one worker: what to send, and its attempt number."""

    delivery: int
    endpoint: str
    attempt: int
    event_id: str
    type: str
    tenant: str
    occurred_at: datetime
    body: dict[str, Any]


def claim(
    db: Database,
    endpoints: list[str],
    *,
    now: datetime,
    lease_seconds: float,
    limit: int = 50,
) -> list[Claimed]:
    """Due deliveries to `endpoints`, each leased until `now + lease_seconds`."""
    if not endpoints:
        return []
    with db.begin() as s:
        query = (
            select(WebhookDeliveryRow, WebhookEventRow)
            .join(WebhookEventRow, WebhookEventRow.id == WebhookDeliveryRow.event)
            .where(
                WebhookDeliveryRow.state == PENDING,
                WebhookDeliveryRow.next_at <= now,
                WebhookDeliveryRow.endpoint.in_(endpoints),
            )
            .order_by(WebhookDeliveryRow.next_at, WebhookDeliveryRow.id)
            .limit(limit)
        )
        if db.dialect == "postgresql":
            query = query.with_for_update(of=WebhookDeliveryRow, skip_locked=True)
        out = []
        for delivery, event in s.execute(query).all():
            delivery.attempts += 1
            delivery.next_at = now + timedelta(seconds=lease_seconds)
            out.append(
                Claimed(
                    delivery=delivery.id,
                    endpoint=delivery.endpoint,
                    attempt=delivery.attempts,
                    event_id=event.event_id,
                    type=event.type,
                    tenant=event.tenant,
                    occurred_at=as_utc(event.occurred_at),
                    body=dict(event.body),
                )
            )
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """How one attempt ended: delivered, to retry at `retry_at`, or dead (neither)."""

    delivered: bool
    status: int | None = None
    error: str = ""
    retry_at: datetime | None = None


def settle(db: Database, claimed: Claimed, outcome: Outcome, *, now: datetime) -> str:
    """Record an attempt's outcome; the delivery's new state."""
    state = DELIVERED if outcome.delivered else PENDING if outcome.retry_at is not None else DEAD
    values: dict[str, Any] = {
        "state": state,
        "last_status": outcome.status,
        "last_error": outcome.error[:2000],
    }
    if outcome.delivered:
        values["delivered_at"] = now
    elif outcome.retry_at is not None:
        values["next_at"] = outcome.retry_at
    with db.begin() as s:
        s.execute(
            update(WebhookDeliveryRow)
            .where(WebhookDeliveryRow.id == claimed.delivery)
            .values(**values)
        )
    return state


def deliveries(db: Database, *, state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Deliveries newest first (of one state if given), each with its event."""
    query = select(WebhookDeliveryRow, WebhookEventRow).join(
        WebhookEventRow, WebhookEventRow.id == WebhookDeliveryRow.event
    )
    if state is not None:
        query = query.where(WebhookDeliveryRow.state == state)
    with db.read() as s:
        rows = s.execute(query.order_by(WebhookDeliveryRow.id.desc()).limit(limit)).all()
        return [
            {
                "delivery": d.id,
                "endpoint": d.endpoint,
                "state": d.state,
                "attempts": d.attempts,
                "next_at": as_utc(d.next_at).isoformat(),
                "last_status": d.last_status,
                "last_error": d.last_error,
                "event_id": e.event_id,
                "type": e.type,
                "tenant": e.tenant,
                "incident": e.incident_id,
            }
            for d, e in rows
        ]


def counts(db: Database) -> dict[str, int]:
    """Deliveries by state."""
    with db.read() as s:
        rows = s.execute(
            select(WebhookDeliveryRow.state, func.count()).group_by(WebhookDeliveryRow.state)
        ).all()
    return {state: int(n) for state, n in rows}


def retry_dead(db: Database, *, now: datetime, delivery: int | None = None) -> int:
    """Make dead deliveries (one, or all) due again with fresh attempts; how many."""
    query = update(WebhookDeliveryRow).where(WebhookDeliveryRow.state == DEAD)
    if delivery is not None:
        query = query.where(WebhookDeliveryRow.id == delivery)
    with db.begin() as s:
        done = s.execute(query.values(state=PENDING, attempts=0, next_at=now))
        return int(done.rowcount)  # type: ignore[attr-defined]


def purge_settled(s: Session, cutoff: datetime, *, dry_run: bool) -> dict[str, int]:
    """Delete events older than `cutoff` that were handed out and have no delivery
    still pending (and their deliveries); events still owed to a receiver, or not
    yet handed out, are kept. In the caller's transaction (runtime/retention.py)."""
    owed = select(WebhookDeliveryRow.event).where(WebhookDeliveryRow.state == PENDING)
    settled = (
        WebhookEventRow.occurred_at < cutoff,
        WebhookEventRow.fanned_out.is_(True),
        WebhookEventRow.id.not_in(owed),
    )
    gone = list(s.scalars(select(WebhookEventRow.id).where(*settled)))
    kept = s.scalar(
        select(func.count())
        .select_from(WebhookEventRow)
        .where(WebhookEventRow.occurred_at < cutoff, WebhookEventRow.id.not_in(gone or [0]))
    )
    if not dry_run:
        for chunk in range(0, len(gone), 500):
            ids = gone[chunk : chunk + 500]
            s.execute(delete(WebhookDeliveryRow).where(WebhookDeliveryRow.event.in_(ids)))
            s.execute(delete(WebhookEventRow).where(WebhookEventRow.id.in_(ids)))
    return {"purged": len(gone), "kept_undelivered": kept or 0}
