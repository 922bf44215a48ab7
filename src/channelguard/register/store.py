"""The incident register on a Database: create, read, filter, change (with
optimistic concurrency), link, check off playbook steps, attach evidence.

Every change writes a timeline row (who, when, what) in the same transaction
as the change itself, so the record and its history never disagree.
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
from channelguard.register.clocks import clock_view, clocks_for
from channelguard.register.db import Database, as_utc
from channelguard.register.playbooks import Playbook, Playbooks, load_playbooks
from channelguard.register.records import EvidenceIn, IncidentIn, IncidentPatch, LinkIn, StepCheck
from channelguard.register.redact import redact_value
from channelguard.register.tables import ChangeRow, EvidenceRow, IncidentRow, LinkRow, StepRow
from channelguard.register.vocab import Severity

__all__ = ["Filters", "IncidentStore"]

MAX_PAGE = 500


@dataclass(frozen=True, kw_only=True, slots=True)
class Filters:
    domain: str | None = None
    cause: str | None = None
    severity: str | None = None  # this severity or higher
    owner: str | None = None  # the lead role
    status: str | None = None
    since: datetime | None = None


class IncidentStore:
    def __init__(
        self, db: Database, *, playbooks: Playbooks | None = None, redact: bool = True
    ) -> None:
        self.db = db
        self.playbooks = playbooks if playbooks is not None else load_playbooks()
        self.redact = redact

    # -- create and read -------------------------------------------------------
    def create(
        self, data: IncidentIn, actor: str, *, group_key: str | None = None
    ) -> dict[str, Any]:
        with self.db.begin() as s:
            row = self._new_row(data, actor, group_key)
            s.add(row)
            s.flush()
            _log(s, row.id, actor, "created", {"title": row.title, "lead": row.lead})
            return self._view(s, row)

    def _new_row(self, data: IncidentIn, actor: str, group_key: str | None) -> IncidentRow:
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
            version=1,
            title=data.title,
            domain=data.domain.value,
            domain_reason=data.domain_reason,
            cause=data.cause.value,
            harm_type=data.harm_type.value,
            severity=data.severity.value,
            status="open",
            summary=self._clean(data.summary),
            owasp=list(data.owasp),
            atlas=list(data.atlas),
            failed_control=data.failed_control.model_dump(mode="json"),
            owners={k.value: v for k, v in data.owners.items()},
            lead=lead,
            playbook=book.id,
            compromised=[c.model_dump(mode="json") for c in data.compromised],
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
        group_key: str,
        evidence: builtins.list[tuple[str, Any]],
        session: Session | None = None,
    ) -> tuple[int, bool]:
        """File automatically: the incident of `group_key` gets the evidence, or is
        opened with it. Returns (id, opened). Inside the caller's transaction when
        `session` is given, so what triggered the filing and the filing commit together."""
        if session is not None:
            return self._file(session, data, actor, group_key, evidence)
        with self.db.begin() as s:
            return self._file(s, data, actor, group_key, evidence)

    def _file(
        self,
        s: Session,
        data: IncidentIn,
        actor: str,
        group_key: str,
        evidence: builtins.list[tuple[str, Any]],
    ) -> tuple[int, bool]:
        row = s.scalar(select(IncidentRow).where(IncidentRow.group_key == group_key))
        opened = False
        if row is None:
            try:  # a replica filing the same group at once wins the unique key; we update
                with s.begin_nested():
                    row = self._new_row(data, actor, group_key)
                    s.add(row)
                    s.flush()
                    opened = True
            except IntegrityError:
                row = s.scalar(select(IncidentRow).where(IncidentRow.group_key == group_key))
                if row is None:
                    raise
        if opened:
            _log(s, row.id, actor, "opened automatically", {"group": group_key})
        else:
            _log(s, row.id, actor, "seen again: evidence attached", {})
        for kind, body in evidence:
            self._attach(s, row.id, kind, body)
        return row.id, opened

    def get(self, incident_id: int) -> dict[str, Any]:
        with self.db.read() as s:
            return self._view(s, self._row(s, incident_id))

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
            return [_summary(r) for r in rows], total

    def newest(self, limit: int = MAX_PAGE) -> builtins.list[dict[str, Any]]:
        """The newest incidents, each in full (timeline, clocks, evidence): for exports."""
        if not 1 <= limit <= MAX_PAGE:
            raise InputError(f"limit must be 1-{MAX_PAGE}")
        with self.db.read() as s:
            rows = s.scalars(select(IncidentRow).order_by(IncidentRow.id.desc()).limit(limit))
            return [self._view(s, r) for r in rows.all()]

    # -- change ----------------------------------------------------------------
    def update(self, incident_id: int, patch: IncidentPatch, actor: str) -> dict[str, Any]:
        changes = patch.changes()
        with self.db.begin() as s:
            row = self._row(s, incident_id)
            if row.version != patch.version:
                raise ConflictError(_stale(incident_id, patch.version, row.version))
            values = dict(changes)
            if "summary" in values:
                values["summary"] = self._clean(values["summary"])
            if patch.clocks_done:
                values["clocks"] = self._done_clocks(row, [c.value for c in patch.clocks_done])
            lead = values.get("lead", row.lead)
            owners = values.get("owners", row.owners)
            if owners and lead not in owners:
                raise InputError(f"field 'lead': '{lead}' is not one of the owners")
            values.update(version=row.version + 1, updated_at=_now())
            done = s.execute(  # the version in WHERE: a concurrent writer makes this match nothing
                update(IncidentRow)
                .where(IncidentRow.id == incident_id, IncidentRow.version == patch.version)
                .values(**values)
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                raise ConflictError(_stale(incident_id, patch.version, None))
            what = ", ".join(sorted(k for k in values if k not in ("version", "updated_at")))
            _log(
                s,
                incident_id,
                actor,
                f"changed {what}" + (f": {patch.note}" if patch.note else ""),
                {k: v for k, v in values.items() if k != "updated_at"},
            )
            s.expire_all()
            return self._view(s, self._row(s, incident_id))

    def _done_clocks(self, row: IncidentRow, kinds: builtins.list[str]) -> dict[str, Any]:
        clocks = dict(row.clocks)
        for kind in kinds:
            if kind not in clocks:
                raise InputError(f"field 'clocks_done': '{kind}' does not run on this incident")
            clocks[kind] = clocks[kind] or _now().isoformat()
        return clocks

    def link(self, incident_id: int, data: LinkIn, actor: str) -> dict[str, Any]:
        if data.to == incident_id:
            raise InputError("field 'to': an incident cannot link to itself")
        try:
            with self.db.begin() as s:
                self._row(s, incident_id)
                self._row(s, data.to)
                s.add(
                    LinkRow(
                        from_id=incident_id,
                        to_id=data.to,
                        type=data.type.value,
                        note=data.note,
                        at=_now(),
                        actor=_fit(actor),
                    )
                )
                _log(s, incident_id, actor, f"linked: {data.type.value} #{data.to}", {})
                _log(s, data.to, actor, f"linked from #{incident_id}: {data.type.value}", {})
                return self._view(s, self._row(s, incident_id))
        except StorageError as exc:  # the unique key: this link exists already
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            raise ConflictError(
                f"incident {incident_id} already links {data.type.value} #{data.to}"
            ) from None

    def check_step(self, incident_id: int, data: StepCheck, actor: str) -> dict[str, Any]:
        with self.db.begin() as s:
            row = self._row(s, incident_id)
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
                s.add(
                    StepRow(
                        incident_id=incident_id,
                        step=data.step,
                        done_at=_now(),
                        done_by=_fit(actor),
                        note=data.note,
                    )
                )
                _log(s, incident_id, actor, f"step done: {data.step}", {"note": data.note})
            return self._view(s, row)

    def add_evidence(self, incident_id: int, data: EvidenceIn, actor: str) -> dict[str, Any]:
        with self.db.begin() as s:
            row = self._row(s, incident_id)
            self._attach(s, incident_id, data.kind, data.body)
            _log(s, incident_id, actor, f"evidence attached: {data.kind}", {})
            return self._view(s, row)

    def _attach(self, s: Session, incident_id: int, kind: str, body: dict[str, Any]) -> None:
        stored = redact_value(body) if self.redact else body
        s.add(
            EvidenceRow(
                incident_id=incident_id, at=_now(), kind=kind, body=stored, redacted=self.redact
            )
        )

    def _clean(self, text: str) -> str:
        return str(redact_value(text)) if self.redact else text

    # -- views -----------------------------------------------------------------
    def _row(self, s: Session, incident_id: int) -> IncidentRow:
        row = s.get(IncidentRow, incident_id)
        if row is None:
            raise NotFoundError(f"no incident {incident_id}")
        return row

    def _view(self, s: Session, row: IncidentRow) -> dict[str, Any]:
        out = _summary(row)
        book = self.playbooks.by_id.get(row.playbook)
        now = _now()
        detected = as_utc(row.detected_at)
        out["clocks"] = [
            clock_view(kind, detected, _parse_time(done), now) for kind, done in row.clocks.items()
        ]
        out["steps"] = _steps(s, row, book, detected, now)
        out["timeline"] = [
            {"at": as_utc(c.at).isoformat(), "actor": c.actor, "what": c.what}
            for c in s.scalars(
                select(ChangeRow).where(ChangeRow.incident_id == row.id).order_by(ChangeRow.id)
            )
        ]
        out["evidence"] = [
            {"at": as_utc(e.at).isoformat(), "kind": e.kind, "body": e.body, "redacted": e.redacted}
            for e in s.scalars(
                select(EvidenceRow)
                .where(EvidenceRow.incident_id == row.id)
                .order_by(EvidenceRow.id)
            )
        ]
        out["links"] = _links(s, row.id)
        return out


def _summary(row: IncidentRow) -> dict[str, Any]:
    return {
        "id": row.id,
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
    }


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


ACTOR_CHARS = 200  # the actor columns' size: PostgreSQL refuses more, SQLite keeps it


def _fit(actor: str) -> str:
    """Who made a change, as it is recorded: a key's "key:PREFIX (LABEL)" with a long
    label, or a long --actor, ran past the column on PostgreSQL (503)."""
    return actor[:ACTOR_CHARS]


def _log(s: Session, incident_id: int, actor: str, what: str, detail: dict[str, Any]) -> None:
    s.add(
        ChangeRow(
            incident_id=incident_id,
            at=_now(),
            actor=_fit(actor),
            what=what,
            detail=_jsonable(detail),
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _stale(incident_id: int, sent: int, current: int | None) -> str:
    now = f" (it is at version {current})" if current is not None else ""
    return f"incident {incident_id} changed since version {sent}{now}: read it again and retry"


def _now() -> datetime:
    return datetime.now(UTC)


def _parse_time(value: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(value)) if value else None
