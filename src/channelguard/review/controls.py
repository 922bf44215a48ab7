"""The catalogue of hardening controls: each a change to the model on one target.

A control says where it applies and returns the changed model; the plan
re-runs the engine on that model, so every effect it reports is computed, not
estimated. `friction` is our estimate of the burden on legitimate customers:
0.5 invisible (a notification), 1 one more tap, 2 a wait or an extra call,
3 a channel some customers lose.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from channelguard.model.factors import Factor
from channelguard.model.kinds import action_kind
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import (
    Action,
    ChannelKind,
    ChannelModel,
    Evidence,
    Owner,
    Path,
    Requirement,
    StaffedBy,
    Tier,
)
from channelguard.review.assumptions import FRICTION_USD
from channelguard.review.control_fits import FITS
from channelguard.review.engine import Attack
from channelguard.review.fit import Fit, fits_business
from channelguard.review.lookups import accepting, guards_at_least, handed_over

__all__ = [
    "CONTROLS",
    "Control",
    "Target",
    "candidates",
    "candidates_for",
    "choke_factors",
    "spots",
]


MAX_SPOTS = 50  # paths one factor-wide change may touch


@dataclass(frozen=True, kw_only=True, slots=True)
class Target:
    action: str  # "" for a factor-wide target
    path: str | None  # None: the control changes the action itself (or a factor-wide one)
    # set: the control on every path that accepts this factor where it fits (`spots`):
    # hardening a choke point as one change
    factor: str | None = None


@dataclass(frozen=True, kw_only=True)
class Control:
    id: str
    title: str
    friction: float
    applies: Callable[[LoadedModel, Action, Path | None], bool]
    change: Callable[[LoadedModel, Action, Path | None], Action]
    path_level: bool = True
    kinds: frozenset[str] | None = None  # the kinds of action it is for (kinds.py); None: any
    not_kinds: frozenset[str] = frozenset()  # kinds it makes no sense for

    @property
    def fit(self) -> Fit:
        """Who performs it, for which customers and industries, what it needs
        (control_fits.py, keyed by the control's id)."""
        return FITS[self.id]

    def fits(self, loaded: LoadedModel, action: Action, path: Path | None) -> bool:
        """The control fits the declared business, is for this kind of action, and its
        condition holds here."""
        kind = action_kind(action)
        if (self.kinds is not None and kind not in self.kinds) or kind in self.not_kinds:
            return False
        if not fits_business(self.fit, loaded.model):
            return False
        return self.applies(loaded, action, path)

    def worth(self, loaded: LoadedModel, action: Action) -> bool:
        """Its friction is warranted: the action and those that can build on it guard
        at least FRICTION_USD of impact per unit of friction (assumptions.py)."""
        need = FRICTION_USD * self.friction
        return guards_at_least(loaded.model, loaded.factors, [action.id], need)

    def proposable(self, loaded: LoadedModel, action: Action, path: Path | None) -> bool:
        """The plan may propose it here: it fits, and its friction is warranted."""
        return self.fits(loaded, action, path) and self.worth(loaded, action)

    def describe(self, target: Target) -> str:
        where = (
            f"path '{target.path}' of '{target.action}'" if target.path else f"'{target.action}'"
        )
        return f"{self.title}: {where}"


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


def _with_path(action: Action, path: Path, new: Path | None) -> Action:
    paths = (
        [p for p in action.paths if p.id != path.id]
        if new is None
        else [new if p.id == path.id else p for p in action.paths]
    )
    return action.model_copy(update={"paths": paths})


def _replace(action: Action, path: Path, drop: set[str], add: list[str]) -> Action:
    kept: list[Requirement] = [r for r in path.requires if not (isinstance(r, str) and r in drop)]
    new_items = [name for name in add if name not in kept]
    return _with_path(action, path, path.model_copy(update={"requires": [*kept, *new_items]}))


def _knowledge(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and a.tier.rank >= 2 and bool(_questions(p, loaded))


def _pstn(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and a.tier.rank >= 2 and bool(_plain(p, loaded, {Evidence.PSTN_CODE}))


def _no_callback(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    if p is None or a.tier.rank < 3:
        return False
    return (
        loaded.channel(p.channel).staffed_by is not StaffedBy.SELF_SERVICE
        and "callback_known_number" not in p.factor_ids()
    )


def _no_dual(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    if p is None or a.tier.rank < 3 or p.approvals or "second_approver" in p.factor_ids():
        return False
    # on a self-service path (the channel's `staffed_by`) the customer acts alone on
    # their own account: a back-office second approver fits money leaving it (a
    # payment), not a change to the customer's own details, a payout account
    # included, where a cooling-off and a notice fit instead
    self_service = loaded.channel(p.channel).staffed_by is StaffedBy.SELF_SERVICE
    return not self_service or action_kind(a) == "payment"


def _lacks(factor: str) -> Callable[[LoadedModel, Action, Path | None], bool]:
    def check(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
        return p is not None and a.tier.rank >= 2 and factor not in p.factor_ids()

    return check


def _in_person_without_scan(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    if p is None or a.tier.rank < 2 or "id_document_scan" in p.factor_ids():
        return False
    return loaded.channel(p.channel).kind is ChannelKind.IN_PERSON


def _no_record_delivery(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and a.tier.rank >= 1 and "address_on_record_delivery" not in p.factor_ids()


def _no_bound_factor(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    """A path with no possession-bound factor (an app push, a passkey, an app session)."""
    if p is None or a.tier.rank < 2:
        return False
    bound = {Evidence.BOUND_APP, Evidence.PHISHING_RESISTANT}
    return not any(
        (f := _factor(loaded, name)) is not None and f.evidence in bound for name in p.factor_ids()
    )


def _agent_discloses(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
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


def _payout_cooling(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return a.cooling_off_hours < 72 or not a.notifies_old_contact


def _fallback(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and p.fallback_of is not None and a.tier.rank >= 2


def _unverified(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and a.tier.rank >= 1 and not p.requires and p.approvals == 0


def _no_oob(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    """A different known person to confirm with exists where the action moves money
    the finance team owns (`owner: finance`: a wire, a supplier's bank details); a
    consumer's own payout or claim, run by operations, has none."""
    if p is None or a.tier is not Tier.T4 or "oob_known_person" in p.factor_ids():
        return False
    return a.owner is Owner.FINANCE


def _caller_callback(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return p is not None and "caller_supplied_callback" in p.factor_ids()


def _handed_over(loaded: LoadedModel, a: Action) -> bool:
    return a.tier.rank >= 3 and handed_over(loaded.factors, a.id)


def _needs_cooling(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return _handed_over(loaded, a) and a.cooling_off_hours < 24


def _needs_notice(loaded: LoadedModel, a: Action, p: Path | None) -> bool:
    return _handed_over(loaded, a) and not a.notifies_old_contact


def _need_path(
    change: Callable[[LoadedModel, Action, Path], Action],
) -> Callable[[LoadedModel, Action, Path | None], Action]:
    def wrapped(loaded: LoadedModel, action: Action, path: Path | None) -> Action:
        assert path is not None
        return change(loaded, action, path)

    return wrapped


def _drop_knowledge(loaded: LoadedModel, action: Action, path: Path) -> Action:
    drop = set(_questions(path, loaded))
    return _replace(action, path, drop, ["app_push_number_match"])


CONTROLS: tuple[Control, ...] = (
    Control(
        id="replace_kba_with_app_push",
        title="Replace knowledge questions with an app push with number matching",
        friction=1,
        applies=_knowledge,
        change=_need_path(_drop_knowledge),
    ),
    Control(
        id="require_app_push",
        title="Require an app push with number matching where nothing is checked",
        friction=1,
        applies=_unverified,
        change=_need_path(lambda m, a, p: _replace(a, p, set(), ["app_push_number_match"])),
    ),
    Control(
        id="replace_otp_with_app_push",
        title="Replace the SMS or voice code with an app push with number matching",
        friction=1,
        applies=_pstn,
        change=_need_path(
            lambda m, a, p: _replace(a, p, {"otp_sms", "otp_voice"}, ["app_push_number_match"])
        ),
    ),
    Control(
        id="callback_after_sim_check",
        title="Call back the number on file after a SIM-swap / port-out check",
        friction=2,
        not_kinds=frozenset({"sim_change", "port_out"}),  # the number itself is what moves
        applies=_no_callback,
        change=_need_path(
            lambda m, a, p: _replace(a, p, set(), ["sim_swap_check", "callback_known_number"])
        ),
    ),
    Control(
        id="known_number_callback",
        title="Call back the number on file, never one the caller gives",
        friction=1,
        applies=_caller_callback,
        change=_need_path(
            lambda m, a, p: _replace(a, p, {"caller_supplied_callback"}, ["callback_known_number"])
        ),
    ),
    Control(
        id="second_approver",
        title="Require a second approver (dual control)",
        friction=2,
        # a second person for money, numbers and contacts; not for a customer's own
        # password reset, where nobody in the organisation has anything to approve
        kinds=frozenset(
            {"payment", "payout_change", "port_out", "sim_change", "contact_change", "other"}
        ),
        applies=_no_dual,
        change=_need_path(lambda m, a, p: _with_path(a, p, p.model_copy(update={"approvals": 1}))),
    ),
    Control(
        id="close_fallback",
        title="Close the convenience path (fallback, after-hours): route to the primary path",
        friction=3,
        applies=_fallback,
        change=_need_path(lambda m, a, p: _with_path(a, p, None)),
    ),
    Control(
        id="oob_known_person",
        title="Confirm out of band with a different known person, bound to amount and payee",
        friction=2,
        kinds=frozenset({"payment", "payout_change"}),  # it confirms an amount and a payee
        applies=_no_oob,
        change=_need_path(lambda m, a, p: _replace(a, p, set(), ["oob_known_person"])),
    ),
    Control(
        id="cooling_off",
        title="Hold dependent actions for a 24 h cooling-off after the change",
        friction=2,
        applies=_needs_cooling,
        change=lambda m, a, p: a.model_copy(update={"cooling_off_hours": 24.0}),
        path_level=False,
    ),
    Control(
        id="port_out_pin",
        title="Require the customer's port-out PIN for a number transfer",
        friction=1,
        kinds=frozenset({"port_out"}),
        applies=_lacks("port_out_pin"),
        change=_need_path(lambda m, a, p: _replace(a, p, set(), ["port_out_pin"])),
    ),
    Control(
        id="number_lock",
        title="Number lock: the customer lifts it in the app before a port-out or SIM swap",
        friction=1.5,
        kinds=frozenset({"port_out", "sim_change"}),
        applies=_lacks("number_lock_release"),
        change=_need_path(lambda m, a, p: _replace(a, p, set(), ["number_lock_release"])),
    ),
    Control(
        id="store_id_scan",
        title="Scan the photo ID in store (chip or security features), not a glance",
        friction=1,
        kinds=frozenset(
            {"sim_change", "port_out", "contact_change", "credential_reset", "payout_change"}
        ),
        applies=_in_person_without_scan,
        change=_need_path(lambda m, a, p: _replace(a, p, set(), ["id_document_scan"])),
    ),
    Control(
        id="refund_to_original_method",
        title="Refund only to the original payment method",
        friction=0.5,
        kinds=frozenset({"refund"}),
        applies=_lacks("original_payment_method"),
        change=_need_path(lambda m, a, p: _replace(a, p, set(), ["original_payment_method"])),
    ),
    Control(
        id="payout_change_cooling_off",
        title="Payout account change: 72 h cooling-off and a notice to the old contact",
        friction=2,
        kinds=frozenset({"payout_change"}),
        applies=_payout_cooling,
        change=lambda m, a, p: a.model_copy(
            update={
                "cooling_off_hours": max(a.cooling_off_hours, 72.0),
                "notifies_old_contact": True,
            }
        ),
        path_level=False,
    ),
    Control(
        id="disclose_to_address_on_record",
        title="Send the data only to the address on record (post or verified e-mail), "
        "never read it out or send it to a new contact",
        friction=1.5,
        kinds=frozenset({"data_disclosure"}),
        applies=_no_record_delivery,
        change=_need_path(lambda m, a, p: _replace(a, p, set(), ["address_on_record_delivery"])),
    ),
    Control(
        id="step_up_before_disclosure",
        title="Step up before disclosing: an app push with number matching",
        friction=1,
        kinds=frozenset({"data_disclosure"}),
        applies=_no_bound_factor,
        change=_need_path(lambda m, a, p: _replace(a, p, set(), ["app_push_number_match"])),
    ),
    Control(
        id="redact_in_agent_answers",
        title="The AI agent redacts the data in its answers: disclosure only on the other channels",
        friction=1,
        kinds=frozenset({"data_disclosure"}),
        applies=_agent_discloses,
        change=_need_path(lambda m, a, p: _with_path(a, p, None)),
    ),
    Control(
        id="notify_old_contact",
        title="Notify the old contact point of the change",
        friction=0.5,
        applies=_needs_notice,
        change=lambda m, a, p: a.model_copy(update={"notifies_old_contact": True}),
        path_level=False,
    ),
)


def candidates(loaded: LoadedModel, chokes: Collection[str] = ()) -> list[tuple[Control, Target]]:
    """Every (control, target) the catalogue can apply to this model; with `chokes`
    (choke_factors), also each control on every path that accepts one of them."""
    out = [move for action in loaded.model.actions for move in candidates_for(loaded, action)]
    return out + factor_candidates(loaded, chokes)


def choke_factors(loaded: LoadedModel, attacks: Mapping[str, Attack | None]) -> list[str]:
    """Factors passed on the cheapest attacks of two or more exposed actions (the
    review's factor choke points), in the model's order."""
    users: dict[str, set[str]] = {}
    for action in loaded.model.actions:
        attack = attacks.get(action.id)
        if attack is None or attack.expected_cost_usd >= action.impact_usd:
            continue
        for step in attack.steps:
            for factor in step.factors:
                users.setdefault(factor, set()).add(action.id)
    return [f for f, ids in users.items() if len(ids) > 1]


def spots(loaded: LoadedModel, control: Control, factor: str) -> list[tuple[Action, Path]]:
    """The paths that accept `factor` and where `control` fits, in the model's order."""
    return [
        (action, path)
        for action, path in accepting(loaded.model, factor)
        if control.proposable(loaded, action, path)
    ]


def factor_candidates(loaded: LoadedModel, chokes: Collection[str]) -> list[tuple[Control, Target]]:
    """Each path-level control on every path that accepts a choke factor, when it fits
    paths of two or more actions (one action: the per-path change already says it);
    only for a factor accepted on at most MAX_SPOTS paths (each is an engine re-run)."""
    wanted = set(chokes)
    accepting: dict[str, list[tuple[Action, Path]]] = {f: [] for f in wanted}
    for action in loaded.model.actions:  # one pass: a large model has many choke factors
        for path in action.paths:
            for factor in set(path.factor_ids()) & wanted:
                accepting[factor].append((action, path))
    out: list[tuple[Control, Target]] = []
    for factor in dict.fromkeys(chokes):
        if len(accepting[factor]) > MAX_SPOTS:
            continue
        for control in CONTROLS:
            if not control.path_level:
                continue
            fits = {a.id for a, p in accepting[factor] if control.proposable(loaded, a, p)}
            if len(fits) > 1:
                out.append((control, Target(action="", path=None, factor=factor)))
    return out


def candidates_for(loaded: LoadedModel, action: Action) -> list[tuple[Control, Target]]:
    """Every (control, target) the catalogue can apply to one action."""
    out: list[tuple[Control, Target]] = []
    kind = action_kind(action)
    for control in CONTROLS:
        if (control.kinds is not None and kind not in control.kinds) or kind in control.not_kinds:
            continue
        if not fits_business(control.fit, loaded.model) or not control.worth(loaded, action):
            continue
        if not control.path_level:
            if control.applies(loaded, action, None):
                out.append((control, Target(action=action.id, path=None)))
            continue
        for path in action.paths:
            if control.applies(loaded, action, path):
                out.append((control, Target(action=action.id, path=path.id)))
    return out


def apply(loaded: LoadedModel, control: Control, target: Target) -> ChannelModel:
    actions = []
    for action in loaded.model.actions:
        if action.id == target.action:
            path = next((p for p in action.paths if p.id == target.path), None)
            action = control.change(loaded, action, path)
        actions.append(action)
    return loaded.model.model_copy(update={"actions": actions})
