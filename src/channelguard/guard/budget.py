"""The guard within a time budget, for callers that must answer in bounded time
(the service's /v1/scan and its events batches)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, ScanResult

__all__ = ["inspect_within"]


def inspect_within(
    guard: Guard, messages: Sequence[Message], budget_seconds: float, *, chunk: int = 1
) -> list[ScanResult | None]:
    """The guard's result per message, in order, `chunk` messages a call until
    `budget_seconds` have passed; None for each message the budget did not reach
    (the caller answers it fail closed). The first chunk is always inspected."""
    deadline = time.monotonic() + budget_seconds
    out: list[ScanResult | None] = []
    for start in range(0, len(messages), chunk):
        if start and time.monotonic() > deadline:
            return out + [None] * (len(messages) - start)
        out.extend(guard.inspect_batch(messages[start : start + chunk]))
    return out
