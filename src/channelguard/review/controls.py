"""The catalogue of hardening controls: each a change to the model on one target.

A control says where it applies and returns the changed model; the plan
re-runs the engine on that model, so every effect it reports is computed, not
estimated. `friction` is our estimate of the burden on legitimate customers:
0.5 invisible (a notification), 1 one more tap, 2 a wait or an extra call,
3 a channel some customers lose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from channelguard.model.kinds import action_kind
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Action, ChannelModel, Path
from channelguard.review.assumptions import FRICTION_USD
from channelguard.review.conditions import (
    agent_discloses,
    caller_callback,
    drop_knowledge,
    fallback,
    in_person_without_scan,
    knowledge,
    lacks,
    need_path,
    needs_cooling,
    needs_notice,
    no_bound_factor,
    no_callback,
    no_dual,
    no_oob,
    no_record_delivery,
    payout_cooling,
    pstn,
    replace,
    unverified,
    with_path,
)
from channelguard.review.control_fits import FITS
from channelguard.review.fit import Fit, fits_business
from channelguard.review.lookups import guards_at_least

__all__ = ["CONTROLS", "Control", "Target", "apply"]


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
        if action.impact_usd >= need:
            return True
        return guards_at_least(loaded.model, loaded.factors, [action.id], need)

    def proposable(self, loaded: LoadedModel, action: Action, path: Path | None) -> bool:
        """The plan may propose it here: it fits, and its friction is warranted."""
        return self.fits(loaded, action, path) and self.worth(loaded, action)

    def describe(self, target: Target) -> str:
        where = (
            f"path '{target.path}' of '{target.action}'" if target.path else f"'{target.action}'"
        )
        return f"{self.title}: {where}"


CONTROLS: tuple[Control, ...] = (
    Control(
        id="replace_kba_with_app_push",
        title="Replace knowledge questions with an app push with number matching",
        friction=1,
        applies=knowledge,
        change=need_path(drop_knowledge),
    ),
    Control(
        id="require_app_push",
        title="Require an app push with number matching where nothing is checked",
        friction=1,
        applies=unverified,
        change=need_path(lambda m, a, p: replace(a, p, set(), ["app_push_number_match"])),
    ),
    Control(
        id="replace_otp_with_app_push",
        title="Replace the SMS or voice code with an app push with number matching",
        friction=1,
        applies=pstn,
        change=need_path(
            lambda m, a, p: replace(a, p, {"otp_sms", "otp_voice"}, ["app_push_number_match"])
        ),
    ),
    Control(
        id="callback_after_sim_check",
        title="Call back the number on file after a SIM-swap / port-out check",
        friction=2,
        not_kinds=frozenset({"sim_change", "port_out"}),  # the number itself is what moves
        applies=no_callback,
        change=need_path(
            lambda m, a, p: replace(a, p, set(), ["sim_swap_check", "callback_known_number"])
        ),
    ),
    Control(
        id="known_number_callback",
        title="Call back the number on file, never one the caller gives",
        friction=1,
        applies=caller_callback,
        change=need_path(
            lambda m, a, p: replace(a, p, {"caller_supplied_callback"}, ["callback_known_number"])
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
        applies=no_dual,
        change=need_path(lambda m, a, p: with_path(a, p, p.model_copy(update={"approvals": 1}))),
    ),
    Control(
        id="close_fallback",
        title="Close the convenience path (fallback, after-hours): route to the primary path",
        friction=3,
        applies=fallback,
        change=need_path(lambda m, a, p: with_path(a, p, None)),
    ),
    Control(
        id="oob_known_person",
        title="Confirm out of band with a different known person, bound to amount and payee",
        friction=2,
        kinds=frozenset({"payment", "payout_change"}),  # it confirms an amount and a payee
        applies=no_oob,
        change=need_path(lambda m, a, p: replace(a, p, set(), ["oob_known_person"])),
    ),
    Control(
        id="cooling_off",
        title="Hold dependent actions for a 24 h cooling-off after the change",
        friction=2,
        applies=needs_cooling,
        change=lambda m, a, p: a.model_copy(update={"cooling_off_hours": 24.0}),
        path_level=False,
    ),
    Control(
        id="port_out_pin",
        title="Require the customer's port-out PIN for a number transfer",
        friction=1,
        kinds=frozenset({"port_out"}),
        applies=lacks("port_out_pin"),
        change=need_path(lambda m, a, p: replace(a, p, set(), ["port_out_pin"])),
    ),
    Control(
        id="number_lock",
        title="Number lock: the customer lifts it in the app before a port-out or SIM swap",
        friction=1.5,
        kinds=frozenset({"port_out", "sim_change"}),
        applies=lacks("number_lock_release"),
        change=need_path(lambda m, a, p: replace(a, p, set(), ["number_lock_release"])),
    ),
    Control(
        id="store_id_scan",
        title="Scan the photo ID in store (chip or security features), not a glance",
        friction=1,
        kinds=frozenset(
            {"sim_change", "port_out", "contact_change", "credential_reset", "payout_change"}
        ),
        applies=in_person_without_scan,
        change=need_path(lambda m, a, p: replace(a, p, set(), ["id_document_scan"])),
    ),
    Control(
        id="refund_to_original_method",
        title="Refund only to the original payment method",
        friction=0.5,
        kinds=frozenset({"refund"}),
        applies=lacks("original_payment_method"),
        change=need_path(lambda m, a, p: replace(a, p, set(), ["original_payment_method"])),
    ),
    Control(
        id="payout_change_cooling_off",
        title="Payout account change: 72 h cooling-off and a notice to the old contact",
        friction=2,
        kinds=frozenset({"payout_change"}),
        applies=payout_cooling,
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
        applies=no_record_delivery,
        change=need_path(lambda m, a, p: replace(a, p, set(), ["address_on_record_delivery"])),
    ),
    Control(
        id="step_up_before_disclosure",
        title="Step up before disclosing: an app push with number matching",
        friction=1,
        kinds=frozenset({"data_disclosure"}),
        applies=no_bound_factor,
        change=need_path(lambda m, a, p: replace(a, p, set(), ["app_push_number_match"])),
    ),
    Control(
        id="redact_in_agent_answers",
        title="The AI agent redacts the data in its answers: disclosure only on the other channels",
        friction=1,
        kinds=frozenset({"data_disclosure"}),
        applies=agent_discloses,
        change=need_path(lambda m, a, p: with_path(a, p, None)),
    ),
    Control(
        id="notify_old_contact",
        title="Notify the old contact point of the change",
        friction=0.5,
        applies=needs_notice,
        change=lambda m, a, p: a.model_copy(update={"notifies_old_contact": True}),
        path_level=False,
    ),
)


def apply(loaded: LoadedModel, control: Control, target: Target) -> ChannelModel:
    actions = []
    for action in loaded.model.actions:
        if action.id == target.action:
            path = next((p for p in action.paths if p.id == target.path), None)
            action = control.change(loaded, action, path)
        actions.append(action)
    return loaded.model.model_copy(update={"actions": actions})
