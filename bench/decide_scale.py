"""Runtime decisions: cost of the first and of a repeated request per action. Prints JSON.

An action's routes (its paths hardened to the tier policy) are worked out on
its first request and cached; this measures both on the synthetic models of
bench/review_scale.py, one process, one core.

    python bench/decide_scale.py [--sizes 1000 10000] [--requests 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_scale import synthetic

from channelguard.decide.session import Decider
from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from channelguard.model.loader import load_data


def measure(guard: Guard, size: int, requests: int) -> dict[str, object]:
    loaded = load_data(synthetic(size), f"synthetic-{size}")
    t = time.perf_counter()
    decider = Decider(loaded, guard)
    init_s = time.perf_counter() - t
    actions = [a for a in loaded.model.actions if a.paths][:requests]
    first, again = [], []
    for i, action in enumerate(actions):
        event = {
            "session": f"s{i}",
            "channel": action.paths[0].channel,
            "type": "action_request",
            "action": action.id,
        }
        for sink in (first, again):
            t = time.perf_counter()
            decider.feed(event)
            sink.append(time.perf_counter() - t)
    return {
        "actions_in_model": size,
        "requests": len(actions),
        "decider_init_s": round(init_s, 4),
        "first_request_mean_s": round(statistics.fmean(first), 4),
        "repeat_request_mean_ms": round(statistics.fmean(again) * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    guard = Guard().load()
    results = [measure(guard, n, args.requests) for n in args.sizes]
    print(json.dumps({"benchmark": "decide_scale", "results": results}, indent=2))


if __name__ == "__main__":
    run_script(main)
