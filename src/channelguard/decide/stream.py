"""`channelguard decide`: interaction events in (JSONL), one decision per action request out.

A line that cannot be read or used yields `{"line": N, "error": "…"}` and the
run goes on, as in `scan`; the session's other events still count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TextIO

from channelguard.decide.session import Decider
from channelguard.errors import InputError

__all__ = ["DecideStats", "decide_stream"]


@dataclass(kw_only=True)
class DecideStats:
    events: int = 0
    decisions: int = 0
    failed: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def decide_stream(decider: Decider, source: TextIO, sink: TextIO) -> DecideStats:
    stats = DecideStats()
    for number, raw in enumerate(source, 1):
        line = raw.strip()
        if not line:
            continue
        stats.events += 1
        try:
            event = json.loads(line)
            if not isinstance(event, dict):
                raise InputError("expected a JSON object")
            decision = decider.feed(event)
        except json.JSONDecodeError as exc:
            _error(sink, stats, number, f"not JSON: {exc.msg}")
            continue
        except InputError as exc:
            _error(sink, stats, number, str(exc))
            continue
        if decision is not None:
            stats.decisions += 1
            stats.by_kind[decision.decision] = stats.by_kind.get(decision.decision, 0) + 1
            sink.write(json.dumps(decision.to_dict(), ensure_ascii=False) + "\n")
    return stats


def _error(sink: TextIO, stats: DecideStats, number: int, why: str) -> None:
    stats.failed += 1
    sink.write(json.dumps({"line": number, "error": f"line {number}: {why}"}) + "\n")
