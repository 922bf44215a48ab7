"""What deciding an action request gives the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channelguard.decide.evidence import SessionFinding
from channelguard.decide.rules import DecisionKind

__all__ = ["Decision"]


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
    findings: tuple[SessionFinding, ...] = ()  # the session's evidence of an attack
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
        out["findings"] = [f.to_dict() for f in self.findings]
        out["policy"] = self.policy
        if self.notify:
            out["notify"] = list(self.notify)
        if self.shadow:
            out["shadow"] = True
        return out
