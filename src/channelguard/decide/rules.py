"""The rules that decide an action request, and the verdict one of them gives.

Each `RuleId` names one rule in the order the Decider tries them; its
description says what it means and when it fires. docs/rules.md is generated
from this list (`python scripts/rules_doc.py`, checked by a test), so the two
cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

__all__ = ["RULES", "DecisionKind", "RuleId", "Verdict", "rules_markdown"]

DecisionKind = Literal["allow", "step_up", "hold", "deny"]


class RuleId(StrEnum):
    DENY_UNKNOWN_ACTION = "deny-unknown-action"
    HOLD_UNREADABLE_REQUEST = "hold-unreadable-request"
    DENY_UNKNOWN_CHANNEL = "deny-unknown-channel"
    DENY_NO_PATH_HERE = "deny-no-path-here"
    HOLD_UNWEIGHABLE_EVIDENCE = "hold-unweighable-evidence"
    HOLD_REPEATED_FAILURES = "hold-repeated-failures"
    HOLD_THREAT_ON_T2_PLUS = "hold-threat-on-t2-plus"
    HOLD_COOLING_OFF = "hold-cooling-off"
    ALLOW_POLICY_PATH = "allow-policy-path"
    ALLOW_HARDENED_PATH = "allow-hardened-path"
    HOLD_NO_SOUND_PATH = "hold-no-sound-path"
    STEP_UP_LOW_TIER = "step-up-low-tier"
    STEP_UP_HARDENED_PATH = "step-up-hardened-path"
    HOLD_INTERNAL_ERROR = "hold-internal-error"

    @property
    def description(self) -> str:
        return RULES[self]


RULES: dict[RuleId, str] = {
    RuleId.DENY_UNKNOWN_ACTION: (
        "deny: the action is not in the channel model (or an action request's `action` "
        "could not be read). An action the model does not know is never allowed."
    ),
    RuleId.HOLD_UNREADABLE_REQUEST: (
        "hold: the action request itself could not be read or placed (a field such as "
        "`at`, `channel`, `claimed_identity` or `params` is wrong, it names another "
        "session than the route's, or `at` is too far ahead of the server's clock). "
        "Fail closed: it still gets its one decision, "
        "whose reason names the field, next to the error. Its action unreadable or not "
        "in the model: `deny-unknown-action`, naming the field too."
    ),
    RuleId.DENY_UNKNOWN_CHANNEL: (
        "deny: the session named no channel, or one the model does not have, so the "
        "request cannot be placed on a path."
    ),
    RuleId.DENY_NO_PATH_HERE: (
        "deny: the action has no path on the session's channel; the reason names the "
        "channels that have one."
    ),
    RuleId.HOLD_UNWEIGHABLE_EVIDENCE: (
        "hold, T2+ actions: the session sent evidence that could not be weighed (a "
        "signal with no clear value or an unknown name, a message that could not be "
        "read, an `at` that could not be placed). Fail closed: a human reviews."
    ),
    RuleId.HOLD_REPEATED_FAILURES: (
        "hold: a factor this action's paths need failed verification three times or "
        "more in the session."
    ),
    RuleId.HOLD_THREAT_ON_T2_PLUS: (
        "hold, T2+ actions: the threat seen in the session (the strongest security "
        "finding on an inbound message or document, a true risk signal, failed checks, "
        "earlier sessions of the claimed identity) reaches the guard's threshold. "
        "Evidence the caller carries does not outweigh an attack seen."
    ),
    RuleId.HOLD_COOLING_OFF: (
        "hold, T2+ actions: a path would be satisfied only by a factor under a "
        "cooling-off (a recent phone, e-mail or address change of the identity)."
    ),
    RuleId.ALLOW_POLICY_PATH: (
        "allow: a path on this channel that meets the tier policy as written is "
        "satisfied by the verified factors (T0 and T1: any path)."
    ),
    RuleId.ALLOW_HARDENED_PATH: (
        "allow: a path that meets the tier policy once hardened with controls is "
        "satisfied by the verified factors."
    ),
    RuleId.HOLD_NO_SOUND_PATH: (
        "hold, T2+ actions: no path on this channel meets the tier policy, even "
        "hardened; a human must review."
    ),
    RuleId.STEP_UP_LOW_TIER: (
        "step up, T0-T1 actions with no sound path: names the factors the nearest path still needs."
    ),
    RuleId.STEP_UP_HARDENED_PATH: (
        "step up: names the missing factors of the cheapest sound path on this channel "
        "(fewest controls added, then fewest factors)."
    ),
    RuleId.HOLD_INTERNAL_ERROR: (
        "hold: deciding failed on a bug. Never allows; the reason names the error."
    ),
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Verdict:
    """What one rule decided: the outcome, the risk, why, and what is still required."""

    kind: DecisionKind
    rule: RuleId
    risk: float
    reasons: tuple[str, ...]
    required: tuple[str, ...] = ()


def rules_markdown() -> str:
    """docs/rules.md: every rule in the order it is tried."""
    lines = [
        "# Decision rules",
        "",
        "Generated from `channelguard.decide.rules` by `python scripts/rules_doc.py`; do not edit.",
        "Each decision names the rule that decided (`rule`). The rules are tried in this",
        "order; the first that fires decides.",
        "",
        "| rule | what it means and when it fires |",
        "|---|---|",
    ]
    lines += [f"| `{rule.value}` | {rule.description} |" for rule in RuleId]
    return "\n".join(lines) + "\n"
