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

Every incident belongs to a tenant. A reader or writer with a tenant
(`tenant=`) finds only that tenant's incidents (another's is "not found");
with None (a global admin key, the CLI) every tenant's.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from channelguard.errors import ConflictError, InputError, NotFoundError, StorageError
from channelguard.register import audit, grouping, outbox
from channelguard.register.audit import change
from channelguard.register.clocks import clock_view, clocks_for
from channelguard.register.db import Database, as_utc
from channelguard.register.grouping import FloodLimits, GroupKey
from channelguard.register.playbooks import Playbook, Playbooks, load_playbooks
from channelguard.register.records import EvidenceIn, IncidentIn, IncidentPatch, LinkIn, StepCheck
from channelguard.register.redact import redact_value
from channelguard.register.tables import (
    DEFAULT_TENANT,
    EvidenceRow,
    IncidentRow,
    IncidentSessionRow,
    LinkRow,
    StepRow,
)
from channelguard.register.vocab import HarmType, Severity

__all__ = ["Filters", "IncidentStore", "incident_summary"]

MAX_PAGE = 500
TITLE_CHARS = 300  # the column; a redaction marker can be longer than what it hides
SESSIONS_SHOWN = 50  # an incident's view lists this many of the sessions it groups


@dataclass(frozen=True, kw_only=True, slots=True)
class Filters:
    domain: str | None = None
    cause: str | None = None
    severity: str | None = None  # this severity or higher
    owner: str | None = None  # the lead role
    status: str | None = None
    since: datetime | None = None
    tenant: str | None = None  # None: every tenant's


