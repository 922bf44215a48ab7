"""How far the plan's shortcuts land from slower plans, measured.

1. Small models (at most 10 candidate changes, where the review runs the exact
   plan): the exact subset search against the lazy greedy alone, on models from
   bench/independent_models.py (written from the contract alone): exposed actions
   left, friction and posture gained.
2. Large models (over 500 candidates): the plan's shortcuts (a change taken within
   LARGE_SLACK of the best left, or the best of LARGE_SCORED_PER_PICK scored)
   against the full lazy greedy (no slack, no cap), on 1,000-action models of the
   independent and crosslinked generators: posture gained, attacker cost raised,
   friction, actions closed, CPU seconds.

    python bench/plan_gap.py            # prints JSON
"""

from __future__ import annotations

import json
import time
from typing import Any

from independent_models import independent
from review_scale import crosslinked

from channelguard.model.loader import load_data
from channelguard.review import plan as P
from channelguard.review.candidates import candidates, choke_factors


def small(seeds: range) -> dict[str, Any]:
    rows = []
    for seed in seeds:
        loaded = load_data(independent(4, seed=seed), f"independent-4-{seed}")
        start = P._state(loaded)
        # the plan's candidates: factor-wide ones on choke points included
        moves = candidates(loaded, choke_factors(loaded, start.result.attacks))
        if not start.open_ or not 2 <= len(moves) <= P.EXACT_CANDIDATES:
            continue
        clock = P._Clock(deadline=None, progress=None)
        exact = P._run(start, P._exact(start, moves))
        picked = [m for m, _ in P._greedy(start, P.MAX_ITEMS, clock, moves=moves)]
        greedy = P._run(start, picked)
        rows.append(
            {
                "exposed_left_exact": len(exact.open_),
                "exposed_left_greedy": len(greedy.open_),
                "friction_exact": sum(m[0].friction for m in P._exact(start, moves)),
                "friction_greedy": sum(m[0].friction for m in picked),
                "posture_gap": round((exact.score - greedy.score) / max(exact.score, 1.0), 4),
            }
        )
    worse = [r for r in rows if r["exposed_left_greedy"] > r["exposed_left_exact"]]
    return {
        "models": len(rows),
        "greedy_leaves_more_exposed": len(worse),
        "greedy_more_friction": sum(r["friction_greedy"] > r["friction_exact"] for r in rows),
        "largest_posture_gap": max((r["posture_gap"] for r in rows), default=0.0),
    }


def large(name: str, data: dict[str, Any]) -> dict[str, Any]:
    loaded = load_data(data, name)
    out: dict[str, Any] = {"model": name, "candidates": len(candidates(loaded))}
    slack, per = P.LARGE_SLACK, P.LARGE_SCORED_PER_PICK
    for label, (s, k) in {"full_greedy": (0.0, 10**9), "plan": (slack, per)}.items():
        P.LARGE_SLACK, P.LARGE_SCORED_PER_PICK = s, k
        t = time.process_time()
        items = P.plan_within(loaded).items
        out[label] = {
            "cpu_seconds": round(time.process_time() - t, 2),
            "items": len(items),
            "posture_gained": round(sum(i.gain_usd for i in items)),
            "raised_usd": round(sum(i.raised_usd for i in items)),
            "friction": sum(i.friction for i in items),
            "closes": sum(len(i.closes) for i in items),
        }
    P.LARGE_SLACK, P.LARGE_SCORED_PER_PICK = slack, per
    return out


def main() -> None:
    print(
        json.dumps(
            {
                "benchmark": "plan_gap",
                "small_exact_vs_greedy": small(range(200)),
                "large_plan_vs_full_greedy": [
                    large("independent-1000", independent(1000)),
                    large("crosslinked-1000", crosslinked(1000)),
                ],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
