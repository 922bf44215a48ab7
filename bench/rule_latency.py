"""What the rule packs cost per message, on one core. Prints JSON.

The `rules` detector alone (canonicalization excluded: the guard does it once
for every detector), for the default pack and for every shipped rule, with
hyperscan's prefilter and with `regex` alone, on real user turns and documents
from ../shared/datasets (the first rows of each file, same rows for every
configuration). Load time is the first build in a fresh process.

    python bench/rule_latency.py [--datasets ../shared/datasets] [--rows 400]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from channelguard.errors import run_script
from channelguard.guard.canonical import canonicalize, load_confusables
from channelguard.guard.detectors.base import Context
from channelguard.guard.detectors.rulepack import RulePack
from channelguard.guard.types import Role
from training.corpus import read_jsonl

SAMPLES = {
    "user": ["benign_customer.jsonl.gz", "benign_prompts.jsonl.gz", "attacks_injection_3.jsonl"],
    "document": ["benign_documents.jsonl.gz", "benign_tool_outputs_3.jsonl.gz"],
}


def sample(datasets: Path, role: str, n: int) -> list[Context]:
    confusables = load_confusables()
    out: list[Context] = []
    for name in SAMPLES[role]:
        taken = 0
        for r in read_jsonl(datasets / name):
            if r["role"] == role and taken < n:
                canon = canonicalize(r["text"], confusables)
                out.append(Context(role=Role(role), canonical=canon))
                taken += 1
    return out


def timed(detector: RulePack, contexts: list[Context]) -> dict[str, Any]:
    times: list[float] = []
    for c in contexts:
        t = time.perf_counter()
        detector.analyze(c)
        times.append(time.perf_counter() - t)
    times.sort()

    def at(q: float) -> float:
        return round(times[min(len(times) - 1, int(q * len(times)))] * 1e6, 1)

    return {"n": len(times), "p50_us": at(0.5), "p90_us": at(0.9), "p99_us": at(0.99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--rows", type=int, default=400, help="rows per file")
    args = parser.parse_args()
    out: dict[str, Any] = {"benchmark": "rule_pack_latency", "per_message": {}}
    t = time.perf_counter()
    default = RulePack().load()
    out["load_seconds_default_pack"] = round(time.perf_counter() - t, 2)
    contexts = {role: sample(args.datasets, role, args.rows) for role in SAMPLES}
    configs = {
        "default_pack_hyperscan": default,
        "default_pack_regex_only": RulePack().load(use_hyperscan=False),
        "every_rule_hyperscan": RulePack().load(every=True),
    }
    for name, detector in configs.items():
        out["per_message"][name] = {
            "rules": len(detector.rules),
            **{role: timed(detector, cs) for role, cs in contexts.items()},
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    run_script(main)
