"""The one door from the integrations into channelguard: guard a text, feed the
Decider a session's evidence, decide an action, review a model. The adapters
call only this module, so a change of the run-time API changes only this file.

Fail closed: a finding of the domain looked at, at the guard's threshold,
blocks; a decision other than `allow` stops the action.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from channelguard import (
    Decider,
    Decision,
    Domain,
    Guard,
    InputError,
    LoadedModel,
    ScanResult,
    load_model,
    run_review,
)

__all__ = [
    "ActionCheck",
    "GuardCheck",
    "decide_action",
    "decide_events",
    "guard_message",
    "guard_text",
    "make_decider",
    "make_guard",
    "record_verification",
    "review_model",
    "scan_text",
]

RoleName = Literal["user", "customer", "agent", "assistant", "document", "tool"]


@dataclass(frozen=True, kw_only=True, slots=True)
class GuardCheck:
    """The guard on one text, seen from one domain: blocked when a finding of that
    domain reaches the guard's threshold."""

    blocked: bool
    domain: str
    role: str
    score: float  # the strongest finding of the domain (0 with none)
    findings: tuple[dict[str, Any], ...]  # the domain's findings at the threshold
    reason: str  # one line naming the findings, or "no <domain> finding"
    redacted: str | None = None  # the text with personal data masked, when any

    def to_dict(self) -> dict[str, Any]:
        return {
            "blocked": self.blocked,
            "domain": self.domain,
            "role": self.role,
            "score": round(self.score, 4),
            "findings": [dict(f) for f in self.findings],
            "reason": self.reason,
            "redacted": self.redacted,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class ActionCheck:
    """The Decider's answer to one requested action, with the text to show."""

    allowed: bool
    decision: str  # allow | step_up | hold | deny
    action: str
    required: tuple[str, ...]  # the evidence a step-up asks for
    rule: str
    text: str  # for the agent: what is needed, or why not
    detail: dict[str, Any]  # the decision as channelguard writes it (docs/decide.md)


def make_guard(guard: Guard | None = None) -> Guard:
    """The caller's Guard, or the default one, loaded."""
    return (guard if guard is not None else Guard()).load()


def make_decider(model: LoadedModel | str | Path, guard: Guard | None = None) -> Decider:
    """A Decider on a channel model (a loaded one or a path), sharing `guard`."""
    loaded = model if isinstance(model, LoadedModel) else load_model(str(model))
    return Decider(loaded, make_guard(guard))


def scan_text(guard: Guard, text: str, *, role: RoleName = "user") -> dict[str, Any]:
    """The guard's verdict as `channelguard scan` writes it."""
    return guard.inspect(text, role=role).to_dict()


def guard_text(
    guard: Guard, text: str, *, role: RoleName, domain: Literal["security", "safety"]
) -> GuardCheck:
    """Inspect `text` and block on findings of `domain` at the guard's threshold:
    `security` for what comes in (the user's message, a tool's output), `safety`
    for what the agent says (personal data, commitments it may not make)."""
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}")
    return _check_of(guard.inspect(text, role=role), role=role, domain=domain)


def guard_message(
    guard: Guard, decider: Decider, *, session: str, channel: str, text: str
) -> GuardCheck:
    """guard_text on a customer's message (security), which also becomes the
    session's evidence for `decide`: one inspection serves both."""
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}")
    result = guard.inspect(text, role="user")
    event = {"session": session, "type": "message", "channel": channel, "role": "customer"}
    decider.feed({**event, "text": text}, inspected=result)
    return _check_of(result, role="user", domain="security")


def _check_of(
    result: ScanResult, *, role: RoleName, domain: Literal["security", "safety"]
) -> GuardCheck:
    want = Domain(domain)
    hits = [f for f in result.findings if f.domain == want and f.score >= result.threshold]
    hits.sort(key=lambda f: -f.score)
    named = sorted({f"{f.detector} ({f.category})" for f in hits})
    reason = f"{domain} finding: {', '.join(named)}" if hits else f"no {domain} finding"
    return GuardCheck(
        blocked=bool(hits),
        domain=domain,
        role=role,
        score=max((f.score for f in hits), default=0.0),
        findings=tuple(f.to_dict() for f in hits),
        reason=reason,
        redacted=result.redacted,
    )


def record_verification(decider: Decider, *, session: str, factor: str, passed: bool) -> None:
    """Give the Decider a verification the session passed or failed."""
    result = "pass" if passed else "fail"
    decider.feed({"session": session, "type": "verification", "factor": factor, "result": result})


def decide_action(decider: Decider, *, session: str, channel: str, action: str) -> ActionCheck:
    """Ask the Decider for `action` in `session` on `channel`."""
    event = {"session": session, "type": "action_request", "channel": channel, "action": action}
    decision = decider.feed(event)
    if not isinstance(decision, Decision):  # an action_request always decides
        raise InputError(f"no decision for action {action!r}")
    return _check(decision)


def decide_events(decider: Decider, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Feed a list of events (io-formats.md); one decision a line for each
    action_request, and an error line for an unusable event (its session then
    holds T2+ actions, as in `channelguard decide`)."""
    out: list[dict[str, Any]] = []
    for index, event in enumerate(events):
        try:
            decision = decider.feed(event)
        except InputError as exc:
            out.append({"error": str(exc), "event": index})
            continue
        if decision is not None:
            out.append(decision.to_dict())
    return out


def review_model(model: str | Path) -> dict[str, Any]:
    """The review of a channel model file, as `channelguard review --format json`."""
    from channelguard.report.review_json import review_to_dict

    return review_to_dict(run_review(load_model(str(model))))


def _check(decision: Decision) -> ActionCheck:
    kind = decision.decision
    if kind == "allow":
        text = f"allowed: {decision.action}"
    elif kind == "step_up":
        text = (
            f"step up: {decision.action} needs {', '.join(decision.required)} first. "
            f"{decision.message}"
        )
    elif kind == "deny":  # the reasons name the channels that can do it
        why = "; ".join(decision.reasons)
        text = f"deny: {decision.action} was not done ({decision.rule}: {why}). {decision.message}"
    else:  # a hold's reasons name what the guard saw: kept for the log, not for the model
        text = f"hold: {decision.action} was not done ({decision.rule}). {decision.message}"
    return ActionCheck(
        allowed=kind == "allow",
        decision=kind,
        action=decision.action,
        required=tuple(decision.required),
        rule=decision.rule,
        text=text.strip(),
        detail=decision.to_dict(),
    )
