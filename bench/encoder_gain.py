"""What the encoder stage adds to the whole guard, on the third batch of
../shared/datasets (sources the encoder's weights never saw). Prints JSON.

Three guards judge the same rows (at most --cap per set): the default set
without the encoder, with it in "cascade" mode (the default), and with it on
every inbound turn. Per set: the share flagged.

    python bench/encoder_gain.py [--datasets ../shared/datasets] [--cap 300] [--encoder-path DIR]
        [--model-path NGRAM.npz]

The n-gram heads in every column are the shipped ones unless --model-path names
another. Since 2026-12-06 the shipped heads are trained on the third batch too,
so with them the first column is in-sample; for the encoder's out-of-sample gain
give heads trained on the first and second batch only (the README's figure was
measured with the model shipped before the third batch existed).
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

from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, Role
from training.encoder import THIRD, sample_sets
from training.rows import evaluation_rows, load_rows

ENCODERS = ["encoder_injection", "encoder_fraud", "encoder_harmful"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cap", type=int, default=300)
    parser.add_argument("--encoder-path", default=None, help="an exported encoder folder")
    parser.add_argument("--model-path", default=None, help="n-gram heads (.npz) to use")
    args = parser.parse_args()
    t0 = time.time()
    rows = [r for r in evaluation_rows(load_rows(args.datasets)) if r.file in THIRD]
    rows = sample_sets(rows, args.cap)
    messages = [Message(text=r.text, role=Role(r.role)) for r in rows]
    without = [i for i in Guard().load().detector_ids if i not in ENCODERS]
    common = {"model_path": args.model_path, "encoder_path": args.encoder_path}
    guards = {
        "without_encoder": Guard(detectors=without, **common),
        "encoder_cascade": Guard(detectors=[*without, *ENCODERS], encoder="cascade", **common),
        "encoder_always": Guard(detectors=[*without, *ENCODERS], encoder="always", **common),
    }
    result: dict[str, Any] = {
        "benchmark": "encoder_gain",
        "cap": args.cap,
        "ngram_heads": args.model_path or "shipped (trained on the third batch too: in-sample)",
        "sets": {},
    }
    for name, guard in guards.items():
        flags: dict[str, list[bool]] = defaultdict(list)
        for r, x in zip(rows, guard.load().inspect_batch(messages), strict=True):
            what = "attack" if r.head else f"benign {r.group}"
            flags[f"{r.family} {r.kind} ({what})"].append(x.flagged)
        for key, values in sorted(flags.items()):
            entry = result["sets"].setdefault(key, {"n": len(values)})
            entry[name] = round(sum(values) / len(values), 4)
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    run_script(main)
