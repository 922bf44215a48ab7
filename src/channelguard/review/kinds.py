"""What kind of business action an action is, read from its id and description,
so that a control is proposed only where a practitioner would use it: no
bank-wire confirmation on a number port-out, no SIM-swap check on the SIM swap.

The contract has no `kind` field; words decide, the first match in KINDS
wins, and an action that matches nothing is `other` (controls for any kind
still apply).
"""

from __future__ import annotations

import re

from channelguard.model.schema import Action

__all__ = ["KINDS", "action_kind"]

KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("port_out", re.compile(r"port[_ -]?out|number[_ -]?(transfer|port)|porting|\bport\b")),
    ("sim", re.compile(r"\bsim\b|sim[_ -]?(swap|change|replace|card)|esim")),
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
        "credential",
        re.compile(r"password|reset|mfa|2fa|device|login|passkey|credential|pin[_ -]?reset"),
    ),
)


def action_kind(action: Action) -> str:
    text = f"{action.id} {action.description or ''}".lower()
    for kind, pattern in KINDS:
        if pattern.search(text):
            return kind
    return "other"
