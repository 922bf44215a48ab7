"""The incident as it is read: typed, frozen views built from the rows, in this
one place. The API answers with these models (serve/schemas.py reuses them), the
CLI prints them, the exports and integrations read them, so a field is declared
once.

    view = incident_view(s, row, playbooks, now)   # IncidentView
    view.title, view.steps[0].state, view.links[0].from_
    view.to_json()                                 # what the API answers
    view["links"][0]["from"]                       # the same, read by JSON name

Times are ISO 8601 strings in UTC (`+00:00`), as the API has always answered.
Reading a field by its JSON name (`view["from"]`) serves templates and code
written against the JSON; Python code reads attributes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from channelguard.register.clocks import CLOCKS, ClockKind, clock_state
from channelguard.register.db import as_utc
from channelguard.register.playbooks import Playbook, Playbooks
from channelguard.register.tables import (
    ChangeRow,
    EvidenceRow,
    IncidentRow,
    IncidentSessionRow,
    LinkRow,
    StepRow,
)

__all__ = [
    "SESSIONS_SHOWN",
    "ClockView",
    "EvidenceAdded",
    "EvidenceView",
    "IncidentSummary",
    "IncidentView",
    "LinkView",
    "StepView",
    "TimelineEntry",
    "incident_view",
    "summary_of",
    "timeline_of",
]

SESSIONS_SHOWN = 50  # an incident's view lists this many of the sessions it groups


def _more_may_come(schema: dict[str, Any]) -> None:
    """The API's promise to its clients: these keys are there, more may come."""
    schema["additionalProperties"] = True


class View(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, json_schema_extra=_more_may_come
    )

    def to_json(self) -> dict[str, Any]:
        """The view as the API answers it (JSON names, JSON values)."""
        return self.model_dump(mode="json", by_alias=True)

    def __getitem__(self, name: str) -> Any:
        """A field by its JSON name (`link["from"]`)."""
        for field, info in type(self).model_fields.items():
            if (info.alias or field) == name:
                return getattr(self, field)
        raise KeyError(name)


class ClockView(View):
    """A reporting or recall clock: when it started, when it is due, its state."""

    kind: str
    label: str
    basis: str
    started_at: str
    due_at: str
    done_at: str | None
    state: str  # running, overdue, met or late
    hours_left: float | None


class StepView(View):
    """A playbook step on this incident: whose, due when, done by whom."""

    step: str
    do: str
    role: str
    owner: str | None
    due_at: str
    state: str  # due, overdue or done
    done_by: str | None
    done_at: str | None


class TimelineEntry(View):
    at: str
    actor: str
    what: str
    changes: dict[str, Any]  # field -> {"old", "new"} ("new" alone on rows from before)
    caused_by: str | None  # automatic filing: the key whose events caused it


class EvidenceView(View):
    at: str
    kind: str
    body: dict[str, Any]
    redacted: bool


class LinkView(View):
    from_: int = Field(alias="from")
    to: int
    type: str
    note: str
    at: str
    actor: str


class IncidentSummary(View):
    id: int
    tenant: str
    version: int
    title: str
    domain: str
    domain_reason: str
    cause: str
    harm_type: str
    severity: str
    status: str
    summary: str
    owasp: list[str]
    atlas: list[str]
    failed_control: dict[str, str | None]
    owners: dict[str, str]
    lead: str
    playbook: str
    compromised: list[dict[str, Any]]
    personal_data: bool
    money_moved: bool
    ai_act: str
    session: str | None
    claimed_identity: str | None
    detected_at: str
    created_at: str
    updated_at: str
    created_by: str
    seen: int  # automatic filing: how many filings this incident took
    evidence_omitted: int  # automatic evidence counted, not kept (past the cap)


class IncidentView(IncidentSummary):
    """An incident in full: its clocks, steps, timeline, evidence, links, sessions."""

    clocks: list[ClockView]
    steps: list[StepView]
    timeline: list[TimelineEntry]
    evidence: list[EvidenceView]
    links: list[LinkView]
    sessions: list[str]  # the first sessions this incident groups
    session_count: int


class EvidenceAdded(View):
    """What an evidence write answers: ids, never the incident's content."""

    incident: int
    evidence: int
    version: int


