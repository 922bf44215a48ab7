"""Risk signals a session may report, and what their values may be.

A signal's value is `true`/`false`, or a risk score in [0, 1]. Anything else
(NaN, -1, "yes", a missing value) is not a clear answer: the event is an error
and the session that sent it cannot get a T2+ action allowed (fail closed).
Names outside this list are errors too unless the Decider is lenient, because
a signal we cannot name is one we cannot weigh.
"""

from __future__ import annotations

__all__ = ["KNOWN_SIGNALS"]

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
