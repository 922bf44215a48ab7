"""The shapes the service answers with, so the OpenAPI document describes every
response, not just "an object" (the register's views are plain dicts; these
models are their contract, and FastAPI checks each response against them)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = [
    "BatchOut",
    "EvidenceAdded",
    "Health",
    "IncidentOut",
    "IncidentPage",
    "IncidentSummary",
    "PlaybookList",
    "ScanOut",
    "TimelineOut",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")  # more keys may come; these are promised


class Health(_Out):
    status: str
    version: str
    policy: str


class Finding(_Out):
    detector: str
    domain: str
    category: str
    score: float
    span: list[int] | None = None
    evidence: str
    atlas: str | None = None
    rule: str | None = None


class ScanResultOut(_Out):
    flagged: bool
    score: float
    findings: list[Finding]
    id: str | None = None


class ScanOut(_Out):
    results: list[ScanResultOut]


class DecisionOut(_Out):
    session: str
    action: str
    decision: str
    required: list[str]
    risk: float
    reasons: list[str]
    message: str
    rule: str
    findings: list[dict[str, Any]]
    policy: str


class BatchOut(_Out):
    session: str
    accepted: int
    decisions: list[DecisionOut]
    errors: list[dict[str, Any]]
    incidents: list[int]


class Clock(_Out):
    kind: str
    label: str
    basis: str
    started_at: str
    due_at: str
    done_at: str | None
    state: str
    hours_left: float | None


class Step(_Out):
    step: str
    do: str
    role: str
    owner: str | None
    due_at: str
    state: str
    done_by: str | None
    done_at: str | None


class Change(_Out):
    at: str
    actor: str
    what: str
    changes: dict[str, Any]  # field -> {"old", "new"} ("new" alone on rows from before)
    caused_by: str | None  # automatic filing: the key whose events caused it


class TimelineOut(_Out):
    incident: int
    timeline: list[Change]


class EvidenceOut(_Out):
    at: str
    kind: str
    body: dict[str, Any]
    redacted: bool


class IncidentSummary(_Out):
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


class IncidentOut(IncidentSummary):
    clocks: list[Clock]
    steps: list[Step]
    timeline: list[Change]
    evidence: list[EvidenceOut]
    links: list[dict[str, Any]]  # {"from", "to", "type", "note", "at", "actor"}
    sessions: list[str]  # the first sessions this incident groups
    session_count: int


class EvidenceAdded(_Out):
    """What an evidence write answers: ids, never the incident's content."""

    incident: int
    evidence: int
    version: int


class IncidentPage(_Out):
    items: list[IncidentSummary]
    total: int
    limit: int
    offset: int


class PlaybookList(_Out):
    playbooks: list[dict[str, Any]]
