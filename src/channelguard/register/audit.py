"""The audit trail of an incident: every change as one timeline row, written in
the transaction of the change, naming who made it (an API key as
`key:PREFIX (LABEL)`, a CLI user as `cli:USER` or `--actor`), what changed from
which OLD value to which NEW one, and for automatic filing the key whose events
caused it.

    record(s, 7, "key:cg_AbC (ops)", "changed status", {"status": change("open", "triaged")})
    views.timeline_of(s, 7)  # [TimelineEntry(what="changed status", changes={"status": ...})]

Rows written before old values were kept hold the new values only; they are
shown with `new` alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from channelguard.register.tables import ChangeRow

__all__ = ["ACTOR_CHARS", "change", "fit", "record"]

ACTOR_CHARS = 200  # the actor columns' size: PostgreSQL refuses more, SQLite keeps it


def fit(actor: str) -> str:
    """Who made a change, as it is recorded: a key's "key:PREFIX (LABEL)" with a long
    label, or a long --actor, ran past the column on PostgreSQL (503)."""
    return actor[:ACTOR_CHARS]


def change(old: Any, new: Any) -> dict[str, Any]:
    return {"old": _jsonable(old), "new": _jsonable(new)}


def record(
    s: Session,
    incident_id: int,
    actor: str,
    what: str,
    changes: dict[str, Any] | None = None,
    *,
    caused_by: str | None = None,
) -> None:
    detail: dict[str, Any] = {"changes": _jsonable(changes or {})}
    if caused_by:
        detail["caused_by"] = fit(caused_by)
    s.add(
        ChangeRow(
            incident_id=incident_id,
            at=datetime.now(UTC),
            actor=fit(actor),
            what=what,
            detail=detail,
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
