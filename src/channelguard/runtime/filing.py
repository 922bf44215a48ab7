"""Automatic filing: decisions and findings become incidents, one per attack.

- A `hold` or `deny` on a T3+ action always opens (or updates) an incident.
- So does a `hold` or `deny` that an injection in stored content led to (a
  document or tool output the agent read: an order note, a claim attachment),
  whatever the tier: the poisoned record stays and will reach the next agent
  that reads it, so the harm outlives the session.
- Otherwise a decision or a finding on the agent's own output (personal data,
  toxic text, an unauthorised promise) files when its severity reaches the
  configured minimum (default `high`).
- Grouped by tenant and technique (the strongest detector, else the rule)
  within a window, whatever the session (register/grouping.py): one campaign
  against one tenant is one incident with a counter.
- The incident belongs to the tenant whose session caused it; its creator
  names the key whose events opened it ("channelguard (automatic filing) for
  key:PREFIX (LABEL)"), and the timeline names the key that caused each filing
  (`caused_by`).

`Filer.decision` and `Filer.output` say what to file (a `Filing`: the incident,
its technique and its evidence) without touching storage; `Filer.file` stores
one in the register, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from channelguard.decide.decision import Decision
from channelguard.decide.evidence import FindingSeen
from channelguard.escape import control_free
from channelguard.guard.types import Domain, Finding
from channelguard.model.schema import Tier
from channelguard.register.grouping import GroupKey
from channelguard.register.records import FailedControl, IncidentIn
from channelguard.register.store import IncidentStore
from channelguard.register.vocab import Cause, HarmType, IncidentDomain, Severity

__all__ = ["ACTOR", "Filer", "Filing", "FilingPolicy", "filing_actor"]

ACTOR = "channelguard (automatic filing)"
TIER_SEVERITY = {
    Tier.T0: Severity.LOW,
    Tier.T1: Severity.LOW,
    Tier.T2: Severity.MEDIUM,
    Tier.T3: Severity.HIGH,
    Tier.T4: Severity.CRITICAL,
}
INJECTION = "LLM01"


@dataclass(frozen=True, kw_only=True, slots=True)
class FilingPolicy:
    enabled: bool = True
    min_severity: Severity = Severity.HIGH


@dataclass(frozen=True, kw_only=True, slots=True)
class Filing:
    """An incident to open, or to update when one of its technique is open."""

    incident: IncidentIn
    technique: str  # the grouping key within the tenant
    evidence: tuple[tuple[str, Any], ...]


class Filer:
    def __init__(self, store: IncidentStore, policy: FilingPolicy | None = None) -> None:
        self.store = store
        self.policy = policy or FilingPolicy()

    def file(
        self, filing: Filing, *, tenant: str, caused_by: str | None, session: Session | None
    ) -> int:
        """Open the filing's incident, or update the open one of its technique."""
        incident, _ = self.store.open_or_update(
            filing.incident,
            filing_actor(caused_by),
            group=GroupKey(tenant=tenant, technique=filing.technique),
            evidence=list(filing.evidence),
            caused_by=caused_by,
            session=session,
        )
        return incident

    def decision(
        self, decision: Decision, tier: Tier | None, *, channel: str | None, claimed: str | None
    ) -> Filing | None:
        """The filing a hold or deny calls for, or None."""
        if not self.policy.enabled or decision.decision in ("allow", "step_up"):
            return None
        severity = TIER_SEVERITY[tier] if tier else Severity.MEDIUM
        poisoned = _poisoned(decision)
        always = (tier is not None and tier.rank >= 3) or poisoned
        if not always and severity.rank < self.policy.min_severity.rank:
            return None
        injection = poisoned or any(
            isinstance(f, FindingSeen) and f.category.startswith(INJECTION)
            for f in decision.findings
        )
        technique = _technique(decision)
        summary = "; ".join(decision.reasons)
        if poisoned:
            summary = "injection in stored content (a document or tool output): " + summary
        data = IncidentIn(
            title=_cut(f"{decision.decision} on {decision.action}: {technique}", 300),
            domain=IncidentDomain.SECURITY,
            cause=Cause.ADVERSARIAL,
            harm_type=HarmType.INJECTION_ATTEMPT if injection else HarmType.IMPERSONATION_ATTEMPT,
            severity=severity,
            summary=summary[:20_000],
            atlas=["AML.T0051"] if injection else ["AML.T0073"],
            owasp=["LLM01:2025"] if injection else [],
            failed_control=FailedControl(channel=_name(channel), action=_name(decision.action)),
            session=decision.session,
            claimed_identity=_name(claimed),
        )
        evidence = (("decision", decision.to_dict()),)
        return Filing(incident=data, technique=technique, evidence=evidence)

    def output(
        self, session_id: str, findings: list[Finding], *, channel: str | None, claimed: str | None
    ) -> Filing | None:
        """Safety findings on the agent's own output (the AI agent caused the harm)."""
        safety = [f for f in findings if f.domain is Domain.SAFETY]
        if not self.policy.enabled or not safety:
            return None
        top = max(safety, key=lambda f: f.score)
        leak = top.detector == "personal_data"
        severity = Severity.HIGH if leak else Severity.MEDIUM
        if severity.rank < self.policy.min_severity.rank:
            return None
        data = IncidentIn(
            title=_cut(f"AI agent output: {top.detector} ({top.category})", 300),
            domain=IncidentDomain.SAFETY,
            cause=Cause.ACCIDENTAL,
            harm_type=HarmType.PERSONAL_DATA_LEAK if leak else HarmType.HARMFUL_OUTPUT,
            severity=severity,
            summary=top.evidence,
            owasp=[top.category] if top.category.startswith("LLM") else [],
            atlas=[top.atlas] if top.atlas else [],
            failed_control=FailedControl(channel=_name(channel)),
            personal_data=leak,
            session=session_id,
            claimed_identity=_name(claimed),
        )
        evidence = tuple(("finding", {**f.to_dict(), "session": session_id}) for f in safety)
        return Filing(incident=data, technique=f"output:{top.detector}", evidence=evidence)


def filing_actor(key: str | None) -> str:
    """Automatic filing, and the key whose events caused it when there is one."""
    return f"{ACTOR} for {key}" if key else ACTOR


def _poisoned(decision: Decision) -> bool:
    """An injection found in stored content (a document) led to this decision."""
    return decision.decision in ("hold", "deny") and any(
        isinstance(f, FindingSeen) and f.role == "document" and f.category.startswith(INJECTION)
        for f in decision.findings
    )


def _cut(text: str, limit: int) -> str:
    return control_free(text)[:limit]


def _name(value: str | None) -> str | None:
    """A name the client sent (channel, claimed identity, action) as the record
    holds it: no control characters, at most 200 characters. Cut, not refused: a
    refused name lost the whole attempt (500, nothing stored); the event itself
    keeps what was sent."""
    if not isinstance(value, str):
        return None
    return " ".join(control_free(value).split())[:200] or None


def _technique(decision: Decision) -> str:
    if not decision.findings:
        return decision.rule or "policy"
    return max(decision.findings, key=lambda f: f.score).source
