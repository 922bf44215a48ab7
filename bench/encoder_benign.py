"""The whole default guard (encoder in cascade) on real benign rows of the first and
second batch of ../shared/datasets, with one or more encoder folders. Prints JSON.

Every learned stage trained on these families, so the rates are in-sample in kind
(the rows are a random draw, mostly not the ones trained on); the unseen benign
figures are the third batch's, in bench/encoder_gain.py. What this answers: does a
new encoder flag ordinary customer turns and prompts the previous one passed?

    python bench/encoder_benign.py --encoder-path DIR [--encoder-path DIR ...] [--per-family 400]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from training.corpus import read_jsonl

FILES = ["benign_customer.jsonl.gz", "benign_prompts.jsonl.gz", "benign_lookalike.jsonl"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--encoder-path", action="append", required=True)
    parser.add_argument("--per-family", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sets: dict[str, list[dict[str, Any]]] = {}
    for name in FILES:
        by: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in read_jsonl(args.datasets / name):
            if r["label"] == 0:
                by[r["source"].split(":")[0]].append(r)
        for family, rows in by.items():
            sets[f"{name.split('.')[0]}:{family}"] = rng.sample(
                rows, min(args.per_family, len(rows))
            )
    out: dict[str, Any] = {"benchmark": "encoder_benign", "sets": {}}
    for path in args.encoder_path:
        guard = Guard(encoder="cascade", encoder_path=path).load()
        for key, rows in sets.items():
            flagged = [r["text"] for r in rows if guard.inspect(r["text"], role=r["role"]).flagged]
            out["sets"].setdefault(key, {"n": len(rows)})[path] = len(flagged)
        out.setdefault("total_flagged", {})[path] = sum(v[path] for v in out["sets"].values())
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    run_script(main)
