"""Retention: forget the service's raw interaction record after N days, keep what
an incident or a running control still needs.

What the service stores per interaction (events, decisions, session state,
what it remembers about claimed identities) is customer data: kept only as
long as it serves a purpose. `purge` deletes, older than the cut-off:

- events and decisions, except those of every session an incident groups
  (incident_sessions: all of them, not only the one the incident names; the
  incident's evidence, kept while the incident exists, whatever its status),
  each session the incident's tenant's (another tenant's of the same id goes);
- session state not touched since the cut-off (a session idle that long
  starts afresh anyway: its time-to-live is hours), except that of a session an
  incident groups: kept with its events (its event count numbers the events it
  may yet receive, so they never clash with the kept ones);
- what is remembered about a claimed identity not seen since the cut-off,
  unless a cooling-off period is still running for it (forgetting it early
  would let the next caller skip the wait: retention never weakens a control);
  a held session's own memory ("TENANT/session:ID": its evidence and
  cooling-offs) stays with its state, events and decisions.

- webhook events delivered (or dead) and their deliveries; one still owed to a
  receiver, or not yet handed out, is kept (register/outbox.py).

Incidents, their changes, steps, links and evidence are the register: never
purged here. One transaction: all of it or nothing.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Tuple,
    delete,
    func,
    select,
    tuple_,
    union,
)
from sqlalchemy.orm import Session

from channelguard.decide.memory import Identity, Memory
from channelguard.errors import InputError
from channelguard.register import outbox
from channelguard.register.db import Database
from channelguard.register.tables import (
    DecisionRow,
    EventRow,
    IdentityRow,
    IncidentRow,
    IncidentSessionRow,
    SessionRow,
)

__all__ = ["MIN_DAYS", "purge"]

MIN_DAYS = 1.0


def purge(
    db: Database, older_than_days: float, *, dry_run: bool = False, now: datetime | None = None
) -> dict[str, Any]:
    """Delete (or with `dry_run`, count) what is older than `older_than_days`.
    Returns the cut-off and, per kind, how many rows went and how many were kept."""
    if (
        isinstance(older_than_days, bool)
        or not isinstance(older_than_days, int | float)
        or not math.isfinite(older_than_days)
        or older_than_days < MIN_DAYS
    ):
        raise InputError(
            f"older_than_days: {older_than_days!r} is not a number of days of at least "
            f"{MIN_DAYS:g} (a shorter cut-off would cut into live sessions)"
        )
    at = now or datetime.now(UTC)
    cutoff = at - timedelta(days=older_than_days)
    out: dict[str, Any] = {"cutoff": cutoff.isoformat(), "dry_run": dry_run}
    with db.begin() as s:
        held = _held_sessions()
        for name, table in (("events", EventRow), ("decisions", DecisionRow)):
            old = table.at < cutoff
            session = tuple_(table.tenant, table.session)  # a session is the tenant's
            out[name] = _purge_unheld(s, table, old, session, held, dry_run=dry_run)
        # an incident's session keeps its state: the row holds the count its kept
        # events are numbered by (the ledger goes on from it) and the channel its
        # kept decisions are reported under, and `session:` feedback refs resolve
        stale = SessionRow.updated_at < cutoff
        session = tuple_(SessionRow.tenant, SessionRow.id)
        out["sessions"] = _purge_unheld(s, SessionRow, stale, session, held, dry_run=dry_run)
        gone_ids: list[str] = []
        running = for_incidents = 0
        memories = _session_memories(s, held)
        for row in s.scalars(select(IdentityRow).where(IdentityRow.updated_at < cutoff)):
            if row.id in memories:  # what the incident's session itself remembered
                for_incidents += 1
            elif _cooling_off_running(row.state, at.timestamp()):
                running += 1
            else:
                gone_ids.append(row.id)
        if gone_ids and not dry_run:
            for chunk in range(0, len(gone_ids), 500):
                s.execute(
                    delete(IdentityRow)
                    .where(IdentityRow.id.in_(gone_ids[chunk : chunk + 500]))
                    .execution_options(synchronize_session=False)
                )
        out["identities"] = {
            "purged": len(gone_ids),
            "kept_cooling_off": running,
            "kept_for_incidents": for_incidents,
        }
        out["webhook_events"] = outbox.purge_settled(s, cutoff, dry_run=dry_run)
    return out


def _purge_unheld(
    s: Session,
    table: type[EventRow | DecisionRow | SessionRow],
    old: ColumnElement[bool],
    session: Tuple,
    held: CompoundSelect[tuple[str, str | None]],
    *,
    dry_run: bool,
) -> dict[str, int]:
    """Delete (or count) the `old` rows of `table` whose `session` no incident
    holds; count the old ones an incident holds, which stay."""
    count = select(func.count()).select_from(table)
    gone = s.scalar(count.where(old, session.not_in(held)))
    kept = s.scalar(count.where(old, session.in_(held)))
    if not dry_run:
        s.execute(
            delete(table)
            .where(old, session.not_in(held))
            .execution_options(synchronize_session=False)
        )
    return {"purged": gone or 0, "kept_for_incidents": kept or 0}


def _held_sessions() -> CompoundSelect[tuple[str, str | None]]:
    """The (tenant, session id) of every session an incident links, and the named
    session of any incident without a link: another tenant's session of the same
    id is not held."""
    return union(
        select(IncidentRow.tenant, IncidentSessionRow.session).join(
            IncidentRow, IncidentRow.id == IncidentSessionRow.incident_id
        ),
        select(IncidentRow.tenant, IncidentRow.session).where(IncidentRow.session.is_not(None)),
    )


def _session_memories(s: Session, held: CompoundSelect[tuple[str, str | None]]) -> set[str]:
    """The memory key ("TENANT/session:ID", decide/memory.py) of every held session:
    its own evidence and cooling-offs, kept with its state and events."""
    sessions = held.subquery()
    rows = s.execute(select(sessions.c.tenant, sessions.c.session)).all()
    # keyed as the ledger keys a tenant's memory (runtime/ledger.py: scope "TENANT/")
    return {Memory(scope=f"{t}/").session_key(session) for t, session in rows if session}


def _cooling_off_running(state: Any, now: float) -> bool:
    """True when a cooling-off in this remembered state has not ended, or when the
    state cannot be read (kept: what we cannot read, we do not throw away)."""
    if not isinstance(state, dict):
        return True
    try:
        identity = Identity.from_state(state)
    except (TypeError, ValueError):
        return True
    return any(change.running(now) for change in identity.changes)
