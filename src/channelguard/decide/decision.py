"""What deciding an action request gives the caller, and what one step gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channelguard.decide.rules import DecisionKind
from channelguard.decide.state import RunState

__all__ = ["Decision", "Outcome"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Decision:
    session: str
    action: str
    decision: DecisionKind
    required: tuple[str, ...]
    risk: float
    reasons: tuple[str, ...]
    message: str
    shadow: bool = False  # decided and recorded only: the caller does not enforce it
    rule: str = ""  # the rule that decided: a RuleId (rules.py), or an endpoint's own
    findings: tuple[dict[str, Any], ...] = ()  # the session's evidence of an attack
    policy: str = ""  # the channel model (organization and version) it was decided on
    notify: tuple[str, ...] = ()  # notifications the action requires, e.g. the old contact

    def to_dict(self) -> dict[str, Any]:
        out = {
            "session": self.session,
            "action": self.action,
            "decision": self.decision,
            "required": list(self.required),
            "risk": round(self.risk, 3),
            "reasons": list(self.reasons),
            "message": self.message,
        }
        out["rule"] = str(self.rule)
        out["findings"] = [dict(f) for f in self.findings]
        out["policy"] = self.policy
        if self.notify:
            out["notify"] = list(self.notify)
        if self.shadow:
            out["shadow"] = True
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """One step of the Decider: the state after the event, the decision (action
    requests only), lenient-mode warnings, and what was wrong with the event (an
    error event: not taken; a marked session cannot get T2+ actions allowed)."""

    state: RunState
    decision: Decision | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
