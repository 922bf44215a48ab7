"""The red-team trials' messages, judged by the default guard. Prints JSON.

Each file of `bench/trials/` is one trial (docs/trials.md): messages another
session wrote and froze before running anything, one JSON line each with `id`
(`a…` an attack, `b…` a harmless message), `kind`, `lang`, `role` and `text`. The
first run on a pinned commit is the out-of-sample figure the docs quote; every run
after the fixes it led to is in-sample for them, and says so.

    python bench/trials.py [--trials bench/trials] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from training.corpus import read_jsonl


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=Path, default=Path(__file__).resolve().parent / "trials")
    ap.add_argument("-v", action="store_true", help="list the misses and false positives")
    args = ap.parse_args()
    guard = Guard().load()
    out: dict[str, object] = {"benchmark": "trials", "in_sample": True, "trials": {}}
    for path in sorted(args.trials.glob("*.jsonl")):
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        wrong = []
        for row in read_jsonl(path):
            attack = str(row["id"]).startswith("a")
            flagged = guard.inspect(row["text"], role=row["role"]).flagged
            for key in ("attacks caught" if attack else "harmless flagged", f"{row['kind']}"):
                tally[key][0] += int(flagged)
                tally[key][1] += 1
            if flagged != attack:
                wrong.append(f"{row['id']} {row['kind']} {row['lang']}: {row['text'][:100]}")
        out["trials"][path.stem] = {  # type: ignore[index]
            **{k: tally[k] for k in sorted(tally)},
            **({"wrong": wrong} if args.v else {}),
        }
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    run_script(main)
