"""The incident record at the boundary: what a user, the CLI or the API may send
(pydantic, unknown keys rejected, every field checked) before it is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from channelguard.ids import id_problem
from channelguard.lines import scrub
from channelguard.register.clocks import ClockKind
from channelguard.register.db import ClaimedInstant, as_utc
from channelguard.register.vocab import (
    Cause,
    HarmType,
    IncidentDomain,
    LinkType,
    OwnerRole,
    Severity,
    Status,
    check_atlas,
    check_owasp,
)

__all__ = [
    "CompromisedFactor",
    "EvidenceIn",
    "FailedControl",
    "IncidentIn",
    "IncidentPatch",
    "LinkIn",
    "StepCheck",
]

Name = Annotated[str, Field(min_length=1, max_length=200)]


def _session_id(value: str) -> str:
    """A session id names a session (retention holds it, feedback finds it): held to
    the identifier rule the events route holds it to (ids.py)."""
    problem = id_problem(value)
    if problem is not None:
        raise ValueError(f"session id: {problem}")
    return value


SessionName = Annotated[str, AfterValidator(_session_id)]
Owasp = Annotated[str, AfterValidator(check_owasp)]
Atlas = Annotated[str, AfterValidator(check_atlas)]
AiAct = Literal["none", "serious", "widespread", "death"]


# ids and versions live in INTEGER columns: PostgreSQL refuses anything larger (a
# 503 from the database) where SQLite takes it, so the API refuses it first (422)
MAX_ROW_ID = 2**31 - 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FailedControl(_Strict):
    """Where the channel model failed: the channel, action, path and factor."""

    channel: Name | None = None
    action: Name | None = None
    path: Name | None = None
    factor: Name | None = None


class CompromisedFactor(_Strict):
    """A factor an attacker can now obtain cheaply because of this incident (a leak
    of account details or one-time codes): `review --incidents` lowers its cost."""

    factor: Name
    scope: Literal["all", "some"] = "some"  # all customers, or some of them
    attacker_cost_usd: float = Field(default=1.0, ge=0, le=1e15)
    note: str = Field(default="", max_length=2000)


class IncidentIn(_Strict):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    domain: IncidentDomain
    domain_reason: str = Field(default="", max_length=2000)
    cause: Cause
    harm_type: HarmType
    severity: Severity
    summary: str = Field(default="", max_length=20_000)
    owasp: list[Owasp] = Field(default_factory=list, max_length=20)
    atlas: list[Atlas] = Field(default_factory=list, max_length=20)
    failed_control: FailedControl = Field(default_factory=FailedControl)
    owners: dict[OwnerRole, Name] = Field(default_factory=dict)
    lead: OwnerRole | None = None  # default: the playbook's lead
    playbook: Name | None = None  # default: the playbook for the harm type
    compromised: list[CompromisedFactor] = Field(default_factory=list, max_length=100)
    personal_data: bool = False  # personal data involved: the GDPR 72-hour clock runs
    money_moved: bool = False  # a payment left: the wire-recall clock runs
    ai_act: AiAct = "none"  # an EU AI Act serious incident, and which kind
    detected_at: ClaimedInstant | None = None
    session: SessionName | None = None
    claimed_identity: Name | None = None

    @model_validator(mode="after")
    def _domain_needs_reason(self) -> IncidentIn:
        if self.domain is IncidentDomain.BOTH and not self.domain_reason:
            raise ValueError("domain 'both' needs a domain_reason: how safety and security meet")
        if self.lead is not None and self.owners and self.lead not in self.owners:
            raise ValueError(f"lead '{self.lead.value}' is not one of the owners")
        return self

    def detected(self) -> datetime:
        return as_utc(self.detected_at or datetime.now(UTC))


class IncidentPatch(_Strict):
    """A change to an incident; `version` is the version it was read at (a stale
    one is refused: optimistic concurrency)."""

    version: int = Field(ge=1, le=MAX_ROW_ID)
    title: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    status: Status | None = None
    severity: Severity | None = None
    domain: IncidentDomain | None = None
    domain_reason: str | None = Field(default=None, max_length=2000)
    cause: Cause | None = None
    summary: str | None = Field(default=None, max_length=20_000)
    owasp: list[Owasp] | None = Field(default=None, max_length=20)
    atlas: list[Atlas] | None = Field(default=None, max_length=20)
    failed_control: FailedControl | None = None
    owners: dict[OwnerRole, Name] | None = None
    lead: OwnerRole | None = None
    compromised: list[CompromisedFactor] | None = Field(default=None, max_length=100)
    clocks_done: list[ClockKind] | None = None  # clocks whose report or recall was made
    note: str = Field(default="", max_length=2000)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(
            exclude={"version", "note", "clocks_done"}, exclude_none=True, mode="json"
        )


class LinkIn(_Strict):
    to: int = Field(ge=1, le=MAX_ROW_ID)
    type: LinkType
    note: str = Field(default="", max_length=2000)


class StepCheck(_Strict):
    step: Name
    note: str = Field(default="", max_length=2000)


class EvidenceIn(_Strict):
    kind: Literal["finding", "decision", "event", "note"]
    body: dict[str, Any]

    @field_validator("body")
    @classmethod
    def _no_lone_surrogates(cls, body: dict[str, Any]) -> dict[str, Any]:
        cleaned: dict[str, Any] = scrub(body)  # U+FFFD, as everywhere input is read
        return cleaned
