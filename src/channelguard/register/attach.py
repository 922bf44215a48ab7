"""What is attached to an incident: links to other incidents, playbook steps
checked off, evidence. A closed incident takes none of them (reopen it first);
each is a timeline row and a new version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from channelguard.errors import ConflictError, InputError, StorageError
from channelguard.register import audit
from channelguard.register.audit import change
from channelguard.register.records import EvidenceIn, LinkIn, StepCheck
from channelguard.register.redact import redact_value
from channelguard.register.storebase import StoreBase, emit, fit, now, still_open, touch
from channelguard.register.tables import EvidenceRow, LinkRow, StepRow
from channelguard.register.views import EvidenceAdded, IncidentView

__all__ = ["Attachments"]


class Attachments(StoreBase):
    def link(
        self, incident_id: int, data: LinkIn, actor: str, *, tenant: str | None = None
    ) -> IncidentView:
        """Link two incidents (both the caller's tenant's, both not closed)."""
        if data.to == incident_id:
            raise InputError("field 'to': an incident cannot link to itself")
        try:
            with self.db.begin() as s:
                still_open(self._row(s, incident_id, tenant), "a link")
                still_open(self._row(s, data.to, tenant), "a link")
                note = self._clean(data.note)
                s.add(
                    LinkRow(
                        from_id=incident_id,
                        to_id=data.to,
                        type=data.type.value,
                        note=note,
                        at=now(),
                        actor=fit(actor),
                    )
                )
                made = {"from": incident_id, "to": data.to, "type": data.type.value, "note": note}
                audit.record(
                    s,
                    incident_id,
                    actor,
                    f"linked: {data.type.value} #{data.to}",
                    {"link": change(None, made)},
                )
                audit.record(
                    s,
                    data.to,
                    actor,
                    f"linked from #{incident_id}: {data.type.value}",
                    {"link": change(None, made)},
                )
                touch(s, incident_id)
                touch(s, data.to)
                s.expire_all()
                emit(s, incident_id, "incident.updated", f"linked: {data.type.value}")
                emit(s, data.to, "incident.updated", f"linked from #{incident_id}")
                return self._view(s, self._row(s, incident_id))
        except StorageError as exc:  # the unique key: this link exists already
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            raise ConflictError(
                f"incident {incident_id} already links {data.type.value} #{data.to}"
            ) from None

    def check_step(
        self, incident_id: int, data: StepCheck, actor: str, *, tenant: str | None = None
    ) -> IncidentView:
        with self.db.begin() as s:
            row = still_open(self._row(s, incident_id, tenant), "a step")
            book = self.playbooks.get(row.playbook)
            if data.step not in {st.id for st in book.steps}:
                known = ", ".join(st.id for st in book.steps)
                raise InputError(
                    f"field 'step': '{data.step}' is not a step of {book.id} ({known})"
                )
            done = s.scalar(
                select(StepRow).where(StepRow.incident_id == incident_id, StepRow.step == data.step)
            )
            if done is None:
                note = self._clean(data.note)
                s.add(
                    StepRow(
                        incident_id=incident_id,
                        step=data.step,
                        done_at=now(),
                        done_by=fit(actor),
                        note=note,
                    )
                )
                audit.record(
                    s,
                    incident_id,
                    actor,
                    f"step done: {data.step}",
                    {f"steps.{data.step}": change(None, {"done": True, "note": note})},
                )
                touch(s, incident_id)
                s.expire_all()
                emit(s, incident_id, "incident.updated", f"step done: {data.step}")
            return self._view(s, self._row(s, incident_id))

    def add_evidence(
        self, incident_id: int, data: EvidenceIn, actor: str, *, tenant: str | None = None
    ) -> EvidenceAdded:
        """Attach evidence. Answers with ids only (`incident`, `evidence`, the new
        `version`): whoever may add evidence need not be able to read the incident."""
        with self.db.begin() as s:
            still_open(self._row(s, incident_id, tenant), "evidence")
            self._room_for_evidence(s, incident_id)
            added = self._attach(s, incident_id, data.kind, data.body)
            audit.record(
                s,
                incident_id,
                actor,
                f"evidence attached: {data.kind}",
                {"evidence": change(None, data.kind)},
            )
            version = touch(s, incident_id)
            s.expire_all()
            emit(s, incident_id, "incident.updated", f"evidence attached: {data.kind}")
            return EvidenceAdded(incident=incident_id, evidence=added, version=version)

    def _room_for_evidence(self, s: Session, incident_id: int) -> None:
        """Evidence a person attaches is never rotated out: past the cap it is refused
        (the automatic evidence, capped on its own, does not count)."""
        held = s.scalar(
            select(func.count())
            .select_from(EvidenceRow)
            .where(EvidenceRow.incident_id == incident_id, EvidenceRow.automatic.is_(False))
        )
        if (held or 0) >= self.limits.evidence_cap:
            raise ConflictError(
                f"incident {incident_id} holds {self.limits.evidence_cap} evidence items "
                "attached by hand, its most (evidence_cap): summarise them in its summary, "
                "or open a linked incident"
            )

    def _attach(self, s: Session, incident_id: int, kind: str, body: dict[str, Any]) -> int:
        stored = redact_value(body) if self.redact else body
        row = EvidenceRow(
            incident_id=incident_id, at=now(), kind=kind, body=stored, redacted=self.redact
        )
        s.add(row)
        s.flush()
        return row.id
