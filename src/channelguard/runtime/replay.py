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
the service stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TextIO

from channelguard.decide.session import Decider
from channelguard.errors import InputError
from channelguard.lines import Line, parse_json_line, read_lines, to_json_line
from channelguard.runtime.events import Rejected
from channelguard.runtime.ledger import Ledger
from channelguard.runtime.pipeline import Pipeline, Received, receive

__all__ = ["DecideStats", "decide_stream"]


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


def decide_stream(
    decider: Decider, source: TextIO, sink: TextIO, *, ledger: Ledger | None = None
) -> DecideStats:
    stats = DecideStats()
    pipeline = Pipeline(decider)
    for line in read_lines(source):
        stats.events += 1
        try:
            done = _line(line, pipeline, ledger)
        except Exception as exc:  # a bug: reported on its line and counted, the run goes on
            done = _Done(errors=(f"internal error, please report: {exc!r}",))
        _report(sink, line.number, done, stats)
    return stats


def _line(line: Line, pipeline: Pipeline, ledger: Ledger | None) -> _Done:
    if line.error is not None:
        return _Done(errors=(line.error,))
    try:
        received = receive(parse_json_line(line))
    except InputError as exc:
        return _Done(errors=(str(exc),))
    if ledger is not None:
        return _stored(received, ledger)
    event = received.event
    if event.session is None:  # not readable as any session's event
        return _Done(errors=(event.error,) if isinstance(event, Rejected) else ())
    local = pipeline.decider.local
    step = pipeline.step(local.state(event.session), event)
    local.keep(step.state)
    errors = (step.error,) if step.error is not None else ()
    decision = step.decision.to_dict() if step.decision is not None else None
    return _Done(decision=decision, warnings=step.warnings, errors=errors)


def _stored(received: Received, ledger: Ledger) -> _Done:
    """One event through the service's ledger: stored, decided, filed."""
    event = received.event
    if event.session is None:
        return _Done(errors=(event.error,) if isinstance(event, Rejected) else ())
    result = ledger.record(event.session, [received])
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
