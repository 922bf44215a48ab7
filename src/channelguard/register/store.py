"""The incident register on a Database: create, read, filter, change (with
optimistic concurrency), link, check off playbook steps, attach evidence.

Every change writes a timeline row (who, when, what, old and new values:
audit.py) in the same transaction as the change itself, so the record and its
history never disagree, and every write (a change, evidence, a link, a step,
an automatic filing) is a new version with a new `updated_at`. A closed
incident takes no writes but a change of its fields (reopening it): evidence,
links and steps are refused (ConflictError, 409). Every free-text field
(title, summary, reasons, owners' names, notes) is redacted like evidence
before it is stored, unless `redact` is off. Automatic filing is
flood-controlled per tenant (grouping.py).

The store is one class put together from its parts: storebase.py (settings,
one row, its view, redaction), autofile.py (automatic filing), changes.py
(changing fields), attach.py (links, steps, evidence); reads answer with the
typed views of views.py.

Every incident belongs to a tenant. A reader or writer with a tenant
(`tenant=`) finds only that tenant's incidents (another's is "not found");
with None (a global admin key, the CLI) every tenant's.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from channelguard.errors import InputError
from channelguard.register import audit, grouping
from channelguard.register.attach import Attachments
from channelguard.register.autofile import AutoFiling
from channelguard.register.changes import Updates
from channelguard.register.db import as_utc
from channelguard.register.records import IncidentIn
from channelguard.register.storebase import created, emit
from channelguard.register.tables import DEFAULT_TENANT, IncidentRow
from channelguard.register.views import (
    IncidentSummary,
    IncidentView,
    TimelineEntry,
    summary_of,
    timeline_of,
)
from channelguard.register.vocab import Severity

__all__ = ["MAX_PAGE", "Filters", "IncidentStore"]

MAX_PAGE = 500


@dataclass(frozen=True, kw_only=True, slots=True)
class Filters:
    domain: str | None = None
    cause: str | None = None
    severity: str | None = None  # this severity or higher
    owner: str | None = None  # the lead role
    status: str | None = None
    since: datetime | None = None
    tenant: str | None = None  # None: every tenant's


class IncidentStore(AutoFiling, Updates, Attachments):
    # -- create and read -------------------------------------------------------
    def create(
        self,
        data: IncidentIn,
        actor: str,
        *,
        group_key: str | None = None,
        tenant: str = DEFAULT_TENANT,
    ) -> IncidentView:
        with self.db.begin() as s:
            row = self._new_row(data, actor, group_key, tenant)
            s.add(row)
            s.flush()
            if row.session:
                grouping.link_session(s, row.id, row.session, row.created_at)
            audit.record(s, row.id, actor, "created", created(row))
            emit(s, row.id, "incident.opened", "created")
            return self._view(s, row)

    def get(self, incident_id: int, *, tenant: str | None = None) -> IncidentView:
        with self.db.read() as s:
            return self._view(s, self._row(s, incident_id, tenant))

    def list(
        self, filters: Filters | None = None, *, limit: int = 50, offset: int = 0
    ) -> tuple[builtins.list[IncidentSummary], int]:
        """One page of incident summaries, newest first, and the total that match."""
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise InputError(f"limit must be 1-{MAX_PAGE} and offset 0 or more")
        query = _filtered(select(IncidentRow), filters or Filters())
        count = _filtered(select(func.count(IncidentRow.id)), filters or Filters())
        with self.db.read() as s:
            total = s.scalar(count) or 0
            rows = s.scalars(
                query.order_by(IncidentRow.id.desc()).limit(limit).offset(offset)
            ).all()
            return [summary_of(r) for r in rows], total

    def newest(
        self, limit: int = MAX_PAGE, *, tenant: str | None = None
    ) -> builtins.list[IncidentView]:
        """The newest incidents, each in full (timeline, clocks, evidence): for exports."""
        if not 1 <= limit <= MAX_PAGE:
            raise InputError(f"limit must be 1-{MAX_PAGE}")
        query = _filtered(select(IncidentRow), Filters(tenant=tenant))
        with self.db.read() as s:
            rows = s.scalars(query.order_by(IncidentRow.id.desc()).limit(limit))
            return [self._view(s, r) for r in rows.all()]

    def timeline(
        self, incident_id: int, *, tenant: str | None = None
    ) -> builtins.list[TimelineEntry]:
        """The audit trail: who changed what, from which value to which (only
        `tenant`'s incidents when given, like every other read)."""
        with self.db.read() as s:
            self._row(s, incident_id, tenant)
            return timeline_of(s, incident_id)


def _filtered(query: Any, f: Filters) -> Any:
    if f.tenant is not None:
        query = query.where(IncidentRow.tenant == f.tenant)
    if f.domain:
        query = query.where(IncidentRow.domain == f.domain)
    if f.cause:
        query = query.where(IncidentRow.cause == f.cause)
    if f.severity:
        ranks = [v.value for v in Severity if v.rank >= Severity(f.severity).rank]
        query = query.where(IncidentRow.severity.in_(ranks))
    if f.owner:
        query = query.where(IncidentRow.lead == f.owner)
    if f.status:
        query = query.where(IncidentRow.status == f.status)
    if f.since:
        query = query.where(IncidentRow.created_at >= as_utc(f.since))
    return query