def summary_of(row: IncidentRow) -> IncidentSummary:
    return IncidentSummary.model_validate(_summary_fields(row))


def _summary_fields(row: IncidentRow) -> dict[str, Any]:
    times = {"detected_at", "created_at", "updated_at"}
    return {
        name: _iso(getattr(row, name)) if name in times else getattr(row, name)
        for name in IncidentSummary.model_fields
    }


def incident_view(
    s: Session, row: IncidentRow, playbooks: Playbooks, now: datetime
) -> IncidentView:
    detected = as_utc(row.detected_at)
    sessions, count = _sessions(s, row.id)
    return IncidentView.model_validate(
        {
            **_summary_fields(row),
            "clocks": [
                clock_of(kind, detected, _parse_time(done), now)
                for kind, done in row.clocks.items()
            ],
            "steps": _steps(s, row, playbooks.by_id.get(row.playbook), detected, now),
            "timeline": timeline_of(s, row.id),
            "evidence": _evidence(s, row.id),
            "links": _links(s, row.id),
            "sessions": sessions,
            "session_count": count,
        }
    )


def clock_of(kind: str, started: datetime, done: datetime | None, now: datetime) -> ClockView:
    rule = CLOCKS[ClockKind(kind)]
    due = started + timedelta(hours=rule.hours)
    return ClockView(
        kind=rule.kind.value,
        label=rule.label,
        basis=rule.basis,
        started_at=started.isoformat(),
        due_at=due.isoformat(),
        done_at=done.isoformat() if done else None,
        state=clock_state(due, done, now),
        hours_left=round((due - now).total_seconds() / 3600, 1) if done is None else None,
    )


def timeline_of(s: Session, incident_id: int) -> list[TimelineEntry]:
    rows = s.scalars(
        select(ChangeRow).where(ChangeRow.incident_id == incident_id).order_by(ChangeRow.id)
    )
    return [_entry(c) for c in rows]


def _entry(c: ChangeRow) -> TimelineEntry:
    detail = c.detail if isinstance(c.detail, dict) else {}
    if "changes" in detail:
        changes = detail["changes"]
    else:  # a row from before old values were kept: its detail is the new values
        changes = {k: {"new": v} for k, v in detail.items()}
    return TimelineEntry(
        at=_iso(c.at),
        actor=c.actor,
        what=c.what,
        changes=changes,
        caused_by=detail.get("caused_by"),
    )


def _steps(
    s: Session, row: IncidentRow, book: Playbook | None, detected: datetime, now: datetime
) -> list[StepView]:
    if book is None:
        return []
    done = {d.step: d for d in s.scalars(select(StepRow).where(StepRow.incident_id == row.id))}
    out = []
    for step in book.steps:
        due = detected.timestamp() + step.within_hours * 3600
        mark = done.get(step.id)
        state = "done" if mark else "overdue" if now.timestamp() > due else "due"
        out.append(
            StepView(
                step=step.id,
                do=step.do,
                role=step.role.value,
                owner=row.owners.get(step.role.value),
                due_at=datetime.fromtimestamp(due, UTC).isoformat(),
                state=state,
                done_by=mark.done_by if mark else None,
                done_at=_iso(mark.done_at) if mark else None,
            )
        )
    return out


def _evidence(s: Session, incident_id: int) -> list[EvidenceView]:
    rows = s.scalars(
        select(EvidenceRow).where(EvidenceRow.incident_id == incident_id).order_by(EvidenceRow.id)
    )
    return [
        EvidenceView(at=_iso(e.at), kind=e.kind, body=e.body, redacted=e.redacted) for e in rows
    ]


def _links(s: Session, incident_id: int) -> list[LinkView]:
    rows = s.scalars(
        select(LinkRow)
        .where((LinkRow.from_id == incident_id) | (LinkRow.to_id == incident_id))
        .order_by(LinkRow.id)
    )
    return [
        LinkView.model_validate(
            {"from": r.from_id, "to": r.to_id, "type": r.type, "note": r.note}
            | {"at": _iso(r.at), "actor": r.actor}
        )
        for r in rows
    ]


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


def _iso(value: datetime) -> str:
    return as_utc(value).isoformat()


def _parse_time(value: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(value)) if value else None
