"""Review engine at scale: synthetic models of 1k, 10k and 100k actions.

Each size runs in a fresh subprocess (so peak memory is its own) and prints one
JSON object: seconds to validate the model, seconds for the path engine, the
policy check, and peak resident memory. The engine is single-threaded, so the
figures are for one core. The summary fits the growth exponent between sizes
(time ~ n^k) and compares it with n log n.

    python bench/review_scale.py            # 100 to 100k; the full review up to 400
    python bench/review_scale.py 1000 5000  # chosen sizes
"""

from __future__ import annotations

import itertools
import json
import math
import random
import resource
import subprocess
import sys
import time
from typing import Any

# the whole `channelguard review` (engine, policy and plan) is timed up to this size:
# the plan is the part that does not scale yet (issue 9)
PLAN_UP_TO = 400

LIBRARY = [
    "kba",
    "account_details",
    "pin",
    "otp_sms",
    "email_code",
    "app_push_number_match",
    "callback_known_number",
    "caller_id_match",
    "voice_biometrics",
    "manager_override",
    "document_upload",
    "sim_swap_check",
]
GROUP = 100  # actions per business unit; one in ten of them hands a factor to the rest


def synthetic(n: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    factors: dict[str, Any] = {}
    actions = []
    for i in range(n):
        group = i // GROUP
        held = f"held_{group}_{i % 10}"
        if i % 10 == 0:
            for k in range(10):
                factors[f"held_{group}_{k}"] = {
                    "attacker_cost_usd": rng.choice([50, 200, 1000]),
                    "attacker_minutes": 30,
                    "success_probability": rng.choice([0.1, 0.3, 0.6]),
                    "source": "synthetic",
                    "obtainable_via": [f"a{group * GROUP + (k * 10) % GROUP}"],
                }
        paths = []
        for p in range(rng.randint(1, 3)):
            requires: list[Any] = rng.sample(LIBRARY, rng.randint(1, 2))
            if rng.random() < 0.5 and f"held_{group}_0" in factors:
                requires.append(held if held in factors else f"held_{group}_0")
            if rng.random() < 0.2:
                requires.append({"any_of": rng.sample(LIBRARY, 2)})
            paths.append(
                {
                    "id": f"p{p}",
                    "channel": rng.choice(["phone", "chat", "ivr"]),
                    "requires": requires,
                }
            )
        actions.append(
            {
                "id": f"a{i}",
                "tier": rng.choice(["T1", "T2", "T3", "T4"]),
                "impact_usd": rng.choice([100, 1000, 10000, 100000]),
                "owner": "operations",
                "paths": paths,
                "cooling_off_hours": rng.choice([0, 0, 24]),
                "notifies_old_contact": rng.random() < 0.3,
            }
        )
    return {
        "organization": f"synthetic-{n}",
        "version": "bench",
        "factors": factors,
        "channels": [{"id": c, "kind": "voice", "staffed_by": "human"} for c in ("phone", "ivr")]
        + [{"id": "chat", "kind": "ai_agent", "staffed_by": "ai"}],
        "actions": actions,
    }


SHARED_FACTORS = 40
CHANNELS = 8


def crosslinked(n: int, seed: int = 11) -> dict[str, Any]:
    """A second generator, shaped like the issue's report rather than like our first:
    40 shared factors, 8 channels, every fifth factor obtainable through some action
    anywhere in the model (so changes reach across it), library factors mixed in."""
    rng = random.Random(seed)
    factors: dict[str, Any] = {}
    for k in range(SHARED_FACTORS):
        spec: dict[str, Any] = {
            "attacker_cost_usd": rng.choice([5, 20, 100, 500, 5000]),
            "attacker_minutes": rng.choice([5, 30, 120]),
            "success_probability": rng.choice([0.05, 0.2, 0.5, 0.9]),
            "source": "synthetic",
        }
        if k % 5 == 0:
            spec["obtainable_via"] = [f"x{rng.randrange(n)}"]
        if rng.random() < 0.15:
            spec["phishing_resistant"] = True
        factors[f"f{k}"] = spec
    names = list(factors) + LIBRARY
    channels = [
        {
            "id": f"c{c}",
            "kind": ["voice", "web", "ai_agent", "email"][c % 4],
            "staffed_by": ["human", "ai", "self_service"][c % 3],
        }
        for c in range(CHANNELS)
    ]
    actions = []
    for i in range(n):
        paths = []
        for p in range(rng.randint(1, 4)):
            requires: list[Any] = rng.sample(names, rng.randint(1, 3))
            if rng.random() < 0.25:
                requires.append({"any_of": rng.sample(names, 2)})
            paths.append(
                {
                    "id": f"p{p}",
                    "channel": f"c{rng.randrange(CHANNELS)}",
                    "requires": requires,
                    "approvals": 1 if rng.random() < 0.05 else 0,
                }
            )
        actions.append(
            {
                "id": f"x{i}",
                "tier": rng.choice(["T0", "T1", "T2", "T3", "T4"]),
                "impact_usd": rng.choice([50, 500, 5000, 50000, 500000]),
                "owner": "operations",
                "paths": paths,
                "cooling_off_hours": rng.choice([0, 0, 0, 24, 72]),
                "notifies_old_contact": rng.random() < 0.3,
            }
        )
    return {
        "organization": f"crosslinked-{n}",
        "version": "bench",
        "factors": factors,
        "channels": channels,
        "actions": actions,
    }


GENERATORS = {"grouped": synthetic, "crosslinked": crosslinked}


def measure(n: int) -> dict[str, Any]:
    from channelguard.model.loader import load_data
    from channelguard.review.engine import cheapest_attacks
    from channelguard.review.policy import check_policy

    data = synthetic(n)
    t0 = time.perf_counter()
    loaded = load_data(data, f"synthetic-{n}")
    t1 = time.perf_counter()
    result = cheapest_attacks(loaded)
    t2 = time.perf_counter()
    findings = check_policy(loaded)
    t3 = time.perf_counter()
    chains = sum(1 for a in result.attacks.values() if a is not None and len(a.steps) > 1)
    full: dict[str, Any] = {"full_review_seconds": None, "note": f"plan not run above {PLAN_UP_TO}"}
    if n <= PLAN_UP_TO:
        from channelguard.review.review import run_review

        t4 = time.perf_counter()
        review = run_review(loaded, with_plan=True)
        full = {
            "full_review_seconds": round(time.perf_counter() - t4, 2),
            "plan_items": len(review.plan),
            "exposed_before": sum(a.exposed for a in review.actions),
            "exposed_after_plan": len(review.residual_exposed),
        }
    return {
        **full,
        "actions": n,
        "validate_seconds": round(t1 - t0, 3),
        "engine_seconds": round(t2 - t1, 3),
        "policy_seconds": round(t3 - t2, 3),
        "evaluations": result.evaluations,
        "converged": result.converged,
        "actions_reached_by_chains": chains,
        "findings": len(findings),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    sizes = [int(a) for a in sys.argv[1:]] or [100, 200, 400, 1_000, 10_000, 100_000]
    rows = []
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], check=True, capture_output=True, text=True
        ).stdout
        rows.append(json.loads(out))
    growth = []
    for a, b in itertools.pairwise(rows):
        k = math.log(b["engine_seconds"] / max(a["engine_seconds"], 1e-6)) / math.log(
            b["actions"] / a["actions"]
        )
        nlogn = math.log(
            (b["actions"] * math.log(b["actions"])) / (a["actions"] * math.log(a["actions"]))
        ) / math.log(b["actions"] / a["actions"])
        growth.append(
            {
                "from": a["actions"],
                "to": b["actions"],
                "engine_exponent": round(k, 3),
                "n_log_n_exponent": round(nlogn, 3),
            }
        )
    ten_k = next((r for r in rows if r["actions"] == 10_000), None)
    print(
        json.dumps(
            {
                "benchmark": "review_scale",
                "python": sys.version.split()[0],
                "sizes": rows,
                "growth": growth,
                "target_10k_engine_under_2s": None
                if ten_k is None
                else ten_k["engine_seconds"] < 2.0,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
