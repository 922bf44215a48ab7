"""Risk signals a session may report, and what their values may be.

A signal's value is `true`/`false`, or a risk score in [0, 1]. Anything else
(NaN, -1, "yes", a missing value) is not a clear answer: the event is an error
and the session that sent it cannot get a T2+ action allowed (fail closed).
Names outside this list are errors too unless the Decider is lenient, because
a signal we cannot name is one we cannot weigh.
"""

from __future__ import annotations

import math
from typing import Any

from channelguard.errors import InputError

__all__ = ["KNOWN_SIGNALS", "TRUE_SIGNAL_SCORE", "signal_score"]

TRUE_SIGNAL_SCORE = 0.6  # a signal that is simply true: reason for a human on T2+ actions

KNOWN_SIGNALS: dict[str, str] = {
    "caller_id_mismatch": "the calling number is not the one on file",
    "caller_id_spoofed": "STIR/SHAKEN attestation failed or the number is spoofed",
    "recent_sim_swap": "the number on file changed SIM recently",
    "recent_port_out": "the number on file was ported recently",
    "recent_contact_change": "e-mail, phone or address changed recently",
    "new_device": "a device never seen on this account",
    "device_mismatch": "the device fingerprint does not match the enrolled one",
    "geo_mismatch": "location far from the customer's usual one",
    "vpn_or_proxy": "the session comes through an anonymising network",
    "known_fraud_number": "the calling number or address is on a fraud list",
    "synthetic_voice": "the voice is likely synthetic (deepfake)",
    "synthetic_video": "the video is likely synthetic (deepfake)",
    "bot_detected": "automated client behaviour",
    "velocity": "many requests or failed checks in a short time",
    "after_hours": "outside the customer's or the team's usual hours",
    "behavioural_anomaly": "typing, navigation or speech unlike the customer's",
    "account_compromise_reported": "the customer or a partner reported a compromise",
    "mule_account": "the beneficiary is a known or suspected mule account",
}


def signal_score(event: dict[str, Any]) -> float:
    """The threat a signal event carries: 0 for false, TRUE_SIGNAL_SCORE for true,
    the score itself for a number in [0, 1]; InputError naming 'value' otherwise."""
    if "value" not in event:
        raise InputError(
            "field 'value' is missing: a signal needs true, false or a score in [0, 1]"
        )
    value = event["value"]
    if isinstance(value, bool):
        return TRUE_SIGNAL_SCORE if value else 0.0
    if isinstance(value, int | float) and math.isfinite(value) and 0.0 <= value <= 1.0:
        return float(value)
    raise InputError(f"field 'value': {value!r} is not true, false or a score in [0, 1]")
