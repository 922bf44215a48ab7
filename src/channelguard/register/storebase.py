"""What every part of the incident store shares: its settings, reading one row
(within the caller's tenant), the full view of it, redacting free text, a new
incident's row, and the small helpers of every write (a new version, a closed
incident refusing writes, the stale-version message)."""

from __future__ import annotations

import builtins
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from channelguard.errors import ConflictError, NotFoundError, StorageError
from channelguard.register import audit, outbox
from channelguard.register.audit import change
from channelguard.register.clocks import clocks_for
from channelguard.register.db import Database
from channelguard.register.grouping import FloodLimits
from channelguard.register.playbooks import Playbooks, load_playbooks
from channelguard.register.records import IncidentIn
from channelguard.register.redact import redact_value
from channelguard.register.tables import IncidentRow
from channelguard.register.views import IncidentView, incident_view, summary_of

__all__ = [
    "TITLE_CHARS",
    "StoreBase",
    "created",
    "emit",
    "fit",
    "now",
    "stale",
    "still_open",
    "touch",
]

TITLE_CHARS = 300  # the column; a redaction marker can be longer than what it hides


class StoreBase:
    def __init__(
        self,
        db: Database,
        *,
        playbooks: Playbooks | None = None,
        redact: bool = True,
        limits: FloodLimits | None = None,
    ) -> None:
        self.db = db
        self.playbooks = playbooks if playbooks is not None else load_playbooks()
        self.redact = redact
        self.limits = limits or FloodLimits()

    def _row(self, s: Session, incident_id: int, tenant: str | None = None) -> IncidentRow:
        row = s.get(IncidentRow, incident_id)
        if row is None or (tenant is not None and row.tenant != tenant):
            raise NotFoundError(f"no incident {incident_id}")
        return row

    def _view(self, s: Session, row: IncidentRow) -> IncidentView:
        return incident_view(s, row, self.playbooks, now())

    def _clean(self, text: str) -> str:
        return str(redact_value(text)) if self.redact else text

    def _clean_factors(self, factors: builtins.list[dict[str, Any]]) -> builtins.list[Any]:
        return [{**f, "note": self._clean(f.get("note", ""))} for f in factors]

    def _new_row(
        self, data: IncidentIn, actor: str, group_key: str | None, tenant: str
    ) -> IncidentRow:
        book = (
            self.playbooks.get(data.playbook)
            if data.playbook
            else self.playbooks.for_harm(data.harm_type.value)
        )
        lead = (data.lead or book.lead).value
        at = now()
        clocks = clocks_for(
            harm_type=data.harm_type.value,
            personal_data=data.personal_data,
            ai_act=data.ai_act,
            money_moved=data.money_moved,
        )
        return IncidentRow(
            tenant=tenant,
            version=1,
            title=self._clean(data.title)[:TITLE_CHARS],
            domain=data.domain.value,
            domain_reason=self._clean(data.domain_reason),
            cause=data.cause.value,
            harm_type=data.harm_type.value,
            severity=data.severity.value,
            status="open",
            summary=self._clean(data.summary),
            owasp=list(data.owasp),
            atlas=list(data.atlas),
            failed_control=data.failed_control.model_dump(mode="json"),
            owners={k.value: self._clean(v) for k, v in data.owners.items()},
            lead=lead,
            playbook=book.id,
            compromised=self._clean_factors([c.model_dump(mode="json") for c in data.compromised]),
            clocks={c.value: None for c in clocks},
            personal_data=data.personal_data,
            money_moved=data.money_moved,
            ai_act=data.ai_act,
            session=data.session,
            claimed_identity=data.claimed_identity,
            group_key=group_key,
            detected_at=data.detected(),
            created_at=at,
            updated_at=at,
            created_by=fit(actor),
        )


def created(row: IncidentRow) -> dict[str, Any]:
    """An incident's opening in the audit trail: each main field from nothing."""
    fields = ("title", "domain", "cause", "harm_type", "severity", "status", "lead", "owners")
    return {f: change(None, getattr(row, f)) for f in fields}


def fit(actor: str) -> str:
    return audit.fit(actor)


def still_open(row: IncidentRow, what: str) -> IncidentRow:
    """The incident, if it still takes `what`; a closed one refuses (reopen it first)."""
    if row.status == "closed":
        raise ConflictError(
            f"incident {row.id} is closed: it takes no {what}; reopen it first "
            "(PATCH status) if the case goes on"
        )
    return row


def touch(s: Session, incident_id: int) -> int:
    """A write to the incident: one version more, updated now (in the database, so two
    writers at once each count). Returns the new version."""
    s.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id)
        .values(version=IncidentRow.version + 1, updated_at=now())
        .execution_options(synchronize_session=False)
    )
    version = s.scalar(select(IncidentRow.version).where(IncidentRow.id == incident_id))
    return int(version or 0)


def stale(incident_id: int, sent: int, current: int | None) -> str:
    at = f" (it is at version {current})" if current is not None else ""
    return f"incident {incident_id} changed since version {sent}{at}: read it again and retry"


def now() -> datetime:
    return datetime.now(UTC)


def emit(s: Session, incident_id: int, type: str, what: str, **extra: Any) -> None:
    """The webhook event of a change, in the change's transaction (register/outbox.py):
    the incident's summary as stored (redacted), and what changed."""
    row = s.get(IncidentRow, incident_id)
    if row is None:  # the change's own row: only a bug gets here
        raise StorageError(f"incident {incident_id} vanished inside its transaction")
    body = {"incident": summary_of(row).to_json(), "change": what, **extra}
    outbox.enqueue(
        s, type=type, tenant=row.tenant, incident_id=row.id, body=body, occurred_at=now()
    )
