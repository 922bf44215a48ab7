"""`channelguard decide`: a file of events replayed, in memory or through the
service's own ledger (`--database`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from channelguard.runtime.replay import DecideStats, decide_stream

__all__ = ["replay"]


def replay(
    events: Path,
    output: Path | None,
    *,
    model: Path,
    threshold: float,
    lenient: bool,
    shadow: bool,
    database: str | None,
    config: Path | None,
    sink: TextIO | None = None,
    time_budget: float | None = None,
) -> DecideStats:
    """Decide every line of `events`, the decisions as JSONL to `sink` (given), else
    to `output` (a file) or stdout. `time_budget`: seconds the run's messages may
    take the guard in all (None: no limit)."""
    from channelguard.decide.session import Decider
    from channelguard.guard.budget import TimeBudget
    from channelguard.guard.guard import Guard
    from channelguard.guard.scan import open_input
    from channelguard.model.loader import load_file

    if time_budget is not None:
        TimeBudget(time_budget)  # a bad value stops the run before anything loads

    service = None
    if database is not None:
        from channelguard.serve.config import ServiceConfig
        from channelguard.serve.service import Service

        settings = ServiceConfig.load(config, model=model, database_url=database,
                                      guard_threshold=threshold, strict=False if lenient else None,
                                      shadow=True if shadow else None)  # fmt: skip
        service = Service(settings, clock=None).start()  # replaying: `at` is the clock
        decider = service.ledger.decider
    else:
        guard = Guard(threshold=threshold).load()
        decider = Decider(load_file(model), guard, strict=not lenient, shadow=shadow)
    source = open_input(events)
    own = sink is None and output is not None
    if sink is None:
        sink = sys.stdout if output is None else output.open("w", encoding="utf-8")
    try:
        budget = TimeBudget(time_budget, unit="run") if time_budget is not None else None
        return decide_stream(decider, source, sink, ledger=service.ledger if service else None,
                             budget=budget)  # fmt: skip
    finally:
        source.close()
        if own:
            sink.close()
        if service is not None:
            service.stop()
