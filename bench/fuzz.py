"""Fuzz every entry point with hypothesis for a fixed number of examples; print JSON.

Entry points: channel models (structured, valid and broken; lint, load, review
with the plan), raw text as a YAML model, event streams into `decide`, raw
lines into `decide`, and JSONL lines into `scan`. A failure is any exception
other than the documented ones (ChannelGuardError) or a broken invariant
(tests/hardening/checks.py); an input slower than --max-seconds counts as a
hang. Inputs come from generators, not from data the code was shaped on.

    python bench/fuzz.py [--examples 10000] [--entry model events scan ...] [--seed 1]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from channelguard.decide.session import Decider
from channelguard.decide.stream import decide_stream
from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from channelguard.model.loader import load_data, load_file
from channelguard.model.yamlsource import parse_yaml
from tests.hardening.checks import (
    check_events,
    check_model,
    check_scan,
    expected_error,
)
from tests.hardening.strategies import events, jsonl_lines, models

BANK = load_file(ROOT / "examples" / "bank.yaml")


def _yaml_text(text: str) -> None:
    doc = parse_yaml(text, "fuzz.yaml")
    if not doc.issues and isinstance(doc.data, dict):
        load_data(doc.data, "fuzz.yaml")  # a ModelError is the documented answer


def _raw_events(guard: Guard, text: str) -> None:
    sink = io.StringIO()
    decide_stream(Decider(BANK, guard), io.StringIO(text), sink)
    for line in sink.getvalue().splitlines():
        record = json.loads(line)
        assert "internal error" not in str(record.get("error", "")), record


def _entries(guard: Guard) -> dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], None]]]:
    def stream(data: Any) -> None:
        loaded, evs = data
        if loaded is not None:
            check_events(loaded, guard, evs)

    @st.composite
    def model_and_events(draw: st.DrawFn) -> tuple[Any, list[dict[str, Any]]]:
        loaded = check_model(draw(models(valid_only=True)), plan=False)
        if loaded is None:
            return None, []
        acts = [a.id for a in loaded.model.actions]
        chans = [c.id for c in loaded.model.channels]
        return loaded, draw(st.lists(events(acts, chans), max_size=25))

    return {
        "model": (models(), lambda d: check_model(d)),
        "yaml_text": (st.text(max_size=400), _yaml_text),
        "events": (model_and_events(), stream),
        "event_lines": (
            st.lists(st.one_of(jsonl_lines(), st.text(max_size=80)), max_size=10).map(
                lambda xs: "\n".join(x.replace("\n", " ") for x in xs)
            ),
            lambda text: _raw_events(guard, text),
        ),
        "scan": (st.lists(jsonl_lines(), max_size=12), lambda lines: check_scan(guard, lines)),
    }


def run_entry(
    name: str, strategy: st.SearchStrategy[Any], check: Callable[[Any], None], n: int, limit: float
) -> dict[str, Any]:
    stats: dict[str, Any] = {"examples": 0, "failures": 0, "hangs": 0, "slowest_s": 0.0}
    failures: list[str] = []
    slowest: list[Any] = [None]

    @seed(ARGS.seed)
    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )
    @given(strategy)
    def run(value: Any) -> None:
        stats["examples"] += 1
        t = time.perf_counter()
        try:
            check(value)
        except Exception as exc:
            if not expected_error(exc):
                stats["failures"] += 1
                if len(failures) < 3:
                    failures.append("".join(traceback.format_exception_only(exc)).strip()[:500])
        took = time.perf_counter() - t
        if took > limit:
            stats["hangs"] += 1
        if took > stats["slowest_s"]:
            stats["slowest_s"] = round(took, 3)
            slowest[0] = value

    t0 = time.perf_counter()
    run()
    stats["seconds"] = round(time.perf_counter() - t0, 1)
    stats["peak_rss_mb_so_far"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    stats["first_failures"] = failures
    stats["slowest_input"] = repr(slowest[0])[:300]
    return stats


def main() -> None:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--entry", nargs="*", default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=10.0)
    ARGS = parser.parse_args()
    guard = Guard().load()
    entries = _entries(guard)
    chosen = ARGS.entry or list(entries)
    result: dict[str, Any] = {"benchmark": "fuzz", "examples_per_entry": ARGS.examples}
    for name in chosen:
        strategy, check = entries[name]
        result[name] = run_entry(name, strategy, check, ARGS.examples, ARGS.max_seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_rss_mb"] = round(peak_mb, 1)
    result["total_failures"] = sum(result[n]["failures"] for n in chosen)
    result["total_hangs"] = sum(result[n]["hangs"] for n in chosen)
    print(json.dumps(result, indent=2))


ARGS = argparse.Namespace(seed=1)

if __name__ == "__main__":
    run_script(main)
