"""Automatic filing: decisions and findings become incidents, one per attack.

- A `hold` or `deny` on a T3+ action always opens (or updates) an incident.
- Otherwise a decision or a finding on the agent's own output (personal data,
  toxic text, an unauthorised promise) files when its severity reaches the
  configured minimum (default `high`).
- Grouped by tenant and technique (the strongest detector, else the rule)
  within a window, whatever the session: one campaign against one tenant is
  one incident with a counter, capped evidence and every session it groups
  linked, not hundreds; another tenant's filings never join it (grouping.py:
  the key, the window, the cap and the hourly rate, per tenant). A resolved or
  closed incident takes no more: the technique seen again opens a new one.
- The incident belongs to the tenant whose session caused it; its creator
  names the key whose events opened it ("channelguard (automatic filing) for
  key:PREFIX (LABEL)"), and the timeline names the key that caused each filing
  (`caused_by`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from channelguard.decide.session import Decision
from channelguard.escape import control_free
from channelguard.guard.types import Domain, Finding
from channelguard.model.schema import Tier
from channelguard.register.grouping import GroupKey
from channelguard.register.records import FailedControl, IncidentIn
from channelguard.register.store import IncidentStore
from channelguard.register.tables import DEFAULT_TENANT
from channelguard.register.vocab import Cause, HarmType, IncidentDomain, Severity

__all__ = ["Filer", "FilingPolicy"]

ACTOR = "channelguard (automatic filing)"
TIER_SEVERITY = {
    Tier.T0: "low",
    Tier.T1: "low",
    Tier.T2: "medium",
    Tier.T3: "high",
    Tier.T4: "critical",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class FilingPolicy:
    enabled: bool = True
    min_severity: Severity = Severity.HIGH


class Filer:
    def __init__(self, store: IncidentStore, policy: FilingPolicy | None = None) -> None:
        self.store = store
        self.policy = policy or FilingPolicy()

    def decision(
        self,
        decision: Decision,
        tier: Tier | None,
        *,
        channel: str | None,
        claimed: str | None,
        session: Session | None = None,
        tenant: str = DEFAULT_TENANT,
        caused_by: str | None = None,
    ) -> int | None:
        """The incident this decision opened or updated, or None. `caused_by`: the
        key that sent the events (recorded in the timeline)."""
        if not self.policy.enabled or decision.decision in ("allow", "step_up"):
            return None
        severity = Severity(TIER_SEVERITY[tier] if tier else "medium")
        always = tier is not None and tier.rank >= 3
        if not always and severity.rank < self.policy.min_severity.rank:
            return None
        injection = any(str(f.get("category", "")).startswith("LLM01") for f in decision.findings)
        technique = _technique(decision)
        claimed, channel = _name(claimed), _name(channel)
        data = IncidentIn(
            title=_cut(f"{decision.decision} on {decision.action}: {technique}", 300),
            domain=IncidentDomain.SECURITY,
            cause=Cause.ADVERSARIAL,
            harm_type=HarmType.INJECTION_ATTEMPT if injection else HarmType.IMPERSONATION_ATTEMPT,
            severity=severity,
            summary="; ".join(decision.reasons)[:20_000],
            atlas=["AML.T0051"] if injection else ["AML.T0073"],
            owasp=["LLM01:2025"] if injection else [],
            failed_control=FailedControl(channel=channel, action=_name(decision.action)),
            session=decision.session,
            claimed_identity=claimed,
        )
        incident, _ = self.store.open_or_update(
            data,
            _actor(caused_by),
            group=GroupKey(tenant=tenant, technique=technique),
            evidence=[("decision", decision.to_dict())],
            caused_by=caused_by,
            session=session,
        )
        return incident

    def output(
        self,
        session_id: str,
        findings: list[Finding],
        *,
        channel: str | None,
        claimed: str | None,
        session: Session | None = None,
        tenant: str = DEFAULT_TENANT,
        caused_by: str | None = None,
    ) -> int | None:
        """Safety findings on the agent's own output (the AI agent caused the harm)."""
        safety = [f for f in findings if f.domain is Domain.SAFETY]
        if not self.policy.enabled or not safety:
            return None
        top = max(safety, key=lambda f: f.score)
        leak = top.detector == "personal_data"
        severity = Severity.HIGH if leak else Severity.MEDIUM
        if severity.rank < self.policy.min_severity.rank:
            return None
        claimed, channel = _name(claimed), _name(channel)
        data = IncidentIn(
            title=_cut(f"AI agent output: {top.detector} ({top.category})", 300),
            domain=IncidentDomain.SAFETY,
            cause=Cause.ACCIDENTAL,
            harm_type=HarmType.PERSONAL_DATA_LEAK if leak else HarmType.HARMFUL_OUTPUT,
            severity=severity,
            summary=top.evidence,
            owasp=[top.category] if top.category.startswith("LLM") else [],
            atlas=[top.atlas] if top.atlas else [],
            failed_control=FailedControl(channel=channel),
            personal_data=leak,
            session=session_id,
            claimed_identity=claimed,
        )
        evidence: list[tuple[str, Any]] = [
            ("finding", {**f.to_dict(), "session": session_id}) for f in safety
        ]
        incident, _ = self.store.open_or_update(
            data,
            _actor(caused_by),
            group=GroupKey(tenant=tenant, technique=f"output:{top.detector}"),
            evidence=evidence,
            caused_by=caused_by,
            session=session,
        )
        return incident


def _actor(key: str | None) -> str:
    """Automatic filing, and the key whose events caused it when there is one."""
    return f"{ACTOR} for {key}" if key else ACTOR


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
    scored = [f for f in decision.findings if "detector" in f or "signal" in f]
    if not scored:
        return decision.rule or "policy"
    top = max(scored, key=lambda f: float(f.get("score", 0)))
    return str(top.get("detector") or f"signal:{top.get('signal')}")
