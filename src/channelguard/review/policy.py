"""The risk-tier policy template (factor_evidence.md §2.3) as rules over paths.

Each rule has a stable id; a finding names the rule, the action, the path (or
none for an action-level rule) and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from channelguard.model.factors import Factor, expected_cost
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Action, Channel, Evidence, Path, StaffedBy, Tier

__all__ = ["RULES", "PolicyFinding", "check_policy", "path_violations"]

STRONG_T3 = {Evidence.PHISHING_RESISTANT, Evidence.BOUND_APP}
SEVERITY = {
    Tier.T0: "info",
    Tier.T1: "low",
    Tier.T2: "medium",
    Tier.T3: "high",
    Tier.T4: "critical",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class PolicyFinding:
    rule: str
    action: str
    path: str | None
    severity: str
    message: str


@dataclass(frozen=True, kw_only=True, slots=True)
class _PathView:
    action: Action
    path: Path
    channel: Channel
    factors: tuple[Factor, ...]  # direct requirements; any_of counts its weakest option

    @property
    def evidence(self) -> set[Evidence]:
        return {f.evidence for f in self.factors}

    @property
    def dual_control(self) -> bool:
        return self.path.approvals > 0 or any(f.id == "second_approver" for f in self.factors)


PathRule = Callable[[_PathView], str | None]


def _no_verification(v: _PathView) -> str | None:
    if v.action.tier.rank >= 1 and not v.factors and v.path.approvals == 0:
        return "accepts the request with no verification at all"
    return None


def _kba_alone(v: _PathView) -> str | None:
    if v.action.tier.rank >= 1 and v.factors and v.evidence == {Evidence.KNOWLEDGE}:
        return "knowledge alone (KBA, PIN, identity items): private but not secret (NIST 63B-3)"
    return None


def _t2_single_signal(v: _PathView) -> str | None:
    if v.action.tier is not Tier.T2 or not v.factors:
        return None
    if v.evidence == {Evidence.PSTN_CODE}:
        return "SMS or voice code alone: PSTN is a restricted authenticator (NIST 63B-4)"
    if len(v.evidence) < 2 and not v.evidence & STRONG_T3:
        return "T2 needs two independent signals or a bound-app confirmation"
    return None


def _t3_minimum(v: _PathView) -> str | None:
    if v.action.tier.rank < 3:
        return None
    ev = v.evidence
    callback = Evidence.CALLBACK in ev and any(f.id == "sim_swap_check" for f in v.factors)
    if ev & STRONG_T3 or callback or Evidence.OUT_OF_BAND_PERSON in ev:
        return None
    if Evidence.KNOWLEDGE in ev:
        return (
            "KBA as primary proof: needs a bound-app or phishing-resistant confirmation, "
            "or a callback to the number on file after a SIM-swap check"
        )
    return (
        "lacks a bound-app or phishing-resistant confirmation, or a callback after a SIM-swap check"
    )


def _caller_supplied_callback(v: _PathView) -> str | None:
    if v.action.tier.rank >= 3 and any(f.id == "caller_supplied_callback" for f in v.factors):
        return "calls back a number the caller supplied"
    return None


def _override_without_second(v: _PathView) -> str | None:
    inbound_approval = any(f.evidence is Evidence.APPROVAL and f.inbound for f in v.factors)
    if v.action.tier.rank >= 3 and inbound_approval and not v.dual_control:
        return "agent or manager override without a second person's approval"
    return None


def _ai_autonomy(v: _PathView) -> str | None:
    # a T3 path that needs a phishing-resistant proof from the customer does not rest on
    # the agent's judgement: an injected or fooled agent cannot produce the proof
    if v.action.tier is Tier.T3 and Evidence.PHISHING_RESISTANT in v.evidence:
        return None
    if v.action.tier.rank >= 3 and v.channel.staffed_by is StaffedBy.AI and not v.dual_control:
        return "an AI agent can complete it on its own: no human approval"
    return None


def _t4_inbound(v: _PathView) -> str | None:
    if v.action.tier is not Tier.T4 or Evidence.OUT_OF_BAND_PERSON in v.evidence:
        return None
    if all(f.inbound for f in v.factors):
        return "accepts only evidence carried on the inbound channel, which cannot verify itself"
    return "no out-of-band confirmation to a different known person"


def _t4_dual_control(v: _PathView) -> str | None:
    if v.action.tier is Tier.T4 and not v.dual_control:
        return "no dual control: one person can release it"
    return None


PATH_RULES: dict[str, PathRule] = {
    "no-verification": _no_verification,
    "knowledge-alone": _kba_alone,
    "T2-single-signal": _t2_single_signal,
    "T3-minimum-evidence": _t3_minimum,
    "T3-caller-supplied-callback": _caller_supplied_callback,
    "T3-override-without-approval": _override_without_second,
    "T3-ai-autonomy": _ai_autonomy,
    "T4-inbound-evidence": _t4_inbound,
    "T4-dual-control": _t4_dual_control,
}
ACTION_RULES = ("T3-no-cooling-off", "T3-no-notification", "fallback-weaker")
RULES = (*PATH_RULES, *ACTION_RULES)


def check_policy(loaded: LoadedModel) -> list[PolicyFinding]:
    return list(_findings(loaded))


def path_violations(loaded: LoadedModel, action: Action, path: Path) -> list[tuple[str, str]]:
    """(rule, why) for every path rule of the tier template this one path breaks."""
    view = _PathView(
        action=action,
        path=path,
        channel=loaded.channel(path.channel),
        factors=_weakest(loaded, path),
    )
    return [(rule, why) for rule, check in PATH_RULES.items() if (why := check(view))]


def _findings(loaded: LoadedModel) -> Iterator[PolicyFinding]:
    handed_over = {a for f in loaded.factors.values() for a in f.obtainable_via}
    for action in loaded.model.actions:
        sev = SEVERITY[action.tier]
        for path in action.paths:
            for rule, message in path_violations(loaded, action, path):
                yield PolicyFinding(
                    rule=rule, action=action.id, path=path.id, severity=sev, message=message
                )
        yield from _action_findings(loaded, action, action.id in handed_over, sev)


def _action_findings(
    loaded: LoadedModel, action: Action, hands_over: bool, sev: str
) -> Iterator[PolicyFinding]:
    if hands_over and action.tier.rank >= 3:
        if action.cooling_off_hours < 24:
            msg = "its result hands a factor to later actions with no 24 h cooling-off"
            yield PolicyFinding(
                rule="T3-no-cooling-off", action=action.id, path=None, severity=sev, message=msg
            )
        if not action.notifies_old_contact:
            msg = "the old contact point is not notified of the change"
            yield PolicyFinding(
                rule="T3-no-notification", action=action.id, path=None, severity=sev, message=msg
            )
    by_id = {p.id: p for p in action.paths}
    for path in action.paths:
        if path.fallback_of is None or action.tier.rank < 1:
            continue
        mine, theirs = _standalone(loaded, path), _standalone(loaded, by_id[path.fallback_of])
        if mine < theirs:
            msg = (
                f"convenience path is weaker than '{path.fallback_of}' it backs up "
                f"(${mine:,.0f} vs ${theirs:,.0f} expected cost, factors alone)"
            )
            yield PolicyFinding(
                rule="fallback-weaker", action=action.id, path=path.id, severity=sev, message=msg
            )


def _weakest(loaded: LoadedModel, path: Path) -> tuple[Factor, ...]:
    out: list[Factor] = []
    for item in path.requires:
        names = [item] if isinstance(item, str) else item.any_of
        out.append(min((loaded.factors[n] for n in names), key=_alone_cost))
    return tuple(out)


def _alone_cost(f: Factor) -> float:
    return expected_cost(f.attacker_cost_usd, f.pass_probability)


def _standalone(loaded: LoadedModel, path: Path) -> float:
    factors = list(_weakest(loaded, path))
    if path.approvals:
        factors += [loaded.factors["second_approver"]] * path.approvals
    cost = sum(f.attacker_cost_usd for f in factors)
    prob = 1.0
    for f in factors:
        prob *= f.pass_probability
    return expected_cost(cost, prob)
