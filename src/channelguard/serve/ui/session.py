"""The dashboard's session cookie and CSRF token, signed with a server secret.

A session is `v1.KEY_ID.EXPIRES.NONCE.MAC`: the API key it was opened with (by
id, never the key itself), when it ends, a random nonce, and an HMAC-SHA256 over
them. Nothing is stored on the server: every request checks the MAC and the
expiry here, and the key again in the register (routes.py), so revoking or
expiring a key ends its sessions at once.

The CSRF token is an HMAC of the session cookie under a second derived key: a
page receives it in the HTML, a write must send it back (form field `csrf` or
header `X-CSRF-Token`); another site can neither read it nor compute it.

The secret is derived from the service's identity secret, so every replica
accepts the others' sessions; without one (`claimed_identities: plain`) a
random secret per process is used, and a restart signs everyone out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

__all__ = ["COOKIE", "SESSION_SECONDS", "SessionSigner", "SignedSession"]

COOKIE = "cg_ui"
SESSION_SECONDS = 8 * 3600  # a working day; never beyond the key's own expiry
VERSION = "v1"


@dataclass(frozen=True, kw_only=True, slots=True)
class SignedSession:
    key_id: int
    expires: int  # unix seconds
    cookie: str


class SessionSigner:
    def __init__(self, secret: bytes | None) -> None:
        """`secret`: the service's identity secret, or None for a per-process one."""
        root = secret if secret is not None else secrets.token_bytes(32)
        self._session_key = _derive(root, b"channelguard ui session")
        self._csrf_key = _derive(root, b"channelguard ui csrf")

    def issue(
        self, key_id: int, *, key_expires: float | None, now: float | None = None
    ) -> SignedSession:
        at = time.time() if now is None else now
        ends = at + SESSION_SECONDS
        if key_expires is not None:
            ends = min(ends, key_expires)
        body = f"{VERSION}.{key_id}.{int(ends)}.{secrets.token_urlsafe(12)}"
        cookie = f"{body}.{_mac(self._session_key, body)}"
        return SignedSession(key_id=key_id, expires=int(ends), cookie=cookie)

    def read(self, cookie: str | None, *, now: float | None = None) -> SignedSession | None:
        """The session a cookie carries, or None if it is missing, forged or over."""
        if not cookie or len(cookie) > 200:
            return None
        parts = cookie.split(".")
        if len(parts) != 5 or parts[0] != VERSION:
            return None
        body, mac = ".".join(parts[:4]), parts[4]
        if not hmac.compare_digest(mac, _mac(self._session_key, body)):
            return None
        if not (parts[1].isdigit() and parts[2].isdigit()):
            return None
        expires = int(parts[2])
        if expires <= (time.time() if now is None else now):
            return None
        return SignedSession(key_id=int(parts[1]), expires=expires, cookie=cookie)

    def csrf(self, session: SignedSession) -> str:
        return _mac(self._csrf_key, session.cookie)

    def csrf_ok(self, session: SignedSession, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(str(sent), self.csrf(session))


def _derive(root: bytes, label: bytes) -> bytes:
    return hmac.new(root, label, hashlib.sha256).digest()


def _mac(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
