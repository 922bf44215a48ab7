"""Flood control for automatic filing: what makes many filings one incident, how
much evidence one incident keeps, and how many incidents filing may open.

- A `GroupKey` (the tenant and the technique, "TENANT|TECHNIQUE") names the
  group: one tenant's filings never join another's incident. Its incident takes
  every filing for `window_seconds` after it opened; after that, or once it is
  resolved or closed, the next filing opens a new incident (the old one's key
  is retired, so it keeps what it has).
- One incident keeps at most `evidence_cap` automatic evidence rows: the oldest
  half and the newest half; those in between are counted (`evidence_omitted`),
  not stored (their decisions stay in the decisions table, kept by retention
  while the incident links their session). `seen` counts every filing.
- Past `incidents_per_hour` automatically filed incidents of one tenant, a
  filing that would open another is grouped into that tenant's alert incident
  instead (one tenant's flood never holds back another's filing).

Every session an incident groups is linked (incident_sessions): retention keeps
those sessions' events and decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from channelguard.errors import InputError
from channelguard.register.db import as_utc
from channelguard.register.records import IncidentIn
from channelguard.register.tables import (
    DEFAULT_TENANT,
    EvidenceRow,
    IncidentRow,
    IncidentSessionRow,
)
from channelguard.register.vocab import Severity

__all__ = [
    "ALERT_TECHNIQUE",
    "FloodLimits",
    "GroupKey",
    "alert_incident",
    "attach_capped",
    "current",
    "link_session",
    "over_rate",
]

KEY_CHARS = 400  # the group_key column holds 500: room for a retired key's suffix
ALERT_TECHNIQUE = "alert:incident-rate"
CLOSED = ("resolved", "closed")


@dataclass(frozen=True, kw_only=True, slots=True)
class GroupKey:
    """What makes two automatic filings one incident (within a window): the same
    tenant and the same technique."""

    technique: str
    tenant: str = DEFAULT_TENANT

    def text(self) -> str:
        """The stored form, "TENANT|TECHNIQUE" (migration 0004 put every key stored
        before tenants under "default|")."""
        return f"{self.tenant}|{self.technique}"[:KEY_CHARS]

    def alert(self) -> GroupKey:
        """The key of the alert incident filed when the rate is exceeded."""
        return replace(self, technique=ALERT_TECHNIQUE)

    @property
    def is_alert(self) -> bool:
        return self.technique == ALERT_TECHNIQUE


@dataclass(frozen=True, kw_only=True, slots=True)
class FloodLimits:
    window_seconds: float = 3600.0
    evidence_cap: int = 50
    incidents_per_hour: int = 20

    def __post_init__(self) -> None:
        if not self.window_seconds > 0:
            raise InputError(f"window_seconds: {self.window_seconds!r} is not above 0")
        if self.evidence_cap < 2:
            raise InputError(
                f"evidence_cap: {self.evidence_cap!r} is under 2 (the oldest and the newest)"
            )
        if self.incidents_per_hour < 1:
            raise InputError(f"incidents_per_hour: {self.incidents_per_hour!r} is under 1")


def alert_incident(data: IncidentIn, limits: FloodLimits) -> IncidentIn:
    """The incident filed instead of more: critical, one per window, the filings it
    held back attached as notes."""
    return data.model_copy(
        update={
            "title": (
                f"Incident rate exceeded: over {limits.incidents_per_hour} incidents filed "
                "automatically in an hour; further ones are grouped here"
            ),
            "severity": Severity.CRITICAL,
            "summary": (
                "Automatic filing reached its hourly rate (filing_max_incidents_per_hour). "
                "Each filing that would have opened an incident is attached here as a note "
                "with its decision: look for a campaign, then raise the rate if it is normal."
            ),
        }
    )


def current(s: Session, key: str, limits: FloodLimits, now: datetime) -> IncidentRow | None:
    """The incident taking this group's filings now, or None: one whose window is
    over, or that is resolved or closed, has its key retired and is left as it is."""
    row = s.scalar(select(IncidentRow).where(IncidentRow.group_key == key))
    if row is None:
        return None
    ends = as_utc(row.created_at) + timedelta(seconds=limits.window_seconds)
    if now < ends and row.status not in CLOSED:
        return row
    s.execute(  # a replica retiring it at once matches nothing here: the key is free either way
        update(IncidentRow)
        .where(IncidentRow.id == row.id, IncidentRow.group_key == key)
        .values(group_key=f"{key}#{row.id}")
        .execution_options(synchronize_session=False)
    )
    s.expire(row)
    return None


def over_rate(s: Session, limits: FloodLimits, now: datetime, tenant: str) -> bool:
    """True when automatic filing opened `incidents_per_hour` incidents of `tenant`
    in the last hour (another tenant's flood does not count)."""
    opened = s.scalar(
        select(func.count())
        .select_from(IncidentRow)
        .where(
            IncidentRow.tenant == tenant,
            IncidentRow.group_key.is_not(None),
            IncidentRow.created_at >= now - timedelta(hours=1),
        )
    )
    return (opened or 0) >= limits.incidents_per_hour


def link_session(s: Session, incident_id: int, session: str, now: datetime) -> None:
    """Record that the incident groups this session (once)."""
    dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
    s.execute(
        dialect.insert(IncidentSessionRow)
        .values(incident_id=incident_id, session=session[:200], at=now)
        .on_conflict_do_nothing(index_elements=["incident_id", "session"])
    )


def attach_capped(s: Session, row: IncidentRow, evidence: EvidenceRow, cap: int) -> bool:
    """Store automatic evidence within the cap: past it, the oldest of the newest
    half makes room and is counted. True when something was counted, not kept."""
    mine = (EvidenceRow.incident_id == row.id, EvidenceRow.automatic.is_(True))
    held = s.scalar(select(func.count()).select_from(EvidenceRow).where(*mine)) or 0
    dropped = False
    if held >= cap:
        oldest_new = s.scalar(
            select(EvidenceRow.id).where(*mine).order_by(EvidenceRow.id).offset(cap // 2).limit(1)
        )
        s.execute(
            delete(EvidenceRow)
            .where(EvidenceRow.id == oldest_new)
            .execution_options(synchronize_session=False)
        )
        s.execute(
            update(IncidentRow)
            .where(IncidentRow.id == row.id)
            .values(evidence_omitted=IncidentRow.evidence_omitted + 1)
            .execution_options(synchronize_session=False)
        )
        dropped = True
    s.add(evidence)
    s.flush()
    return dropped
