"""The whole `channelguard review` at scale: synthetic models of 1k, 10k and 100k actions.

Two generators: `grouped` (business units of 100 actions, one in ten handing a
factor to the rest of its unit; the one the engine was first tuned on) and
`crosslinked` (shaped after issue 9's report: 40 shared factors, 8 channels,
every fifth factor obtainable through an action anywhere in the model). Each
size runs `channelguard review MODEL --format json` in a child process (YAML
read, validation, engine, policy, hardening plan and report: what a user
runs), timed (wall and CPU seconds: on a shared machine the wall clock also
waits for other work) with its peak memory, then times the parts in-process.
A third generator, `independent` (bench/independent_models.py), is written from
the contract alone, not shaped after the engine: report its figures apart. At 100k
actions the plan gets `--plan-budget 60` and the row says whether it finished.
The review is single-threaded: figures are for one core. The summary fits the
growth exponent (time ~ n^k) against n log n.

    python bench/review_scale.py                          # both generators, 1k to 100k
    python bench/review_scale.py grouped:1000 crosslinked:5000 independent:1000
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


def _independent(n: int) -> dict[str, Any]:
    # written from the contract alone (bench/independent_models.py): not ours to tune on
    from independent_models import independent

    return independent(n)


GENERATORS = {"grouped": synthetic, "crosslinked": crosslinked, "independent": _independent}


def measure(n: int, generator: str, budget: float | None) -> dict[str, Any]:
    """The whole `channelguard review FILE --format json` as a user runs it (a child
    process: YAML read, validation, engine, policy, plan, report), then the parts."""
    import os
    import tempfile

    import yaml

    from channelguard.model.loader import load_data
    from channelguard.review.engine import cheapest_attacks
    from channelguard.review.policy import check_policy

    data = GENERATORS[generator](n)
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model.yaml")
        with open(model, "w") as fh:
            yaml.safe_dump(data, fh, sort_keys=False)
        command = [
            sys.executable,
            "-m",
            "channelguard",
            "review",
            model,
            "--format",
            "json",
            "-o",
            os.path.join(tmp, "out.json"),
        ]
        if budget is not None:
            command += ["--plan-budget", str(budget)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        env = {**os.environ, "CHANNELGUARD_MAX_MODEL_MB": "100"}  # 100k actions: ~33 MB
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        wall = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time as well as wall time: on a shared machine the wall clock waits too
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        rss = cpu1.ru_maxrss
        if done.returncode != 0:
            raise SystemExit(f"review failed on {generator}-{n}: {done.stderr[:500]}")
        with open(os.path.join(tmp, "out.json")) as fh:
            summary = json.load(fh)["summary"]
    t1 = time.perf_counter()
    loaded = load_data(data, f"{generator}-{n}")
    t2 = time.perf_counter()
    result = cheapest_attacks(loaded)
    t3 = time.perf_counter()
    check_policy(loaded)
    t4 = time.perf_counter()
    return {
        "generator": generator,
        "actions": n,
        "review_seconds": round(wall, 2),
        "review_cpu_seconds": round(cpu, 2),
        "plan_budget": budget,
        "plan_complete": summary.get("plan_complete", True),
        "plan_items": summary["plan_items"],
        "exposed_before": summary["exposed"],
        "exposed_after_plan": len(summary["exposed_after_plan"] or ()),
        "review_peak_rss_mb": round(max(rss, before) / 1024, 1),
        "validate_seconds": round(t2 - t1, 3),
        "engine_seconds": round(t3 - t2, 3),
        "policy_seconds": round(t4 - t3, 3),
        "engine_converged": result.converged,
    }


DEFAULT = [
    ("grouped", 1_000),
    ("grouped", 10_000),
    ("crosslinked", 1_000),
    ("crosslinked", 10_000),
    ("grouped", 100_000),
]
BUDGET_FROM = 100_000  # at this size the plan gets --plan-budget 60 and says how far it got


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        n = int(sys.argv[3])
        print(json.dumps(measure(n, sys.argv[2], 60.0 if n >= BUDGET_FROM else None)))
        return
    runs = [(g, int(n)) for g, n in (a.split(":") for a in sys.argv[1:])] or DEFAULT
    rows = []
    for generator, n in runs:
        out = subprocess.run(
            [sys.executable, __file__, "--one", generator, str(n)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(out))
        print(json.dumps(rows[-1]), file=sys.stderr)
    growth = []
    for g in GENERATORS:
        mine = [r for r in rows if r["generator"] == g and r["plan_complete"]]
        for a, b in itertools.pairwise(mine):
            k = math.log(b["review_seconds"] / a["review_seconds"]) / math.log(
                b["actions"] / a["actions"]
            )
            nlogn = math.log(
                (b["actions"] * math.log(b["actions"])) / (a["actions"] * math.log(a["actions"]))
            ) / math.log(b["actions"] / a["actions"])
            growth.append(
                {
                    "generator": g,
                    "from": a["actions"],
                    "to": b["actions"],
                    "review_exponent": round(k, 3),
                    "n_log_n_exponent": round(nlogn, 3),
                }
            )
    targets = {
        f"{r['generator']}-{r['actions']}": r["review_seconds"]
        <= {1_000: 3, 10_000: 30}[r["actions"]]
        for r in rows
        if r["actions"] in (1_000, 10_000)
    }
    print(
        json.dumps(
            {
                "benchmark": "review_scale",
                "what": "the whole channelguard review, one core",
                "python": sys.version.split()[0],
                "sizes": rows,
                "growth": growth,
                "targets_1k_3s_10k_30s": targets,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
