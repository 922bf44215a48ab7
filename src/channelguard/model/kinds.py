"""What kind of business action an action is, so that a control is proposed only
where a practitioner would use it: no bank-wire confirmation on a number
port-out, no SIM-swap check on the SIM swap.

An action's `kind:` (docs/spec/extensions.md) decides. Without it, words
guess as a fallback: the first match in KINDS over the id and description
wins, an action that matches nothing is `other` (controls for any kind still
apply), and lint reports every guess with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from channelguard.model.schema import Action, ActionKind, ChannelModel

__all__ = ["KINDS", "GuessedKind", "action_kind", "guessed_kinds"]

KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("port_out", re.compile(r"port[_ -]?out|number[_ -]?(transfer|port)|porting|\bport\b")),
    ("sim_change", re.compile(r"\bsim\b|sim[_ -]?(swap|change|replace|card)|esim")),
    (
        "payout_change",
        re.compile(
            r"payout|bank[_ -]?details|beneficiary[_ -]?(change|details)|claim[_ -]?account"
        ),
    ),
    (
        "payment",
        re.compile(r"wire|transfer|payment|\bpay\b|pay[_ -]|payee|beneficiary|claim[_ -]?pay"),
    ),
    ("refund", re.compile(r"refund|credit|goodwill|return|chargeback|compensation")),
    (
        "contact_change",
        re.compile(
            r"(phone|email|e-mail|address|contact)[_ -]?(change|update)"
            r"|change[_ -]?(phone|email|address|contact)"
        ),
    ),
    (
        "credential_reset",
        re.compile(r"password|reset|mfa|2fa|device|login|passkey|credential|pin[_ -]?reset"),
    ),
)


@dataclass(frozen=True, kw_only=True, slots=True)
class GuessedKind:
    """An action without `kind:` and the kind its words gave it."""

    index: int  # position in the model's actions, for the line
    action: str
    kind: ActionKind
    reason: str


def action_kind(action: Action) -> str:
    """The action's stated kind, else the kind its words give."""
    if action.kind is not None:
        return action.kind.value
    kind, _ = _guess(action)
    return kind


def guessed_kinds(model: ChannelModel) -> list[GuessedKind]:
    out = []
    for i, action in enumerate(model.actions):
        if action.kind is None:
            kind, match = _guess(action)
            reason = (
                f"its id or description says '{match}'"
                if match is not None
                else "nothing in its id or description names a kind"
            )
            out.append(GuessedKind(index=i, action=action.id, kind=ActionKind(kind), reason=reason))
    return out


def _guess(action: Action) -> tuple[str, str | None]:
    """The first kind whose pattern the id and description match, and the words."""
    text = f"{action.id} {action.description or ''}".lower()
    for kind, pattern in KINDS:
        match = pattern.search(text)
        if match:
            return kind, match.group(0)
    return "other", None
