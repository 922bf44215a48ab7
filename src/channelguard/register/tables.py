"""The register's tables (SQLAlchemy 2). The schema is created and changed only
by the Alembic migrations beside this module; a test checks they agree."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from channelguard.register.db import UtcDateTime

__all__ = [
    "ApiKeyRow",
    "Base",
    "ChangeRow",
    "DecisionRow",
    "EventRow",
    "EvidenceRow",
    "IdentityRow",
    "IncidentRow",
    "LinkRow",
    "SessionRow",
    "StepRow",
]

When = UtcDateTime()  # the instant in UTC on every database


class Base(DeclarativeBase):
    pass


class IncidentRow(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    title: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str] = mapped_column(String(16), index=True)
    domain_reason: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str] = mapped_column(String(16), index=True)
    harm_type: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    owasp: Mapped[list[Any]] = mapped_column(JSON)
    atlas: Mapped[list[Any]] = mapped_column(JSON)
    failed_control: Mapped[dict[str, Any]] = mapped_column(JSON)
    owners: Mapped[dict[str, Any]] = mapped_column(JSON)
    lead: Mapped[str] = mapped_column(String(32), index=True)
    playbook: Mapped[str] = mapped_column(String(200))
    compromised: Mapped[list[Any]] = mapped_column(JSON)
    clocks: Mapped[dict[str, Any]] = mapped_column(JSON)  # kind -> done_at (ISO) or None
    personal_data: Mapped[bool] = mapped_column(default=False)
    money_moved: Mapped[bool] = mapped_column(default=False)
    ai_act: Mapped[str] = mapped_column(String(16), default="none")
    session: Mapped[str | None] = mapped_column(String(200), index=True)
    claimed_identity: Mapped[str | None] = mapped_column(String(200))
    # automatic filing: one attack (session or identity, technique) is one incident
    group_key: Mapped[str | None] = mapped_column(String(500), unique=True)
    detected_at: Mapped[datetime] = mapped_column(When)
    created_at: Mapped[datetime] = mapped_column(When, index=True)
    updated_at: Mapped[datetime] = mapped_column(When)
    created_by: Mapped[str] = mapped_column(String(200))


class ChangeRow(Base):
    """The timeline: every change to an incident, who made it and when."""

    __tablename__ = "incident_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime] = mapped_column(When)
    actor: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class EvidenceRow(Base):
    __tablename__ = "incident_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime] = mapped_column(When)
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    redacted: Mapped[bool] = mapped_column(default=True)


class LinkRow(Base):
    __tablename__ = "incident_links"
    __table_args__ = (UniqueConstraint("from_id", "to_id", "type", name="uq_link"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    to_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(When)
    actor: Mapped[str] = mapped_column(String(200))


class StepRow(Base):
    """A playbook step checked off: by whom and when."""

    __tablename__ = "incident_steps"
    __table_args__ = (UniqueConstraint("incident_id", "step", name="uq_step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    step: Mapped[str] = mapped_column(String(200))
    done_at: Mapped[datetime] = mapped_column(When)
    done_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)  # shown in lists, not secret
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the key
    scopes: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(When)
    revoked_at: Mapped[datetime | None] = mapped_column(When, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(When, nullable=True)  # None: never


class SessionRow(Base):
    """A decision session's state, so that any replica can take its next event."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    events: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(When, index=True)


class IdentityRow(Base):
    """What the Decider remembers about a claimed identity across its sessions
    (evidence that fades by the hour, cooling-off periods), shared by replicas."""

    __tablename__ = "identities"

    id: Mapped[str] = mapped_column(String(220), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(When, index=True)


class EventRow(Base):
    """Every event the service acknowledged, personal data redacted by default."""

    __tablename__ = "session_events"
    __table_args__ = (UniqueConstraint("session", "seq", name="uq_event_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session: Mapped[str] = mapped_column(String(200), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(When)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class DecisionRow(Base):
    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_session_seq", "session", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(16), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(When)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
