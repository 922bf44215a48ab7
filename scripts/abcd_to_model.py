"""Build examples/retailer_abcd.yaml from the ABCD agent guidelines.

Reads ../shared/datasets/raw/abcd/kb.json (the action sequence each of the 55
subflows needs) and turns every subflow that changes state into a channel-model
action whose path requires what the guidelines ask the agent to check:

- [Verify Identity]   -> account_details (3 of 4, or 3 of 7, identity items)
- [Validate Purchase] -> order_details (username, e-mail, order id)
- Recover Password    -> username (handed over by Recover Username, as the
                         guideline says) and the PIN or the security answer
- Reset 2FA           -> e-mail on file plus the reset code sent there; the
                         guideline's bypass (PIN or mother's maiden name) is a
                         fallback path
- only [Pull up Account] -> nothing: the name or account id identifies, it
                         does not verify

Every action states its `kind` (docs/spec/extensions.md), read from what the
guideline has the agent do, not from the subflow's name: money or its equivalent
given to the caller (a refund, a promo code, a credit, a fee removed, a return) is
`refund`; the card on file, where refunds are paid, is `payout_change`; see _kind.

Tiers, impacts and kinds are our judgement (stated per rule below), not ABCD's.
ABCD is MIT-licensed (Copyright (c) 2021 ASAPP Research).

    python scripts/abcd_to_model.py ../shared/datasets/raw/abcd > examples/retailer_abcd.yaml
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

STATE_CHANGING = {
    "make-password": ("T3", 2000, "security"),
    "update-account": ("T3", 2000, "operations"),
    "offer-refund": ("T2", 40, "finance"),  # the guidelines' refund amount is $40
    "make-purchase": ("T2", 150, "operations"),
    "update-order": ("T2", 150, "operations"),
    "promo-code": ("T1", 10, "customer_experience"),
}
# update-account only changes who the account belongs to in these subflows
ACCOUNT_CHANGES = {
    "manage_change_address",
    "manage_change_name",
    "manage_change_phone",
    "manage_payment_method",
}
IMPACT_OVERRIDES = {"manage_payment_method": 5000}
# what the subflow does, where its steps alone do not say it
KINDS = {
    "recover_username": "data_disclosure",  # the agent tells the caller the username
    "recover_password": "credential_reset",
    "reset_2fa": "credential_reset",
    "manage_change_address": "contact_change",
    "manage_change_phone": "contact_change",
    # refunds go to the card on file ("Credit card - direct refund to their credit
    # card", Initiate Refund): changing it changes where money is paid
    "manage_payment_method": "payout_change",
    "status_payment_method": "payout_change",
    "manage_pay_bill": "payment",  # a bill payment, with the card on file
    # [Update Order] that gives money back: a fee removed, a credit given, a return
    "status_mystery_fee": "refund",
    "mistimed_billing_already_returned": "refund",
    "mistimed_billing_never_bought": "refund",
    "return_stain": "refund",
    "return_color": "refund",
    "return_size": "refund",
    "refund_status": "refund",  # it may change the refund's payment method
}
# steps that give the caller money or its equivalent (a promo code is goodwill)
REFUND_STEPS = {"offer-refund", "promo-code"}


def _tier(subflow: str, steps: list[str]) -> tuple[str, float, str] | None:
    if steps[:1] == ["try-again"]:
        return None  # site troubleshooting: the purchase is the customer's own, in session
    if subflow == "reset_2fa":
        return ("T3", 2000, "security")
    if subflow == "recover_username":
        return ("T2", 100, "security")
    ranked = [STATE_CHANGING[s] for s in steps if s in STATE_CHANGING]
    if "update-account" in steps and subflow not in ACCOUNT_CHANGES:
        ranked = [r for r in ranked if r[0] != "T3"] + [("T2", 100, "operations")]
    if not ranked:
        return None
    tier, impact, owner = max(ranked, key=lambda r: (r[0], r[1]))
    return tier, IMPACT_OVERRIDES.get(subflow, impact), owner


def _kind(subflow: str, steps: list[str]) -> str:
    if subflow in KINDS:
        return KINDS[subflow]
    return "refund" if REFUND_STEPS & set(steps) else "other"


def _paths(subflow: str, steps: list[str]) -> list[dict[str, Any]]:
    if subflow == "recover_password":
        return [
            {
                "id": "agent",
                "channel": "agent_chat",
                "requires": ["username", {"any_of": ["pin", "kba"]}],
            }
        ]
    if subflow == "reset_2fa":
        return [
            {"id": "agent", "channel": "agent_chat", "requires": ["account_details", "email_code"]},
            {
                "id": "no_email_bypass",
                "channel": "agent_chat",
                "fallback_of": "agent",
                "requires": [{"any_of": ["pin", "kba"]}, "email_code"],
            },
        ]
    requires: list[Any] = []
    if "verify-identity" in steps:
        requires.append("account_details")
    if "validate-purchase" in steps:
        requires.append("order_details")
    paths: list[dict[str, Any]] = [{"id": "agent", "channel": "agent_chat", "requires": requires}]
    if subflow in ACCOUNT_CHANGES:
        # the same change can be made signed in on the web site
        paths.append({"id": "web", "channel": "web_account", "requires": ["account_login"]})
    return paths


def build(abcd: Path) -> dict[str, Any]:
    kb = json.loads((abcd / "kb.json").read_text())
    actions = []
    for subflow, steps in kb.items():
        tier = _tier(subflow, steps)
        if tier is None:
            continue
        actions.append(
            {
                "id": subflow,
                "kind": _kind(subflow, steps),
                "description": f"ABCD subflow {subflow}: {' -> '.join(steps)}",
                "tier": tier[0],
                "impact_usd": tier[1],
                "owner": tier[2],
                "paths": _paths(subflow, steps),
            }
        )
    return {
        "organization": "AcmeCorp retail (from the ABCD agent guidelines)",
        "version": "abcd-6b8700c",
        "industry": "retail",
        "customers": ["consumer"],
        "factors": {
            "username": {
                "label": "Account username",
                "attacker_cost_usd": 5,
                "attacker_minutes": 10,
                "success_probability": 0.5,
                "evidence": "knowledge",
                "inbound": True,
                "estimate": True,
                "obtainable_via": ["recover_username"],
                "source": "Estimate: usernames follow a rule (first initial + last name + 1, ABCD guideline) and are handed out by Recover Username",
            },
            "account_login": {
                "label": "Signed-in web session",
                "attacker_cost_usd": 15,
                "attacker_minutes": 30,
                "success_probability": 0.05,
                "evidence": "knowledge",
                "inbound": True,
                "estimate": True,
                "obtainable_via": ["recover_password"],
                "source": "Estimate: credential stuffing; held outright after a password reset",
            },
        },
        "channels": [
            {"id": "agent_chat", "kind": "chat", "hours": "24/7", "staffed_by": "human"},
            {"id": "web_account", "kind": "web", "hours": "24/7", "staffed_by": "self_service"},
        ],
        "actions": actions,
    }


def main() -> None:
    abcd = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/raw/abcd")
    print("# Generated by scripts/abcd_to_model.py from the ABCD guidelines (MIT,")
    print("# Copyright (c) 2021 ASAPP Research). Tiers, impacts and the web path are ours.")
    print(yaml.safe_dump(build(abcd), sort_keys=False, width=100), end="")


if __name__ == "__main__":
    main()
