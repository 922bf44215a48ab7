"""Webhook signatures: what the service signs and what a receiver checks.

Each delivery carries three headers:

    X-Channelguard-Event-Id:  evt_…        (the same on every retry: dedup on it)
    X-Channelguard-Timestamp: 1796550000   (unix seconds, this attempt's)
    X-Channelguard-Signature: sha256=<hex> (HMAC-SHA256 of "<timestamp>.<body>")

The signed string is the timestamp header's value, a full stop, then the raw
request body bytes exactly as received (before any JSON parsing). A receiver
calls `verify_signature(secret, headers, body)`: it raises SignatureError on a
missing header, a timestamp more than `tolerance` seconds from its clock (a
replay) or a signature that does not match (compared in constant time).
Needs nothing beyond the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

from channelguard.errors import SignatureError

__all__ = [
    "EVENT_ID_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "sign",
    "signed_headers",
    "verify_signature",
]

EVENT_ID_HEADER = "X-Channelguard-Event-Id"
TIMESTAMP_HEADER = "X-Channelguard-Timestamp"
SIGNATURE_HEADER = "X-Channelguard-Signature"


def sign(secret: str | bytes, timestamp: str, body: bytes) -> str:
    """The signature header's value: "sha256=" and the hex HMAC of "<timestamp>.<body>"."""
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signed_headers(
    secret: str | bytes, event_id: str, body: bytes, *, now: float | None = None
) -> dict[str, str]:
    """The three headers of one delivery attempt (its timestamp is `now`)."""
    timestamp = str(int(time.time() if now is None else now))
    return {
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def verify_signature(
    secret: str | bytes,
    headers: Mapping[str, str],
    body: bytes,
    tolerance: float = 300,
    *,
    now: float | None = None,
) -> str:
    """Check a delivery as received; the event id if it verifies. Raises
    SignatureError otherwise. `headers`: any mapping (names compared without case)."""
    found = {k.lower(): v for k, v in headers.items()}
    timestamp = found.get(TIMESTAMP_HEADER.lower())
    signature = found.get(SIGNATURE_HEADER.lower())
    event_id = found.get(EVENT_ID_HEADER.lower())
    if not timestamp or not signature or not event_id:
        raise SignatureError("missing X-Channelguard-Timestamp, -Signature or -Event-Id header")
    if not timestamp.isascii() or not timestamp.isdigit():
        raise SignatureError("X-Channelguard-Timestamp is not unix seconds")
    age = abs((time.time() if now is None else now) - int(timestamp))
    if age > tolerance:
        raise SignatureError(f"stale timestamp: {age:.0f} s from this clock (over {tolerance:g})")
    sent = signature.strip().encode("utf-8", "replace")
    if not hmac.compare_digest(sign(secret, timestamp, body).encode("ascii"), sent):
        raise SignatureError("signature mismatch")
    return event_id
