"""Claimed identities as the service stores them: keyed hashes by default.

A claimed identity (the account or executive a caller claims to be) is personal
data and a key into what the service remembers. The service stores it as
"hmac:" + HMAC-SHA256(secret, TENANT NUL VALUE) in hex: the same caller is
recognised across sessions of one tenant, and a copy of the database neither
names them nor links them across tenants. With no secret (`claimed_identities:
plain`) the value is kept as sent (cut to 200 characters).

Everything downstream (session state, remembered identities, events, decision
reasons, incidents, exports, the CLI) only ever sees the stored form, so none
can show more than the store holds.

Registers from before hashing hold plain values: a session or identity memory
is re-keyed the first time a batch touches it (`legacy`, `merged`), so what was
remembered still counts (runtime/ledger.py, decide/memory.py: merged).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from channelguard.ids import canonical

__all__ = ["HASHED", "ClaimedIdentities", "canonical"]

HASHED = "hmac:"
MAX_CHARS = 200


class ClaimedIdentities:
    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret

    @property
    def hashed(self) -> bool:
        return self._secret is not None

    def stored(self, tenant: str, value: str) -> str:
        """The form a claimed identity is stored and remembered in (canonical)."""
        value = (canonical(value) or value)[:MAX_CHARS]
        if self._secret is None:
            return value
        digest = hmac.new(self._secret, f"{tenant}\x00{value}".encode(), hashlib.sha256)
        return HASHED + digest.hexdigest()

    def legacy(self, value: Any) -> bool:
        """A value stored before hashing was on (to be re-keyed), in hashing mode."""
        return self.hashed and isinstance(value, str) and not value.startswith(HASHED)

    def event(self, tenant: str, event: Any) -> Any:
        """The event with its claimed identity in stored form (a copy; others as sent)."""
        claimed = event.get("claimed_identity") if isinstance(event, dict) else None
        if isinstance(claimed, str) and canonical(claimed):
            return {**event, "claimed_identity": self.stored(tenant, claimed)}
        return event  # nothing visible to claim: the event refuses it (decide/events.py)
