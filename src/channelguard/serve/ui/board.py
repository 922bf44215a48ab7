"""The incident board's data: incidents read through one adapter (`as_record`),
each with what is due next, overdue ones first.

The register returns incidents as dicts today and as typed views later (same
field names): `as_record` is the one place that knows which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channelguard.register.store import Filters, IncidentStore

__all__ = ["BoardRow", "as_record", "board", "next_due"]

BOARD_LIMIT = 100
CLOSED = ("resolved", "closed")


def as_record(incident: Any) -> dict[str, Any]:
    """An incident from the store as a plain mapping of its fields."""
    if isinstance(incident, dict):
        return incident
    dumped: dict[str, Any] = incident.model_dump(mode="json")
    return dumped


@dataclass(frozen=True, kw_only=True, slots=True)
class BoardRow:
    incident: dict[str, Any]
    overdue: bool
    next_due: str | None  # ISO time of the earliest open clock or step
    next_what: str  # what is due then


def next_due(incident: dict[str, Any]) -> tuple[str | None, str, bool]:
    """The earliest open clock or step: (due at, what, overdue)."""
    pending = [
        (c["due_at"], c["label"], c["state"] == "overdue")
        for c in incident.get("clocks", [])
        if c.get("done_at") is None
    ] + [
        (s["due_at"], f"step {s['step']}", s["state"] == "overdue")
        for s in incident.get("steps", [])
        if s["state"] != "done"
    ]
    if not pending or incident.get("status") in CLOSED:
        return None, "", False
    due, what, _ = min(pending)
    return due, what, any(late for _, _, late in pending)


def board(store: IncidentStore, filters: Filters) -> tuple[list[BoardRow], int]:
    """Up to BOARD_LIMIT matching incidents (newest first in the register), overdue
    first, then by what is due soonest; and how many match in all."""
    page, total = store.list(filters, limit=BOARD_LIMIT)
    rows = []
    for summary in page:
        full = as_record(store.get(as_record(summary)["id"], tenant=filters.tenant))
        due, what, late = next_due(full)
        rows.append(BoardRow(incident=full, overdue=late, next_due=due, next_what=what))
    rows.sort(
        key=lambda r: (not r.overdue, r.next_due is None, r.next_due or "", -r.incident["id"])
    )
    return rows, total
