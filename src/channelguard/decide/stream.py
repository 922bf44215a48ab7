"""`channelguard decide`: interaction events in (JSONL), one decision per action request out.

A line that cannot be read or used yields `{"line": N, "error": "…"}` and the
run goes on, as in `scan`; the session's other events still count (and a bad
signal or message marks its session, see `Decider`). In lenient mode warnings
come out as `{"line": N, "warning": "…"}` and are not counted as failures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TextIO

from channelguard.decide.session import Decider
from channelguard.errors import InputError
from channelguard.lines import parse_json_line, read_lines, to_json_line

__all__ = ["DecideStats", "decide_stream"]


@dataclass(kw_only=True)
class DecideStats:
    events: int = 0
    decisions: int = 0
    failed: int = 0
    warnings: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def decide_stream(decider: Decider, source: TextIO, sink: TextIO) -> DecideStats:
    stats = DecideStats()
    for line in read_lines(source):
        stats.events += 1
        if line.error is not None:
            _write(sink, {"line": line.number, "error": line.error})
            stats.failed += 1
            continue
        try:
            decision = decider.feed(parse_json_line(line))
        except InputError as exc:
            why = str(exc)
            prefix = f"line {line.number}: "
            _write(
                sink,
                {"line": line.number, "error": why if why.startswith(prefix) else prefix + why},
            )
            stats.failed += 1
            continue
        except Exception as exc:  # a bug: reported on its line and counted, the run goes on
            _write(
                sink,
                {
                    "line": line.number,
                    "error": f"line {line.number}: internal error, please report: {exc!r}",
                },
            )
            stats.failed += 1
            continue
        for warning in decider.take_warnings():
            _write(sink, {"line": line.number, "warning": f"line {line.number}: {warning}"})
            stats.warnings += 1
        if decision is not None:
            stats.decisions += 1
            stats.by_kind[decision.decision] = stats.by_kind.get(decision.decision, 0) + 1
            _write(sink, decision.to_dict())
    return stats


def _write(sink: TextIO, record: dict[str, Any]) -> None:
    sink.write(to_json_line(record))
