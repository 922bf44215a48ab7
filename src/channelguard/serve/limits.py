"""Request rate per API key: a token bucket per key, over it is 429 with
Retry-After. (The body's size, nesting and keys: serve/body.py.)"""

from __future__ import annotations

import math
import threading
import time

__all__ = ["KeyRateLimit"]


class KeyRateLimit:
    """At most `per_second` requests a second per key on average, `burst` at once.
    Per process: N replicas allow N times the rate in all (said in docs/security-model.md).
    `per_second` 0 turns it off. Safe to share between threads. The key is a key
    id, or a client address for requests without a valid key; at most
    `max_buckets` are kept (full buckets are forgotten first: a flood of new
    addresses cannot grow it without end)."""

    def __init__(self, per_second: float, burst: int, max_buckets: int = 100_000) -> None:
        self.per_second = per_second
        self.burst = burst
        self.max_buckets = max_buckets
        self._buckets: dict[int | str, tuple[float, float]] = {}  # key: (tokens, at)
        self._lock = threading.Lock()

    def take(self, key_id: int | str, now: float | None = None) -> float:
        """0 if the request may go on (one token taken); else the seconds to wait."""
        if self.per_second <= 0:
            return 0.0
        at = time.monotonic() if now is None else now
        with self._lock:
            if key_id not in self._buckets and len(self._buckets) >= self.max_buckets:
                self._forget(at)
            tokens, last = self._buckets.get(key_id, (float(self.burst), at))
            tokens = min(float(self.burst), tokens + (at - last) * self.per_second)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, at)
                return 0.0
            self._buckets[key_id] = (tokens, at)
            return (1.0 - tokens) / self.per_second

    def _forget(self, at: float) -> None:
        """Drop the buckets that have refilled (they hold nothing); if none has, the
        oldest half (forgetting a bucket only ever lets its key start afresh)."""
        full = [k for k, (t, last) in self._buckets.items()
                if t + (at - last) * self.per_second >= self.burst]  # fmt: skip
        for k in (
            full
            or sorted(self._buckets, key=lambda k: self._buckets[k][1])[: len(self._buckets) // 2]
        ):
            del self._buckets[k]

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
