"""verify_signature: what a receiver accepts and what it refuses (an attacker who
replays an old delivery, alters the body, or signs with a guessed secret)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from channelguard.errors import SignatureError
from channelguard.integrations.webhooks import sign, signed_headers, verify_signature

SECRET = "a-receiver-secret-of-at-least-32-characters"
BODY = b'{"id":"evt_1","type":"incident.opened"}'
NOW = 1_800_000_000.0


def test_the_signed_string_is_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), b"1800000000." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, "1800000000", BODY) == f"sha256={expected}"


def test_a_fresh_signed_delivery_verifies_and_names_its_event() -> None:
    headers = signed_headers(SECRET, "evt_1", BODY, now=NOW)
    lower = {k.lower(): v for k, v in headers.items()}  # header names without case
    assert verify_signature(SECRET, lower, BODY, now=NOW + 10) == "evt_1"


@pytest.mark.parametrize(
    ("secret", "body", "age", "why"),
    [
        ("another-secret-of-at-least-32-characters!", BODY, 0, "mismatch"),
        (SECRET, BODY + b" ", 0, "mismatch"),
        (SECRET, BODY.replace(b"opened", b"updated"), 0, "mismatch"),
        (SECRET, BODY, 301, "stale"),
        (SECRET, BODY, -301, "stale"),  # from the future: a clock an attacker set
    ],
)
def test_a_wrong_secret_an_altered_body_or_a_stale_timestamp_is_refused(
    secret: str, body: bytes, age: float, why: str
) -> None:
    headers = signed_headers(SECRET, "evt_1", BODY, now=NOW)
    with pytest.raises(SignatureError, match=why):
        verify_signature(secret, headers, body, now=NOW + age)


def test_a_replayed_delivery_is_refused_once_its_tolerance_passes() -> None:
    headers = signed_headers(SECRET, "evt_1", BODY, now=NOW)
    assert verify_signature(SECRET, headers, BODY, tolerance=60, now=NOW + 59) == "evt_1"
    with pytest.raises(SignatureError, match="stale"):
        verify_signature(SECRET, headers, BODY, tolerance=60, now=NOW + 61)


@pytest.mark.parametrize(
    "change",
    [
        {"X-Channelguard-Signature": ""},
        {"X-Channelguard-Timestamp": "soon"},
        {"X-Channelguard-Timestamp": "１８００００００００"},  # Unicode digits
        {"X-Channelguard-Signature": "sha256=é" + "0" * 63},
        {"X-Channelguard-Event-Id": ""},
    ],
)
def test_missing_or_malformed_headers_are_refused(change: dict[str, str]) -> None:
    headers = {**signed_headers(SECRET, "evt_1", BODY, now=NOW), **change}
    with pytest.raises(SignatureError):
        verify_signature(SECRET, headers, BODY, now=NOW)
