"""Channel models from a generator written from the contract alone.

`shared/spec/channel-model.md` is all this file assumes: factors with cost,
minutes, probability, attempts and `obtainable_via`; channels of every kind;
actions with a tier, an impact and several OR-ed paths, some of them
`fallback_of` another, some with `approvals`, `any_of` items, cooling-off and
notification of the old contact. Nothing here is shaped after the engine or
the project's own generators (`bench/review_scale.py`):

- a pool of shared factors, about one in four obtainable by first completing
  an action; the actions that hand out a factor are drawn from earlier in the
  model, so the `obtainable_via` links form a random DAG with chains several
  actions deep (a factor handed out by an action whose own paths need another
  handed-out factor);
- a few library factors (`kba`, `otp_sms`, `manager_override`, ...) mixed in,
  so overrides and codes are shared across the model as in a real one;
- 1 to 4 paths per action over 8 channels of all kinds; a quarter of the
  extra paths are fallbacks (a subset of the primary path's factors), some
  need approvals;
- tiers, impacts, cooling-off and notification drawn at random.

    python bench/independent_models.py 1000 > model.yaml   # one model as YAML
"""

from __future__ import annotations

import random
import sys
from typing import Any

__all__ = ["independent"]

LIBRARY = ["kba", "otp_sms", "manager_override", "email_code", "callback_known_number"]
CHANNEL_KINDS = ["voice", "chat", "email", "sms", "video", "ai_agent", "web", "in_person"]
STAFF = {"web": "self_service", "ai_agent": "ai", "chat": "ai", "sms": "ivr"}
TIERS = ["T0", "T1", "T2", "T3", "T4"]
IMPACTS = [0, 100, 1_000, 5_000, 20_000, 100_000, 1_000_000]


def _factors(rng: random.Random, n_actions: int) -> dict[str, Any]:
    count = max(20, n_actions // 25)
    out: dict[str, Any] = {}
    for k in range(count):
        spec: dict[str, Any] = {
            "label": f"shared factor {k}",
            "attacker_cost_usd": round(rng.lognormvariate(3.5, 1.5), 2),
            "attacker_minutes": rng.choice([1, 5, 15, 60, 240]),
            "success_probability": round(rng.uniform(0.02, 0.98), 3),
            "attempts": rng.choice([1, 1, 1, 2, 3]),
            "phishing_resistant": rng.random() < 0.1,
            "source": "independent generator",
        }
        out[f"g{k}"] = spec
    return out


def _link(rng: random.Random, factors: dict[str, Any], n_actions: int) -> None:
    """About one factor in four is handed out by one or two actions: each factor k
    draws its actions from those before position ~k * n / factors, so the graph of
    'this action's path needs a factor that action hands out' has long chains."""
    names = list(factors)
    for k, name in enumerate(names):
        if rng.random() >= 0.25:
            continue
        upto = max(1, int((k + 1) * n_actions / len(names)))
        via = sorted({f"act{rng.randrange(upto)}" for _ in range(rng.choice([1, 1, 2]))})
        factors[name]["obtainable_via"] = via


def _requires(rng: random.Random, pool: list[str], near: list[str]) -> list[Any]:
    """One to three factors, preferring those handed out by recent actions."""
    items: list[Any] = []
    for _ in range(rng.randint(1, 3)):
        source = near if near and rng.random() < 0.4 else pool
        items.append(rng.choice(source))
    items = list(dict.fromkeys(items))
    if rng.random() < 0.2:
        items.append({"any_of": rng.sample(pool, 2)})
    return items


def _paths(rng: random.Random, pool: list[str], near: list[str], channels: int) -> list[Any]:
    primary = {
        "id": "main",
        "channel": f"ch{rng.randrange(channels)}",
        "requires": _requires(rng, pool, near),
    }
    paths: list[dict[str, Any]] = [primary]
    for p in range(rng.randint(0, 3)):
        path: dict[str, Any] = {"id": f"alt{p}", "channel": f"ch{rng.randrange(channels)}"}
        plain = [r for r in primary["requires"] if isinstance(r, str)]
        if rng.random() < 0.25 and len(plain) > 1:
            path["fallback_of"] = "main"
            path["requires"] = rng.sample(plain, len(plain) - 1)
        else:
            path["requires"] = _requires(rng, pool, near)
        if rng.random() < 0.1:
            path["approvals"] = rng.choice([1, 2])
        paths.append(path)
    return paths


def independent(n: int, seed: int = 23) -> dict[str, Any]:
    rng = random.Random(seed)
    factors = _factors(rng, n)
    _link(rng, factors, n)
    handed = {via: name for name, spec in factors.items() for via in spec.get("obtainable_via", [])}
    pool = list(factors) + LIBRARY
    channels = [
        {
            "id": f"ch{c}",
            "kind": CHANNEL_KINDS[c % len(CHANNEL_KINDS)],
            "hours": rng.choice(["24/7", "Mon-Fri 08:00-20:00"]),
            "staffed_by": STAFF.get(CHANNEL_KINDS[c % len(CHANNEL_KINDS)], "human"),
        }
        for c in range(8)
    ]
    actions = []
    recent: list[str] = []
    for i in range(n):
        # factors handed out by the last actions: chains build on what came before
        near = recent[-5:]
        actions.append(
            {
                "id": f"act{i}",
                "description": f"generated action {i}",
                "tier": rng.choice(TIERS),
                "impact_usd": rng.choice(IMPACTS),
                "owner": rng.choice(["operations", "security", "finance", "it"]),
                "paths": _paths(rng, pool, near, len(channels)),
                "cooling_off_hours": rng.choice([0, 0, 0, 0, 12, 24, 72]),
                "notifies_old_contact": rng.random() < 0.25,
            }
        )
        if f"act{i}" in handed:
            recent.append(handed[f"act{i}"])
    return {
        "organization": f"independent-{n}",
        "version": "bench",
        "factors": factors,
        "channels": channels,
        "actions": actions,
    }


if __name__ == "__main__":
    import yaml

    yaml.safe_dump(independent(int(sys.argv[1])), sys.stdout, sort_keys=False)