class IncidentStore:
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

    # -- create and read -------------------------------------------------------
    def create(
        self,
        data: IncidentIn,
        actor: str,
        *,
        group_key: str | None = None,
        tenant: str = DEFAULT_TENANT,
    ) -> dict[str, Any]:
        with self.db.begin() as s:
            row = self._new_row(data, actor, group_key, tenant)
            s.add(row)
            s.flush()
            if row.session:
                grouping.link_session(s, row.id, row.session, row.created_at)
            audit.record(s, row.id, actor, "created", _created(row))
            _emit(s, row.id, "incident.opened", "created")
            return self._view(s, row)

    def _new_row(
        self, data: IncidentIn, actor: str, group_key: str | None, tenant: str
    ) -> IncidentRow:
        book = (
            self.playbooks.get(data.playbook)
            if data.playbook
            else self.playbooks.for_harm(data.harm_type.value)
        )
        lead = (data.lead or book.lead).value
        now = _now()
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
            created_at=now,
            updated_at=now,
            created_by=_fit(actor),
        )

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
        now = _now()
        key = group.text()
        row = grouping.current(s, key, limits, now)
        if row is None and not group.is_alert and grouping.over_rate(s, limits, now, group.tenant):
            held = [("note", {"would_have_opened": data.title, "group": key}), *evidence]
            alert = grouping.alert_incident(data, limits)
            return self._file(s, alert, actor, group.alert(), held, limits, caused_by)
        opened, what = False, "opened automatically"
        what_said: str | None = what  # the timeline's entry (None: a flood counted)
        if row is None:
            row, opened = self._open_group(s, data, actor, key, group.tenant)
        if opened:
            opening = {**_created(row), "group": change(None, key)}
            audit.record(s, row.id, actor, what, opening, caused_by=caused_by)
        else:
            what_said = self._seen_again(s, row, actor, limits, caused_by)
        if data.session:
            grouping.link_session(s, row.id, data.session, now)
        for kind, body in evidence:
            stored = redact_value(body) if self.redact else body
            grouping.attach_capped(
                s,
                row,
                EvidenceRow(
                    incident_id=row.id,
                    at=now,
                    kind=kind,
                    body=stored,
                    redacted=self.redact,
                    automatic=True,
                ),
                limits.evidence_cap,
            )
        s.expire(row)  # counters were changed in SQL
        if what_said:  # an event per timeline entry: a flood is counted, not announced
            _emit(s, row.id, "incident.opened" if opened else "incident.updated", what_said)
            if data.harm_type is HarmType.MODEL_DRIFT:
                _emit(s, row.id, "drift.alert", what_said, opened=opened)
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
            .values(seen=IncidentRow.seen + 1, version=IncidentRow.version + 1, updated_at=_now())
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

    def get(self, incident_id: int, *, tenant: str | None = None) -> dict[str, Any]:
        with self.db.read() as s:
            return self._view(s, self._row(s, incident_id, tenant))

    def list(
        self, filters: Filters | None = None, *, limit: int = 50, offset: int = 0
    ) -> tuple[builtins.list[dict[str, Any]], int]:
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
            return [incident_summary(r) for r in rows], total

    def newest(
        self, limit: int = MAX_PAGE, *, tenant: str | None = None
    ) -> builtins.list[dict[str, Any]]:
        """The newest incidents, each in full (timeline, clocks, evidence): for exports."""
        if not 1 <= limit <= MAX_PAGE:
            raise InputError(f"limit must be 1-{MAX_PAGE}")
        query = _filtered(select(IncidentRow), Filters(tenant=tenant))
        with self.db.read() as s:
            rows = s.scalars(query.order_by(IncidentRow.id.desc()).limit(limit))
            return [self._view(s, r) for r in rows.all()]

    # -- change ----------------------------------------------------------------
    def update(
        self, incident_id: int, patch: IncidentPatch, actor: str, *, tenant: str | None = None
    ) -> dict[str, Any]:
        changes = patch.changes()
        with self.db.begin() as s:
            row = self._row(s, incident_id, tenant)
            if row.version != patch.version:
                raise ConflictError(_stale(incident_id, patch.version, row.version))
            values = self._cleaned(changes)
            if patch.clocks_done:
                values["clocks"] = self._done_clocks(row, [c.value for c in patch.clocks_done])
            lead = values.get("lead", row.lead)
            owners = values.get("owners", row.owners)
            if owners and lead not in owners:
                raise InputError(f"field 'lead': '{lead}' is not one of the owners")
            old = {k: getattr(row, k) for k in values}
            values.update(version=row.version + 1, updated_at=_now())
            done = s.execute(  # the version in WHERE: a concurrent writer makes this match nothing
                update(IncidentRow)
                .where(IncidentRow.id == incident_id, IncidentRow.version == patch.version)
                .values(**values)
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                raise ConflictError(_stale(incident_id, patch.version, None))
            what = ", ".join(sorted(old))
            note = self._clean(patch.note)
            audit.record(
                s,
                incident_id,
                actor,
                f"changed {what}" + (f": {note}" if note else ""),
                {k: change(v, values[k]) for k, v in old.items()},
            )
            s.expire_all()
            _emit(s, incident_id, "incident.updated", f"changed {what}")
            return self._view(s, self._row(s, incident_id))

    def _cleaned(self, changes: dict[str, Any]) -> dict[str, Any]:
        """A patch's values as they are stored: free text redacted."""
        values = dict(changes)
        for name in ("summary", "domain_reason"):
            if name in values:
                values[name] = self._clean(values[name])
        if "title" in values:
            values["title"] = self._clean(values["title"])[:TITLE_CHARS]
        if "owners" in values:
            values["owners"] = {k: self._clean(v) for k, v in values["owners"].items()}
        if "compromised" in values:
            values["compromised"] = self._clean_factors(values["compromised"])
        return values

    def _clean_factors(self, factors: builtins.list[dict[str, Any]]) -> builtins.list[Any]:
        return [{**f, "note": self._clean(f.get("note", ""))} for f in factors]

    def _done_clocks(self, row: IncidentRow, kinds: builtins.list[str]) -> dict[str, Any]:
        clocks = dict(row.clocks)
        for kind in kinds:
            if kind not in clocks:
                raise InputError(f"field 'clocks_done': '{kind}' does not run on this incident")
            clocks[kind] = clocks[kind] or _now().isoformat()
        return clocks

    def link(
        self, incident_id: int, data: LinkIn, actor: str, *, tenant: str | None = None
    ) -> dict[str, Any]:
        """Link two incidents (both the caller's tenant's, both not closed)."""
        if data.to == incident_id:
            raise InputError("field 'to': an incident cannot link to itself")
        try:
            with self.db.begin() as s:
                _open(self._row(s, incident_id, tenant), "a link")
                _open(self._row(s, data.to, tenant), "a link")
                note = self._clean(data.note)
                s.add(
                    LinkRow(
                        from_id=incident_id,
                        to_id=data.to,
                        type=data.type.value,
                        note=note,
                        at=_now(),
                        actor=_fit(actor),
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
                _touch(s, incident_id)
                _touch(s, data.to)
                s.expire_all()
                _emit(s, incident_id, "incident.updated", f"linked: {data.type.value}")
                _emit(s, data.to, "incident.updated", f"linked from #{incident_id}")
                return self._view(s, self._row(s, incident_id))
        except StorageError as exc:  # the unique key: this link exists already
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            raise ConflictError(
                f"incident {incident_id} already links {data.type.value} #{data.to}"
            ) from None

    def check_step(
        self, incident_id: int, data: StepCheck, actor: str, *, tenant: str | None = None
    ) -> dict[str, Any]:
        with self.db.begin() as s:
            row = _open(self._row(s, incident_id, tenant), "a step")
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
                        done_at=_now(),
                        done_by=_fit(actor),
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
                _touch(s, incident_id)
                s.expire_all()
                _emit(s, incident_id, "incident.updated", f"step done: {data.step}")
            return self._view(s, self._row(s, incident_id))

    def add_evidence(
        self, incident_id: int, data: EvidenceIn, actor: str, *, tenant: str | None = None
    ) -> dict[str, Any]:
        """Attach evidence. Answers with ids only (`incident`, `evidence`, the new
        `version`): whoever may add evidence need not be able to read the incident."""
        with self.db.begin() as s:
            _open(self._row(s, incident_id, tenant), "evidence")
            self._room_for_evidence(s, incident_id)
            added = self._attach(s, incident_id, data.kind, data.body)
            audit.record(
                s,
                incident_id,
                actor,
                f"evidence attached: {data.kind}",
                {"evidence": change(None, data.kind)},
            )
            version = _touch(s, incident_id)
            s.expire_all()
            _emit(s, incident_id, "incident.updated", f"evidence attached: {data.kind}")
            return {"incident": incident_id, "evidence": added, "version": version}

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
            incident_id=incident_id, at=_now(), kind=kind, body=stored, redacted=self.redact
        )
        s.add(row)
        s.flush()
        return row.id

    def _clean(self, text: str) -> str:
        return str(redact_value(text)) if self.redact else text

    # -- views -----------------------------------------------------------------
    def _row(self, s: Session, incident_id: int, tenant: str | None = None) -> IncidentRow:
        row = s.get(IncidentRow, incident_id)
        if row is None or (tenant is not None and row.tenant != tenant):
            raise NotFoundError(f"no incident {incident_id}")
        return row

    def _view(self, s: Session, row: IncidentRow) -> dict[str, Any]:
        out = incident_summary(row)
        book = self.playbooks.by_id.get(row.playbook)
        now = _now()
        detected = as_utc(row.detected_at)
        out["clocks"] = [
            clock_view(kind, detected, _parse_time(done), now) for kind, done in row.clocks.items()
        ]
        out["steps"] = _steps(s, row, book, detected, now)
        out["timeline"] = audit.trail(s, row.id)
        out["evidence"] = [
            {"at": as_utc(e.at).isoformat(), "kind": e.kind, "body": e.body, "redacted": e.redacted}
            for e in s.scalars(
                select(EvidenceRow)
                .where(EvidenceRow.incident_id == row.id)
                .order_by(EvidenceRow.id)
            )
        ]
        out["links"] = _links(s, row.id)
        out["sessions"], out["session_count"] = _sessions(s, row.id)
        return out

    def timeline(
        self, incident_id: int, *, tenant: str | None = None
    ) -> builtins.list[dict[str, Any]]:
        """The audit trail: who changed what, from which value to which (only
        `tenant`'s incidents when given, like every other read)."""
        with self.db.read() as s:
            self._row(s, incident_id, tenant)
            return audit.trail(s, incident_id)


def incident_summary(row: IncidentRow) -> dict[str, Any]:
    """An incident's fields as stored (free text redacted), without its timeline."""
    return {
        "id": row.id,
        "tenant": row.tenant,
        "version": row.version,
        "title": row.title,
        "domain": row.domain,
        "domain_reason": row.domain_reason,
        "cause": row.cause,
        "harm_type": row.harm_type,
        "severity": row.severity,
        "status": row.status,
        "summary": row.summary,
        "owasp": row.owasp,
        "atlas": row.atlas,
        "failed_control": row.failed_control,
        "owners": row.owners,
        "lead": row.lead,
        "playbook": row.playbook,
        "compromised": row.compromised,
        "personal_data": row.personal_data,
        "money_moved": row.money_moved,
        "ai_act": row.ai_act,
        "session": row.session,
        "claimed_identity": row.claimed_identity,
        "detected_at": as_utc(row.detected_at).isoformat(),
        "created_at": as_utc(row.created_at).isoformat(),
        "updated_at": as_utc(row.updated_at).isoformat(),
        "created_by": row.created_by,
        "seen": row.seen,
        "evidence_omitted": row.evidence_omitted,
    }


def _created(row: IncidentRow) -> dict[str, Any]:
    """An incident's opening in the audit trail: each main field from nothing."""
    fields = ("title", "domain", "cause", "harm_type", "severity", "status", "lead", "owners")
    return {f: change(None, getattr(row, f)) for f in fields}


def _emit(s: Session, incident_id: int, type: str, what: str, **extra: Any) -> None:
    """The webhook event of a change, in the change's transaction (register/outbox.py):
    the incident's summary as stored (redacted), and what changed."""
    row = s.get(IncidentRow, incident_id)
    if row is None:  # the change's own row: only a bug gets here
        raise StorageError(f"incident {incident_id} vanished inside its transaction")
    body = {"incident": incident_summary(row), "change": what, **extra}
    outbox.enqueue(
        s, type=type, tenant=row.tenant, incident_id=row.id, body=body, occurred_at=_now()
    )


def _sessions(s: Session, incident_id: int) -> tuple[list[str], int]:
    mine = IncidentSessionRow.incident_id == incident_id
    count = s.scalar(select(func.count()).select_from(IncidentSessionRow).where(mine)) or 0
    first = s.scalars(
        select(IncidentSessionRow.session)
        .where(mine)
        .order_by(IncidentSessionRow.id)
        .limit(SESSIONS_SHOWN)
    ).all()
    return list(first), count


def _steps(
    s: Session, row: IncidentRow, book: Playbook | None, detected: datetime, now: datetime
) -> list[dict[str, Any]]:
    if book is None:
        return []
    done = {d.step: d for d in s.scalars(select(StepRow).where(StepRow.incident_id == row.id))}
    out = []
    for step in book.steps:
        due = detected.timestamp() + step.within_hours * 3600
        mark = done.get(step.id)
        state = "done" if mark else "overdue" if now.timestamp() > due else "due"
        out.append(
            {
                "step": step.id,
                "do": step.do,
                "role": step.role.value,
                "owner": row.owners.get(step.role.value),
                "due_at": datetime.fromtimestamp(due, UTC).isoformat(),
                "state": state,
                "done_by": mark.done_by if mark else None,
                "done_at": as_utc(mark.done_at).isoformat() if mark else None,
            }
        )
    return out


def _links(s: Session, incident_id: int) -> list[dict[str, Any]]:
    rows = s.scalars(
        select(LinkRow)
        .where((LinkRow.from_id == incident_id) | (LinkRow.to_id == incident_id))
        .order_by(LinkRow.id)
    )
    return [
        {
            "from": r.from_id,
            "to": r.to_id,
            "type": r.type,
            "note": r.note,
            "at": as_utc(r.at).isoformat(),
            "actor": r.actor,
        }
        for r in rows
    ]


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


def _fit(actor: str) -> str:
    return audit.fit(actor)


def _open(row: IncidentRow, what: str) -> IncidentRow:
    """The incident, if it still takes `what`; a closed one refuses (reopen it first)."""
    if row.status == "closed":
        raise ConflictError(
            f"incident {row.id} is closed: it takes no {what}; reopen it first "
            "(PATCH status) if the case goes on"
        )
    return row


def _touch(s: Session, incident_id: int) -> int:
    """A write to the incident: one version more, updated now (in the database, so two
    writers at once each count). Returns the new version."""
    s.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id)
        .values(version=IncidentRow.version + 1, updated_at=_now())
        .execution_options(synchronize_session=False)
    )
    version = s.scalar(select(IncidentRow.version).where(IncidentRow.id == incident_id))
    return int(version or 0)


def _stale(incident_id: int, sent: int, current: int | None) -> str:
    now = f" (it is at version {current})" if current is not None else ""
    return f"incident {incident_id} changed since version {sent}{now}: read it again and retry"


def _now() -> datetime:
    return datetime.now(UTC)


def _parse_time(value: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(value)) if value else None
