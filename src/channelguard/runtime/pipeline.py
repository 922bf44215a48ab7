"""One event's way through the run time: guard -> decide -> file.

    received = receive(raw, session="s1")        # the edge: parsed once
    scans = pipeline.inspect([received.event])   # guard: one call a batch
    scans = pipeline.inspect(events, budget=TimeBudget(5.0))  # within a time budget
    step = pipeline.step(state, received.event, scans.get(0))
    step.decision, step.filings                  # decide, then what to file

The service (runtime/ledger.py, state in the database), `channelguard decide`
(runtime/replay.py, state in memory or in the database) and the Python API
all take this path; only where the state is kept, and whether the filings
are stored, differ. So does the time budget (guard/budget.py): the service
gives one to each batch, `decide --time-budget` one to the whole run, and
`Decider.feed(..., budget=)` whatever the caller shares between its calls; a
message the budget did not reach counts as uninspected, a threat.

Each stage is an OpenTelemetry span (`channelguard.guard`, `channelguard.decide`,
`channelguard.file`) on the tracer given, or the global one: a no-op unless an SDK
is configured (the service's `telemetry:` setting). Spans carry counts, outcomes
and rule ids only: never message text, claimed identities or session ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from opentelemetry import trace
from sqlalchemy.orm import Session

from channelguard.decide.decision import Decision
from channelguard.decide.events import Event, Message, Rejected, parse_event
from channelguard.decide.session import Decider
from channelguard.decide.step import RunState
from channelguard.guard.budget import OverBudget, TimeBudget, inspect_within
from channelguard.guard.guard import Guard
from channelguard.guard.types import Finding, ScanResult
from channelguard.guard.types import Message as Text
from channelguard.runtime.filing import Filer, Filing

__all__ = ["OverBudget", "Pipeline", "Received", "Step", "Tracer", "receive"]

Tracer = trace.Tracer  # the OpenTelemetry API's: the service passes its SDK's in

Scan = ScanResult | Exception  # the guard's result; an Exception: it failed on this message
BUDGET_CHUNK = 8  # messages inspected in one call between two looks at the time budget


@dataclass(frozen=True, kw_only=True, slots=True)
class Received:
    """An event as sent (kept for the record, never read) and as parsed."""

    raw: Any
    event: Event | Rejected
    # the claimed identity as sent, before the service put it in stored form
    # (only to re-key a register kept before hashing: runtime/ledger.py)
    sent_identity: str | None = None


def receive(raw: Any, *, session: str | None = None, sent_identity: str | None = None) -> Received:
    """The edge: one raw event parsed into the contract (decide/events.py)."""
    event = parse_event(raw, session=session)
    return Received(raw=raw, event=event, sent_identity=sent_identity)


@dataclass(frozen=True, kw_only=True, slots=True)
class Step:
    """One event through the pipeline: the state after it, the decision (action
    requests), the incidents it calls for, the findings on the agent's own
    output, lenient-mode warnings and what was wrong with the event."""

    state: RunState
    decision: Decision | None = None
    filings: tuple[Filing, ...] = ()
    findings: tuple[Finding, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None


class Pipeline:
    def __init__(
        self, decider: Decider, filer: Filer | None = None, *, tracer: trace.Tracer | None = None
    ) -> None:
        self.decider = decider
        self.filer = filer  # None: decide only, nothing is filed
        self.tracer = tracer or trace.get_tracer("channelguard.runtime")

    def inspect(
        self,
        events: Sequence[Event | Rejected],
        guard: Guard | None = None,
        *,
        budget: TimeBudget | None = None,
    ) -> dict[int, Scan]:
        """The guard's results for the messages among `events` (by index), in one
        call: inbound ones are evidence for decide; the agent's own turns are
        inspected only when filing (their harms become incidents). `guard`: the
        tenant's calibrated guard (default: the decider's). A failing batch leaves
        each message to be inspected on its own in its step (by the decider's).
        `budget`: messages are inspected a few at a time and those the budget did
        not reach get an OverBudget error instead, which the step counts as an
        uninspected message (a threat: fail closed); the first ones under a budget
        are always inspected."""
        wanted = [
            (index, e)
            for index, e in enumerate(events)
            if isinstance(e, Message) and (not e.outbound or self.filer is not None)
        ]
        if not wanted:
            return {}
        with self.tracer.start_as_current_span("channelguard.guard") as span:
            span.set_attribute("channelguard.messages", len(wanted))
            try:
                texts = [Text(text=e.text, role=e.role) for _, e in wanted]
                results = _within(guard or self.decider.guard, texts, budget)
            except Exception as exc:
                span.set_attribute("channelguard.guard.failed", type(exc).__name__)
                return {}
            found = sum(len(r.findings) for r in results if isinstance(r, ScanResult))
            span.set_attribute("channelguard.findings", found)
        return {index: r for (index, _), r in zip(wanted, results, strict=True)}

    def step(self, state: RunState, event: Event | Rejected, scan: Scan | None = None) -> Step:
        """guard (`scan`, or inspected here) -> decide -> what to file."""
        with self.tracer.start_as_current_span("channelguard.decide") as span:
            done = self._step(state, event, scan)
            span.set_attribute("channelguard.event", type(event).__name__.lower())
            if done.decision is not None:
                span.set_attribute("channelguard.decision", done.decision.decision)
                span.set_attribute("channelguard.rule", done.decision.rule or "")
            span.set_attribute("channelguard.filings", len(done.filings))
            return done

    def file(
        self, filing: Filing, *, tenant: str, caused_by: str | None, session: Session | None
    ) -> int:
        """Store a filing in the register (in the caller's transaction); the incident id."""
        if self.filer is None:
            raise ValueError("this pipeline files nothing: it was built without a Filer")
        with self.tracer.start_as_current_span("channelguard.file") as span:
            incident = self.filer.file(filing, tenant=tenant, caused_by=caused_by, session=session)
            span.set_attribute("channelguard.incident", incident)
            return incident

    def _step(self, state: RunState, event: Event | Rejected, scan: Scan | None) -> Step:
        if isinstance(event, Rejected):  # an action request's still has its decision
            outcome = self.decider.reject(state, event)
            return Step(state=state, decision=outcome.decision, error=outcome.error)
        outcome = self.decider.step(state, event, scan)
        done = Step(state=state, decision=outcome.decision, warnings=outcome.warnings,
                    error=outcome.error)  # fmt: skip
        if outcome.error is not None:
            return done  # a refused action request: its fail-closed decision, not filed
        if isinstance(event, Message) and event.outbound:
            return self._output(done, event, scan)
        if outcome.decision is None or self.filer is None:
            return done
        filing = self.filer.decision(
            outcome.decision,
            self.decider.tier_of(outcome.decision.action),
            channel=_channel(state),
            claimed=event.claimed_identity,
        )
        return _with(done, filing)

    def _output(self, done: Step, event: Message, scan: Scan | None) -> Step:
        """The agent's own turn: its safety side (leaks, toxic text) is filed."""
        if self.filer is None:
            return done
        scan = scan if scan is not None else self.decider.inspect(event)
        if isinstance(scan, Exception):
            return done
        filing = self.filer.output(
            done.state.session_id,
            list(scan.findings),
            channel=_channel(done.state),
            claimed=event.claimed_identity,
        )
        return replace(_with(done, filing), findings=scan.findings)


def _within(guard: Guard, texts: list[Text], budget: TimeBudget | None) -> list[Scan]:
    """The guard's results, a chunk at a time once a budget is set; past it, the
    messages left are OverBudget (the first chunk under a budget is always inspected)."""
    if budget is None:
        return list(guard.inspect_batch(texts))
    found = inspect_within(guard, texts, budget, chunk=BUDGET_CHUNK)
    return [budget.missed() if r is None else r for r in found]


def _channel(state: RunState) -> str | None:
    return state.session.channel if state.session is not None else None


def _with(step: Step, filing: Filing | None) -> Step:
    if filing is None:
        return step
    return replace(step, filings=(*step.filings, filing))
