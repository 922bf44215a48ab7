"""What one request may cost: `/v1/scan` takes at most `scan_max_request_chars`
characters in all (more is 422 before anything is inspected) and inspects
within `scan_time_budget_seconds`; a message the budget did not reach is
answered flagged, with a finding that says it was not inspected (fail
closed: never "clean" unread). `/v1/review` plans within
`review_plan_budget_seconds` (the plan says where it stopped). A batch of
events may carry at most the same `scan_max_request_chars` of message text in
all (the guard inspects every message's text): more is 422, naming the event;
its messages are inspected within `scan_time_budget_seconds` too (runtime/
pipeline.py: one past it counts as uninspected, a threat)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from channelguard.errors import InputError
from channelguard.guard.budget import inspect_within
from channelguard.guard.guard import Guard
from channelguard.guard.types import Domain, Finding, Message, Role, ScanResult

__all__ = ["check_event_text", "scan_within"]


def scan_within(
    guard: Guard,
    messages: Sequence[tuple[str, Role]],
    *,
    max_chars: int,
    budget_seconds: float,
) -> list[ScanResult]:
    """One result per message, in order; the first is always inspected."""
    total = sum(len(text) for text, _ in messages)
    if total > max_chars:
        raise InputError(
            f"messages: {total:,} characters in all, over the {max_chars:,} one request may "
            "have (scan_max_request_chars): send them in smaller requests"
        )
    found = inspect_within(guard, [Message(text=t, role=r) for t, r in messages], budget_seconds)
    return [_not_inspected(guard, budget_seconds) if r is None else r for r in found]


def check_event_text(events: Sequence[Any], *, max_chars: int) -> None:
    """Refuse (InputError, 422) a batch whose messages' text is over `max_chars`
    characters in all, before anything is parsed, inspected or stored; the error
    names the event at which the total passes the cap."""
    total = 0
    for index, event in enumerate(events):
        if not isinstance(event, dict) or event.get("type") != "message":
            continue
        text = event.get("text")
        if not isinstance(text, str):
            continue  # refused by the contract, naming the field
        total += len(text)
        if total > max_chars:
            raise InputError(
                f"events[{index}].text: the batch's message text reaches {total:,} characters, "
                f"over the {max_chars:,} one request may have (scan_max_request_chars): "
                "send the events in smaller batches"
            )


def _not_inspected(guard: Guard, budget_seconds: float) -> ScanResult:
    finding = Finding(
        detector="time_budget",
        domain=Domain.SECURITY,
        category="unverified_content",
        score=1.0,
        span=None,
        evidence=f"not inspected: the request's time budget of {budget_seconds:g} s ran out",
    )
    return ScanResult(
        flagged=True,
        score=1.0,
        findings=(finding,),
        threshold=guard.threshold,
        notes=(finding.evidence,),
    )
