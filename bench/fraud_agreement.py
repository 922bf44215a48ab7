"""What the two fraud models agreeing adds to the default guard. Prints JSON.

`encoder_fraud` reports the encoder's fraud head at its own operating point, and
also where the encoder is unsure (calibrated 0.3 to 0.5) but the n-gram fraud head
is at or over its own (guard/detectors/learned.py). One pass of the default guard
over every fraud attack row and every benign row of ../shared/datasets (at most
--cap per source, file and kind): per set, the share flagged with the agreement and
without it (the same results, agreement findings left out).

    python bench/fraud_agreement.py [--datasets ../shared/datasets] [--cap 1000]
        [--model-path NGRAM.npz] [--multilingual off]

Which rows are unseen: the encoder trained on the first and second batch; the
shipped n-gram heads on every batch. With --model-path naming the n-gram heads
shipped before the third batch (commit 0a47ee9), the third batch's Mendeley
smishing set is unseen by both models; every other fraud set is in-sample for them.
The agreement's floor (0.3) was chosen on these rows, Mendeley included.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generalization import cap_rows

from channelguard.errors import run_script
from channelguard.guard.detectors.learned import is_agreement
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, Role, ScanResult
from training.rows import evaluation_rows, load_rows


def without_agreement(result: ScanResult) -> bool:
    return any(f.score >= result.threshold and not is_agreement(f) for f in result.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cap", type=int, default=1000)
    parser.add_argument("--model-path", default=None, help="n-gram heads (.npz) to use")
    parser.add_argument("--multilingual", choices=["off", "auto", "on"], default="off")
    args = parser.parse_args()
    t0 = time.time()
    rows = [r for r in evaluation_rows(load_rows(args.datasets)) if r.head in (None, "fraud")]
    rows = cap_rows(rows, args.cap)
    guard = Guard(model_path=args.model_path, multilingual=args.multilingual).load()
    results = guard.inspect_batch([Message(text=r.text, role=Role(r.role)) for r in rows])
    sets: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for r, x in zip(rows, results, strict=True):
        key = f"{r.family} {r.file} ({'attack' if r.head else 'benign ' + r.group})"
        sets[key]["with"].append(x.flagged)
        sets[key]["without"].append(without_agreement(x))
    out: dict[str, Any] = {
        "benchmark": "fraud_agreement",
        "cap": args.cap,
        "ngram_heads": args.model_path or "shipped (trained on every batch: in-sample)",
        "multilingual": args.multilingual,
        "sets": {
            key: {
                "n": len(v["with"]),
                "without_agreement": round(sum(v["without"]) / len(v["with"]), 4),
                "with_agreement": round(sum(v["with"]) / len(v["with"]), 4),
            }
            for key, v in sorted(sets.items())
        },
    }
    out["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    run_script(main)
