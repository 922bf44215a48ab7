"""`channelguard decide`: a file of events replayed through the pipeline.

Replaying, each event's `at` is the clock: an event earlier than its session's
previous one is out of order, an error line (and its session is marked). A
line that cannot be read or used yields `{"line": N, "error": "…"}` and the
run goes on, as in `scan`; the session's other events still count (and a bad
signal or message marks its session, see `Decider`). In lenient mode warnings
come out as `{"line": N, "warning": "…"}` and are not counted as failures.

Without a database the state is kept in memory and nothing is filed. With
one (`--database URL`) each event goes through the service's own ledger
(runtime/ledger.py): events, decisions and incidents are stored exactly as
the service stores them, CHUNK events to a transaction (one commit each was
most of a replay's time). Their lines are written once the chunk is committed.
When a chunk fails, its events are recorded again one transaction each, so
the event that fails is an error line and the others are stored.

With a time budget (`--time-budget SECONDS`, guard/budget.py) the run's
messages are inspected within it, all lines together: a message it did not
reach counts as uninspected, a threat (its session's T2+ actions hold, the
reason says the time budget ran out), never as clean. Without one every
message is inspected, however long that takes (a replay is not a request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TextIO

from channelguard.decide.events import Rejected
from channelguard.decide.session import Decider
from channelguard.errors import ChannelGuardError, InputError
from channelguard.guard.budget import TimeBudget
from channelguard.lines import Line, parse_json_line, read_lines, to_json_line
from channelguard.runtime.ledger import Batch, BatchResult, Ledger
from channelguard.runtime.pipeline import Pipeline, Received, receive

__all__ = ["CHUNK", "DecideStats", "decide_stream"]

CHUNK = 200  # events recorded in one transaction when replaying into a database


@dataclass(kw_only=True)
class DecideStats:
    events: int = 0
    decisions: int = 0
    failed: int = 0
    warnings: int = 0
    incidents: set[int] = field(default_factory=set)
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class _Done:
    """One line's result: its decision, warnings and what was wrong."""

    decision: dict[str, Any] | None = None
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    incidents: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class _Pending:
    """A line read for the ledger: its batch to record, or already its result."""

    number: int
    batch: Batch | None = None
    done: _Done | None = None


def decide_stream(
    decider: Decider,
    source: TextIO,
    sink: TextIO,
    *,
    ledger: Ledger | None = None,
    budget: TimeBudget | None = None,
) -> DecideStats:
    """Decide every line of `source`, its results as JSONL to `sink`. `budget`: the
    time the whole run's messages may take the guard (None: no limit)."""
    stats = DecideStats()
    pipeline = Pipeline(decider)
    pending: list[_Pending] = []
    for line in read_lines(source):
        stats.events += 1
        if ledger is None:
            _report(sink, line.number, _in_memory(line, pipeline, budget), stats)
            continue
        pending.append(_pending(line, ledger, budget))
        if len(pending) >= CHUNK:
            _flush(pending, ledger, sink, stats)
            pending = []
    if ledger is not None and pending:
        _flush(pending, ledger, sink, stats)
    return stats


def _in_memory(line: Line, pipeline: Pipeline, budget: TimeBudget | None) -> _Done:
    try:
        return _line(line, pipeline, budget)
    except Exception as exc:  # a bug: reported on its line and counted, the run goes on
        return _Done(errors=(f"internal error, please report: {exc!r}",))


def _failed(exc: Exception) -> _Done:
    """A ledger's refusal (a bad session id, the database) as it says it;
    anything else is a bug, reported on its line and counted."""
    if isinstance(exc, ChannelGuardError):
        return _Done(errors=(str(exc),))
    return _Done(errors=(f"internal error, please report: {exc!r}",))


def _line(line: Line, pipeline: Pipeline, budget: TimeBudget | None) -> _Done:
    received = _received(line)
    if isinstance(received, _Done):
        return received
    event = received.event
    local = pipeline.decider.local
    scan = pipeline.inspect([event], budget=budget).get(0) if budget is not None else None
    step = pipeline.step(local.state(str(event.session)), event, scan)
    local.keep(step.state)
    errors = (step.error,) if step.error is not None else ()
    decision = step.decision.to_dict() if step.decision is not None else None
    return _Done(decision=decision, warnings=step.warnings, errors=errors)


def _received(line: Line) -> Received | _Done:
    """The line's event, or what was wrong with it (no session's event: an error)."""
    if line.error is not None:
        return _Done(errors=(line.error,))
    try:
        received = receive(parse_json_line(line))
    except InputError as exc:
        return _Done(errors=(str(exc),))
    event = received.event
    if event.session is None:  # not readable as any session's event
        return _Done(errors=(event.error,) if isinstance(event, Rejected) else ())
    return received


def _pending(line: Line, ledger: Ledger, budget: TimeBudget | None) -> _Pending:
    try:
        received = _received(line)
        if isinstance(received, _Done):
            return _Pending(number=line.number, done=received)
        batch = ledger.prepare(str(received.event.session), [received], budget=budget)
    except Exception as exc:  # its error line; the run goes on
        return _Pending(number=line.number, done=_failed(exc))
    return _Pending(number=line.number, batch=batch)


def _flush(pending: list[_Pending], ledger: Ledger, sink: TextIO, stats: DecideStats) -> None:
    """Record the chunk in one transaction and report its lines in order; if it
    fails, each event again in its own, so only the failing one is an error."""
    batches = [p.batch for p in pending if p.batch is not None]
    try:
        results = iter(ledger.record_all(batches))
        done = [p.done if p.batch is None else _stored(next(results)) for p in pending]
    except Exception:  # rolled back whole: nothing of the chunk was stored
        done = [p.done if p.batch is None else _alone(p.batch, ledger) for p in pending]
    for p, result in zip(pending, done, strict=True):
        _report(sink, p.number, result or _Done(), stats)


def _alone(batch: Batch, ledger: Ledger) -> _Done:
    try:
        return _stored(ledger.record_all([batch])[0])
    except Exception as exc:  # this event's own failure: its error line
        return _failed(exc)


def _stored(result: BatchResult) -> _Done:
    """One event's result from the service's ledger: stored, decided, filed."""
    return _Done(
        decision=result.decisions[0] if result.decisions else None,
        warnings=tuple(result.warnings),
        errors=tuple(str(e["error"]) for e in result.errors),
        incidents=tuple(result.incidents),
    )


def _report(sink: TextIO, number: int, done: _Done, stats: DecideStats) -> None:
    prefix = f"line {number}: "
    for why in done.errors:
        _write(sink, {"line": number, "error": why if why.startswith(prefix) else prefix + why})
        stats.failed += 1
    for warning in done.warnings:
        _write(sink, {"line": number, "warning": prefix + warning})
        stats.warnings += 1
    stats.incidents.update(done.incidents)
    if done.decision is not None:
        stats.decisions += 1
        kind = str(done.decision["decision"])
        stats.by_kind[kind] = stats.by_kind.get(kind, 0) + 1
        _write(sink, done.decision)


def _write(sink: TextIO, record: dict[str, Any]) -> None:
    sink.write(to_json_line(record))
