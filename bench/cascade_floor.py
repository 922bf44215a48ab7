"""What the cascade floor buys: the encoder read on more user turns. Prints JSON.

In "cascade" mode a user turn goes to the encoder when a cheap head scores it at
least CASCADE_FLOOR (0.2, calibrated). One pass with the encoder on every user turn
and one with it off (the multilingual stage on in both) give, with each turn's
cheap score, exactly what any floor would flag: a turn under the floor keeps the
second pass's verdict, one at or over it the first's (a turn the `injection` head
is already sure of keeps the second's, as the guard does). Per set of user turns
(at most --cap rows a family): the share flagged at each floor, and the share of
turns the encoder reads (its cost).

    python bench/cascade_floor.py --encoder-path DIR --model-path NGRAM.npz [--cap 300]

`bench/encoder_gate.py` measures the same knob on the third batch alone, running
the guard once a floor and timing the encoder; this script reads the benign user
turns of every batch and derives every floor from two passes.

For figures on sources no learned part saw, give an encoder and n-gram heads that
never trained on the families named in --held-out (the README's: the encoder of
build/encoder_windows, four families held out, and the n-gram heads of commit
0a47ee9, which never saw the third batch).
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
from channelguard.guard.guard import CASCADE_SURE, Guard
from channelguard.guard.types import Message, Role
from training.encoder import THIRD, sample_sets
from training.rows import evaluation_rows, load_rows

ENCODERS = ["encoder_injection", "encoder_fraud", "encoder_harmful"]
FLOORS = [0.2, 0.1, 0.05, 0.02, 0.0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cap", type=int, default=300)
    parser.add_argument("--encoder-path", default=None, help="an exported encoder folder")
    parser.add_argument("--model-path", default=None, help="n-gram heads (.npz) to use")
    parser.add_argument(
        "--held-out",
        default="deepset_prompt_injections,ailuminate,mendeley_smishing",
        help="attack families neither learned stage trained on (labelled so)",
    )
    args = parser.parse_args()
    t0 = time.time()
    rows = [r for r in evaluation_rows(load_rows(args.datasets)) if r.role == "user"]
    rows = sample_sets(rows, args.cap)
    messages = [Message(text=r.text, role=Role(r.role)) for r in rows]
    common = {"model_path": args.model_path, "encoder_path": args.encoder_path}
    every = Guard(detectors=["default"], encoder="always", **common).load()
    cheap: dict[int, tuple[float, float]] = {}
    reads = every._encoder_reads

    def record(prepared: Any, scores: Any, sure_of_injection: bool = False) -> Any:
        for (message, _), s in zip(prepared, scores, strict=True):
            unsure = max((h.score for views in s for h in views.values()), default=0.0)
            sure = max((v["injection"].score for v in s if "injection" in v), default=0.0)
            cheap[id(message)] = (unsure, sure if sure_of_injection else 0.0)
        return reads(prepared, scores, sure_of_injection)

    every._encoder_reads = record  # type: ignore[method-assign]
    always = every.inspect_batch(messages)
    off = Guard(detectors=["default"], encoder="off", **common).load().inspect_batch(messages)
    held = set(args.held_out.split(","))
    sets: dict[str, list[tuple[bool, bool, float, float]]] = defaultdict(list)
    for r, m, a, o in zip(rows, messages, always, off, strict=True):
        unsure, sure = cheap.get(id(m), (0.0, 0.0))
        kind = "attack" if r.head else "benign"
        tag = " (held out)" if r.head and r.family in held else ""
        tag += " [third batch]" if r.file in THIRD else ""
        sets[f"{kind} {r.family}{tag}"].append((a.flagged, o.flagged, unsure, sure))

    def flagged(x: tuple[bool, bool, float, float], floor: float) -> bool:
        on, off_, unsure, sure = x
        return on if unsure >= floor and sure < CASCADE_SURE else off_

    result: dict[str, Any] = {
        "benchmark": "cascade_floor",
        "cap": args.cap,
        "encoder": args.encoder_path or "shipped",
        "ngram_heads": args.model_path or "shipped",
        "floors": FLOORS,
        "sets": {},
    }
    for key, xs in sorted(sets.items()):
        n = len(xs)
        result["sets"][key] = {
            "n": n,
            "flagged": {str(f): round(sum(flagged(x, f) for x in xs) / n, 4) for f in FLOORS},
            "encoder_reads": {str(f): round(sum(x[2] >= f for x in xs) / n, 4) for f in FLOORS},
        }
    benign = [x for key, xs in sets.items() if key.startswith("benign") for x in xs]
    result["benign_pooled"] = {
        str(f): round(sum(flagged(x, f) for x in benign) / len(benign), 4) for f in FLOORS
    }
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    run_script(main)
