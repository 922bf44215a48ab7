"""The guard within a time budget, for callers that must answer in bounded time:
the service's /v1/scan and its events batches, `channelguard decide
--time-budget`, and `Decider.feed(..., budget=)`.

    budget = TimeBudget(5.0)                  # one unit of work: a request, a run
    found = inspect_within(guard, messages, budget)
    found[i] is None                          # the budget did not reach message i

A budget is looked at between messages (or chunks of them): a message already
begun is finished, and the first one under a budget is always inspected. A
message it did not reach is not inspected; the caller answers it fail closed
(a flagged scan, or a threat that holds T2+ actions), never as clean.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from channelguard.errors import InputError
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, ScanResult

__all__ = ["OverBudget", "TimeBudget", "inspect_within"]


class OverBudget(Exception):
    """A message the time budget did not reach: not inspected."""


class TimeBudget:
    """A deadline `seconds` from now, shared by every inspection of one unit of work."""

    def __init__(self, seconds: float, *, unit: str = "request") -> None:
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or seconds <= 0
        ):
            raise InputError(f"time budget: {seconds!r} is not a positive number of seconds")
        self.seconds = float(seconds)
        self.unit = unit  # what it bounds, for the reason: "request", "run"
        self._deadline = time.monotonic() + self.seconds
        self._used = False

    def admits(self) -> bool:
        """Whether the next message (or chunk) is inspected: the first always, later
        ones until the deadline has passed."""
        if self._used and time.monotonic() > self._deadline:
            return False
        self._used = True
        return True

    def missed(self) -> OverBudget:
        """What a message the budget did not reach gets instead of a result."""
        return OverBudget(f"the {self.unit}'s time budget of {self.seconds:g} s ran out")


def inspect_within(
    guard: Guard, messages: Sequence[Message], budget: TimeBudget | float, *, chunk: int = 1
) -> list[ScanResult | None]:
    """The guard's result per message, in order, `chunk` messages a call while the
    budget admits them; None for each message it did not reach (the caller answers
    it fail closed). A number is a fresh budget of that many seconds."""
    within = budget if isinstance(budget, TimeBudget) else TimeBudget(budget)
    out: list[ScanResult | None] = []
    for start in range(0, len(messages), chunk):
        if not within.admits():
            return out + [None] * (len(messages) - start)
        out.extend(guard.inspect_batch(messages[start : start + chunk]))
    return out
