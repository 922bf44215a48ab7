"""Request size limit, enforced on the bytes actually received (a missing or
false Content-Length does not get past it): over the limit is 413. Request
rate per API key: a token bucket per key, over it is 429 with Retry-After."""

from __future__ import annotations

import json
import math
import threading
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimit", "KeyRateLimit"]


class KeyRateLimit:
    """At most `per_second` requests a second per key on average, `burst` at once.
    Per process: N replicas allow N times the rate in all (said in the README).
    `per_second` 0 turns it off. Safe to share between threads."""

    def __init__(self, per_second: float, burst: int) -> None:
        self.per_second = per_second
        self.burst = burst
        self._buckets: dict[int, tuple[float, float]] = {}  # key id: (tokens, at)
        self._lock = threading.Lock()

    def take(self, key_id: int, now: float | None = None) -> float:
        """0 if the request may go on (one token taken); else the seconds to wait."""
        if self.per_second <= 0:
            return 0.0
        at = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key_id, (float(self.burst), at))
            tokens = min(float(self.burst), tokens + (at - last) * self.per_second)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, at)
                return 0.0
            self._buckets[key_id] = (tokens, at)
            return (1.0 - tokens) / self.per_second

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))


class _TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _reject(send, self.max_bytes)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await _reject(send, self.max_bytes)


async def _reject(send: Send, max_bytes: int) -> None:
    body: dict[str, Any] = {
        "error": {
            "status": 413,
            "code": "too_large",
            "message": f"request body over {max_bytes:,} bytes",
            "details": [],
        }
    }
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})
