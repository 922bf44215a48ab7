"""Where each catalogue control applies (its condition on an action and path) and
the changes it makes (a factor added or replaced, a path closed), for controls.py."""

from __future__ import annotations

from collections.abc import Callable

from channelguard.model.factors import Factor
from channelguard.model.kinds import action_kind
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import (
    Action,
    ChannelKind,
    Evidence,
    Owner,
    Path,
    Requirement,
    StaffedBy,
    Tier,
)
from channelguard.review.lookups import handed_over

__all__ = [
    "agent_discloses",
    "caller_callback",
    "drop_knowledge",
    "fallback",
    "in_person_without_scan",
    "knowledge",
    "lacks",
    "need_path",
    "needs_cooling",
    "needs_notice",
    "no_bound_factor",
    "no_callback",
    "no_dual",
    "no_oob",
    "no_record_delivery",
    "payout_cooling",
    "pstn",
    "replace",
    "unverified",
    "with_path",
]


def _factor(loaded: LoadedModel, name: str) -> Factor | None:
    return loaded.factors.get(name)


def _plain(path: Path, loaded: LoadedModel, evidence: set[Evidence]) -> list[str]:
    out = []
    for item in path.requires:
        if isinstance(item, str):
            f = _factor(loaded, item)
            if f is not None and f.evidence in evidence and f.id != "exec_safe_phrase":
                out.append(item)
    return out


def _questions(path: Path, loaded: LoadedModel) -> list[str]:
    """The knowledge the caller is asked for in the interaction (`inbound`): a
    knowledge factor that is not carried on the interaction (`inbound: false`, e.g.
    the payout reaching an account the attacker controls) is a condition the
    attacker must bring about, not a question an app push could replace."""
    return [
        name for name in _plain(path, loaded, {Evidence.KNOWLEDGE}) if loaded.factors[name].inbound
    ]


def with_path(action: Action, path: Path, new: Path | None) -> Action:
    paths = (
        [p for p in action.paths if p.id != path.id]
        if new is None
        else [new if p.id == path.id else p for p in action.paths]
    )
    return action.model_copy(update={"paths": paths})


def replace(action: Action, path: Path, drop: set[str], add: list[str]) -> Action:
    kept: list[Requirement] = [r for r in path.requires if not (isinstance(r, str) and r in drop)]
    new_items = [name for name in add if name not in kept]
    return with_path(action, path, path.model_copy(update={"requires": [*kept, *new_items]}))


def knowledge(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and a.tier.rank >= 2 and bool(_questions(p, loaded))


def pstn(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and a.tier.rank >= 2 and bool(_plain(p, loaded, {Evidence.PSTN_CODE}))


def no_callback(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    if p is None or a.tier.rank < 3:
        return False
    return (
        loaded.channel(p.channel).staffed_by is not StaffedBy.SELF_SERVICE
        and "callback_known_number" not in p.factor_ids()
    )


def no_dual(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    if p is None or a.tier.rank < 3 or p.approvals or "second_approver" in p.factor_ids():
        return False
    # on a self-service path (the channel's `staffed_by`) the customer acts alone on
    # their own account: a back-office second approver fits money leaving it (a
    # payment), not a change to the customer's own details, a payout account
    # included, where a cooling-off and a notice fit instead
    self_service = loaded.channel(p.channel).staffed_by is StaffedBy.SELF_SERVICE
    return not self_service or action_kind(a) == "payment"


def lacks(factor: str) -> Callable[[LoadedModel, Action, Path | None], bool]:
    def check(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
        return p is not None and a.tier.rank >= 2 and factor not in p.factor_ids()

    return check


def in_person_without_scan(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    if p is None or a.tier.rank < 2 or "id_document_scan" in p.factor_ids():
        return False
    return loaded.channel(p.channel).kind is ChannelKind.IN_PERSON


def no_record_delivery(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and a.tier.rank >= 1 and "address_on_record_delivery" not in p.factor_ids()


def no_bound_factor(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    """A path with no possession-bound factor (an app push, a passkey, an app session)."""
    if p is None or a.tier.rank < 2:
        return False
    bound = {Evidence.BOUND_APP, Evidence.PHISHING_RESISTANT}
    return not any(
        (f := _factor(loaded, name)) is not None and f.evidence in bound for name in p.factor_ids()
    )


def agent_discloses(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    """A path on an AI agent, where the action has a path on another channel to keep."""
    if p is None:
        return False
    channel = loaded.channel(p.channel)
    on_agent = channel.kind is ChannelKind.AI_AGENT or channel.staffed_by is StaffedBy.AI
    others = [q for q in a.paths if q.id != p.id and _not_agent(loaded, q)]
    return on_agent and bool(others)


def _not_agent(loaded: LoadedModel, p: Path) -> bool:
    channel = loaded.channel(p.channel)
    return channel.kind is not ChannelKind.AI_AGENT and channel.staffed_by is not StaffedBy.AI


def payout_cooling(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return a.cooling_off_hours < 72 or not a.notifies_old_contact


def fallback(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and p.fallback_of is not None and a.tier.rank >= 2


def unverified(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and a.tier.rank >= 1 and not p.requires and p.approvals == 0


def no_oob(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    """A different known person to confirm with exists where the action moves money
    the finance team owns (`owner: finance`: a wire, a supplier's bank details); a
    consumer's own payout or claim, run by operations, has none."""
    if p is None or a.tier is not Tier.T4 or "oob_known_person" in p.factor_ids():
        return False
    return a.owner is Owner.FINANCE


def caller_callback(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and "caller_supplied_callback" in p.factor_ids()


def _handed_over(loaded: LoadedModel, a: Action) -> bool:
    return a.tier.rank >= 3 and handed_over(loaded.factors, a.id)


def needs_cooling(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return _handed_over(loaded, a) and a.cooling_off_hours < 24


def needs_notice(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return _handed_over(loaded, a) and not a.notifies_old_contact


def need_path(
    change: Callable[[LoadedModel, Action, Path], Action],
) -> Callable[[LoadedModel, Action, Path | None], Action]:
    def wrapped(loaded: LoadedModel, action: Action, path: Path | None) -> Action:
        assert path is not None
        return change(loaded, action, path)

    return wrapped


def drop_knowledge(loaded: LoadedModel, action: Action, path: Path) -> Action:
    drop = set(_questions(path, loaded))
    return replace(action, path, drop, ["app_push_number_match"])
