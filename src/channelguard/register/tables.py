"""The register's tables (SQLAlchemy 2). The schema is created and changed only
by the Alembic migrations beside this module; a test checks they agree."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from channelguard.register.db import UtcDateTime

__all__ = [
    "DEFAULT_TENANT",
    "ApiKeyRow",
    "Base",
    "ChangeRow",
    "DecisionRow",
    "EventRow",
    "EvidenceRow",
    "FeedbackRow",
    "IdentityRow",
    "IncidentRow",
    "IncidentSessionRow",
    "LinkRow",
    "PlanMarkRow",
    "SavedReviewRow",
    "SessionRow",
    "StepRow",
    "WebhookDeliveryRow",
    "WebhookEventRow",
]

When = UtcDateTime()  # the instant in UTC on every database
DEFAULT_TENANT = "default"  # a single-tenant install; every row made before tenants


def _tenant() -> Mapped[str]:
    """The tenant (integrator or business unit) a row belongs to (migration 0004)."""
    return mapped_column(String(64), index=True, default=DEFAULT_TENANT)


class Base(DeclarativeBase):
    pass


class IncidentRow(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = _tenant()
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
    # automatic filing: the group ("TENANT|TECHNIQUE") whose filings this incident takes
    # while its window runs; once over, the key is retired as "KEY#ID" (grouping.py)
    group_key: Mapped[str | None] = mapped_column(String(500), unique=True)
    detected_at: Mapped[datetime] = mapped_column(When)
    created_at: Mapped[datetime] = mapped_column(When, index=True)
    updated_at: Mapped[datetime] = mapped_column(When)
    created_by: Mapped[str] = mapped_column(String(200))
    # flood control (grouping.py): filings counted, automatic evidence counted not kept
    seen: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    evidence_omitted: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


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
    # filed automatically: within the cap, the oldest and newest kept (grouping.py);
    # evidence a person attached is never rotated out
    automatic: Mapped[bool] = mapped_column(default=False, server_default=false())


class IncidentSessionRow(Base):
    """Every session an incident groups: retention keeps their events, decisions and state."""

    __tablename__ = "incident_sessions"
    __table_args__ = (UniqueConstraint("incident_id", "session", name="uq_incident_session"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    session: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime] = mapped_column(When)


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
    # None: a global admin key (every tenant's incidents); otherwise its tenant
    tenant: Mapped[str | None] = mapped_column(String(64), nullable=True)


class SessionRow(Base):
    """A decision session's state, so that any replica can take its next event.
    A session is the tenant's and the client's id together (migration 0010): two
    tenants using one id have two sessions that never meet."""

    __tablename__ = "sessions"
    __table_args__ = (PrimaryKeyConstraint("tenant", "id"),)

    id: Mapped[str] = mapped_column(String(200))  # the client's session id
    tenant: Mapped[str] = _tenant()  # the tenant whose key sent its first batch
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    events: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(When, index=True)


class IdentityRow(Base):
    """What the Decider remembers about a claimed identity across its sessions
    (evidence that fades by the hour, cooling-off periods), shared by replicas.
    The id is "TENANT/identity:VALUE" or "TENANT/session:ID": a tenant's claimed
    identities and its sessions' own memory never share a key."""

    __tablename__ = "identities"

    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(When, index=True)


class EventRow(Base):
    """Every event the service acknowledged, personal data redacted by default."""

    __tablename__ = "session_events"
    __table_args__ = (UniqueConstraint("tenant", "session", "seq", name="uq_event_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = _tenant()
    session: Mapped[str] = mapped_column(String(200), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(When)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class DecisionRow(Base):
    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_session_seq", "session", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = _tenant()
    session: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(16), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(When)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class FeedbackRow(Base):
    """A finding marked wrong (false_positive), right (confirmed) or a miss, by a
    tenant's deployment (register/feedback.py): what `guard calibrate` fits from."""

    __tablename__ = "guard_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = _tenant()
    created_at: Mapped[datetime] = mapped_column(When, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(16), index=True)
    detector: Mapped[str] = mapped_column(String(64), index=True)
    rule: Mapped[str | None] = mapped_column(String(200), nullable=True)  # rules detector
    score: Mapped[float | None] = mapped_column(Float, nullable=True)  # None: a miss
    role: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(64), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    ref: Mapped[str | None] = mapped_column(String(220), nullable=True)  # event:ID and so on
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # only if the caller sent it


class WebhookEventRow(Base):
    """The outbox (register/outbox.py): an incident event, written in the transaction
    of the change that caused it; `fanned_out` once a delivery row per subscribed
    endpoint exists. `dedup`: a once-only event's key (an overdue clock)."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(32))
    tenant: Mapped[str] = _tenant()
    incident_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(When)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedup: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    fanned_out: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)


class WebhookDeliveryRow(Base):
    """One event to one endpoint: pending (due at `next_at`), delivered or dead."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("event", "endpoint", name="uq_webhook_delivery"),
        Index("ix_webhook_deliveries_due", "state", "next_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event: Mapped[int] = mapped_column(ForeignKey("webhook_events.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime] = mapped_column(When)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[datetime | None] = mapped_column(When, nullable=True)


class PlanMarkRow(Base):
    """A hardening-plan item marked done on the dashboard (register/plan_marks.py),
    per tenant and channel model: by whom and when (migration 0008)."""

    __tablename__ = "plan_marks"
    __table_args__ = (UniqueConstraint("tenant", "model", "item", name="uq_plan_mark"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(300))  # the model's organization and version
    item: Mapped[str] = mapped_column(String(500))  # the plan item: control and target
    done_at: Mapped[datetime] = mapped_column(When)
    done_by: Mapped[str] = mapped_column(String(200))


class SavedReviewRow(Base):
    """A review stored by `review --save` (register/reviews.py): posture over time."""

    __tablename__ = "saved_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant: Mapped[str] = _tenant()
    created_at: Mapped[datetime] = mapped_column(When, index=True)
    model_name: Mapped[str] = mapped_column(String(200), index=True)
    model_digest: Mapped[str] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    review: Mapped[dict[str, Any]] = mapped_column(JSON)
