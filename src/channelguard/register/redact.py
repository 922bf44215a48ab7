"""Personal data out of stored evidence: every string in a JSON value is passed
through the personal-data patterns (cards with Luhn, IBANs with mod 97,
national ids, e-mail, phone, street addresses, secrets) before it is stored.
The patterns live in channelguard/pii.py, below this module and the guard's
`personal_data` detector, which uses them too."""

from __future__ import annotations

from typing import Any

from channelguard.pii import redact

__all__ = ["redact_value"]

MAX_DEPTH = 64


def redact_value(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return redact(value)
    if depth >= MAX_DEPTH:
        return "[NESTED TOO DEEP]"
    if isinstance(value, dict):
        return {str(k): redact_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v, depth + 1) for v in value]
    return value
