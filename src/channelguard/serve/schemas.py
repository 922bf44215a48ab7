"""The shapes the service answers with, so the OpenAPI document describes every
response, not just "an object". An incident, its timeline and an evidence
receipt are the register's own typed views (register/views.py): a field is
declared there once; the envelopes (pages, the timeline answer) are here."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from channelguard.register.views import (
    EvidenceAdded,
    IncidentSummary,
    IncidentView,
    TimelineEntry,
)

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

IncidentOut = IncidentView  # the API's name for an incident in full


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
    near: Finding | None = None  # not flagged: the finding behind a score of 0.3 or more


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


class TimelineOut(_Out):
    incident: int
    timeline: list[TimelineEntry]


class IncidentPage(_Out):
    items: list[IncidentSummary]
    total: int
    limit: int
    offset: int


class PlaybookList(_Out):
    playbooks: list[dict[str, Any]]
