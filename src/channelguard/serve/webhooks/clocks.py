"""Overdue clocks become `incident.clock_overdue` events, once per incident and
clock (the outbox's unique `dedup` key "clock:ID:KIND" holds that across restarts
and replicas). A clock is overdue when its due time has passed and it is not
done; resolved and closed incidents are left alone."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from channelguard.register import outbox
from channelguard.register.clocks import CLOCKS
from channelguard.register.db import Database, as_utc
from channelguard.register.tables import IncidentRow
from channelguard.register.views import summary_of

__all__ = ["enqueue_overdue"]

BATCH = 500


def enqueue_overdue(db: Database, *, now: datetime) -> int:
    """Enqueue an event for each clock that is overdue and not yet announced; how many."""
    made = 0
    after = 0
    while True:
        with db.begin() as s:
            rows = s.scalars(
                select(IncidentRow)
                .where(IncidentRow.id > after, IncidentRow.status.not_in(("resolved", "closed")))
                .order_by(IncidentRow.id)
                .limit(BATCH)
            ).all()
            for row in rows:
                made += _row_overdue(s, row, now)
        if len(rows) < BATCH:
            return made
        after = rows[-1].id


def _row_overdue(s: Session, row: IncidentRow, now: datetime) -> int:
    made = 0
    detected = as_utc(row.detected_at)
    known = {k.value: rule for k, rule in CLOCKS.items()}
    for kind, done in sorted(row.clocks.items()):
        rule = known.get(kind)
        if rule is None or done is not None:
            continue
        due = detected + timedelta(hours=rule.hours)
        if due > now:
            continue
        clock = {"kind": kind, "label": rule.label, "basis": rule.basis, "due_at": due.isoformat()}
        body = {"incident": summary_of(row).to_json(), "clock": clock}
        made += (
            outbox.enqueue_once(
                s,
                dedup=f"clock:{row.id}:{kind}",
                type="incident.clock_overdue",
                tenant=row.tenant,
                incident_id=row.id,
                body=body,
                occurred_at=now,
            )
            is not None
        )
    return made
