"""Automatic filing into the register: a finding or decision that calls for an
incident joins the one its group (tenant and technique) has open, or opens it;
past the tenant's hourly rate its alert incident takes it (grouping.py)."""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from channelguard.register import audit, grouping
from channelguard.register.audit import change
from channelguard.register.grouping import FloodLimits, GroupKey
from channelguard.register.records import IncidentIn
from channelguard.register.redact import redact_value
from channelguard.register.storebase import StoreBase, created, emit, now
from channelguard.register.tables import EvidenceRow, IncidentRow
from channelguard.register.vocab import HarmType

__all__ = ["AutoFiling"]


class AutoFiling(StoreBase):
    def open_or_update(
        self,
        data: IncidentIn,
        actor: str,
        *,
        group: GroupKey,
        evidence: builtins.list[tuple[str, Any]],
        caused_by: str | None = None,
        session: Session | None = None,
    ) -> tuple[int, bool]:
        """File automatically: the incident of `group` (its tenant and technique,
        within its window) gets the evidence, or is opened with it in the group's
        tenant (also when the one it had is resolved or closed); past the tenant's
        hourly rate its alert incident gets it instead. Returns (id, opened). Inside
        the caller's transaction when `session` is given, so what triggered the
        filing and the filing commit together. `caused_by`: the key whose events
        caused it (the audit trail)."""
        limits = self.limits
        if session is not None:
            return self._file(session, data, actor, group, evidence, limits, caused_by)
        with self.db.begin() as s:
            return self._file(s, data, actor, group, evidence, limits, caused_by)

    def _file(
        self,
        s: Session,
        data: IncidentIn,
        actor: str,
        group: GroupKey,
        evidence: builtins.list[tuple[str, Any]],
        limits: FloodLimits,
        caused_by: str | None,
    ) -> tuple[int, bool]:
        at = now()
        key = group.text()
        row = grouping.current(s, key, limits, at)
        if row is None and not group.is_alert and grouping.over_rate(s, limits, at, group.tenant):
            held = [("note", {"would_have_opened": data.title, "group": key}), *evidence]
            alert = grouping.alert_incident(data, limits)
            return self._file(s, alert, actor, group.alert(), held, limits, caused_by)
        opened, what = False, "opened automatically"
        said: str | None = what  # the timeline's entry (None: a flood counted)
        if row is None:
            row, opened = self._open_group(s, data, actor, key, group.tenant)
        if opened:
            opening = {**created(row), "group": change(None, key)}
            audit.record(s, row.id, actor, what, opening, caused_by=caused_by)
        else:
            said = self._seen_again(s, row, actor, limits, caused_by)
        if data.session:
            grouping.link_session(s, row.id, data.session, at)
        for kind, body in evidence:
            stored = redact_value(body) if self.redact else body
            grouping.attach_capped(
                s,
                row,
                EvidenceRow(
                    incident_id=row.id,
                    at=at,
                    kind=kind,
                    body=stored,
                    redacted=self.redact,
                    automatic=True,
                ),
                limits.evidence_cap,
            )
        s.expire(row)  # counters were changed in SQL
        if said:  # an event per timeline entry: a flood is counted, not announced
            emit(s, row.id, "incident.opened" if opened else "incident.updated", said)
            if data.harm_type is HarmType.MODEL_DRIFT:
                emit(s, row.id, "drift.alert", said, opened=opened)
        return row.id, opened

    def _open_group(
        self, s: Session, data: IncidentIn, actor: str, key: str, tenant: str
    ) -> tuple[IncidentRow, bool]:
        try:  # a replica filing the same group at once wins the unique key; we update
            with s.begin_nested():
                row = self._new_row(data, actor, key, tenant)
                s.add(row)
                s.flush()
                return row, True
        except IntegrityError:
            found = s.scalar(select(IncidentRow).where(IncidentRow.group_key == key))
            if found is None:
                raise
            return found, False

    def _seen_again(
        self, s: Session, row: IncidentRow, actor: str, limits: FloodLimits, caused_by: str | None
    ) -> str | None:
        """Count the filing (a write: a new version and `updated_at`); the timeline
        names each one up to the evidence cap, then says once that the rest are
        counted (one row per filing is a flood of its own). What the timeline said,
        or None."""
        s.execute(
            update(IncidentRow)
            .where(IncidentRow.id == row.id)
            .values(seen=IncidentRow.seen + 1, version=IncidentRow.version + 1, updated_at=now())
            .execution_options(synchronize_session=False)
        )
        seen = s.scalar(select(IncidentRow.seen).where(IncidentRow.id == row.id)) or 1
        if seen <= limits.evidence_cap:
            what = "seen again: evidence attached"
        elif seen == limits.evidence_cap + 1:
            what = (
                f"seen more than {limits.evidence_cap} times: further filings are counted "
                "(seen), the newest evidence kept"
            )
        else:
            return None
        audit.record(s, row.id, actor, what, {"seen": change(seen - 1, seen)}, caused_by=caused_by)
        return what
