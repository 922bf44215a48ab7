"""Where the encoder stage reads user turns: recall against cost at several cascade
floors, on the third batch of ../shared/datasets (sources the shipped encoder's
weights never saw). Prints JSON.

In "cascade" mode a user turn goes to the encoder only when a cheap n-gram head
scores it at least the floor (`guard.guard.CASCADE_FLOOR`); documents and tool
output always go. Per floor: the share of each set flagged by the whole default
guard, the share of user turns the encoder read, and the encoder's milliseconds
per user turn (mean over all user turns, the machine's noise included).

    python bench/encoder_gate.py [--datasets ../shared/datasets] [--cap 300]
        [--encoder-path DIR] [--model-path NGRAM.npz] [--floors 0.02,0.05,0.1,0.2]

The n-gram heads are the shipped ones (trained on the third batch too, so the
gate's cheap scores are in-sample; the encoder's are not) unless --model-path
names others: those of commit 0a47ee9 never saw the third batch, and with them
the four families the shipped encoder held out are unseen by every learned part.
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
from channelguard.guard import guard as guard_module
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, Role
from training.encoder import THIRD, sample_sets
from training.rows import evaluation_rows, load_rows


class Counting:
    """The loaded encoder, counting what it is asked to read."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.windows, self.seconds = inner, 0, 0.0

    def score_batch(self, texts: list[str], sides: list[str]) -> Any:
        t0 = time.perf_counter()
        out = self.inner.score_batch(texts, sides)
        self.seconds += time.perf_counter() - t0
        self.windows += len(texts)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cap", type=int, default=300)
    parser.add_argument("--encoder-path", default=None, help="an exported encoder folder")
    parser.add_argument("--model-path", default=None, help="n-gram heads (.npz) to use")
    parser.add_argument("--floors", default="0.02,0.05,0.1,0.2")
    args = parser.parse_args()
    floors = [float(f) for f in args.floors.split(",")]
    t0 = time.time()
    rows = [r for r in evaluation_rows(load_rows(args.datasets)) if r.file in THIRD]
    rows = sample_sets(rows, args.cap)
    messages = [Message(text=r.text, role=Role(r.role)) for r in rows]
    users = {i for i, m in enumerate(messages) if m.role in (Role.USER, Role.CUSTOMER)}
    guard = Guard(
        encoder="cascade", encoder_path=args.encoder_path, model_path=args.model_path
    ).load()
    loaded = guard._ready()
    counting = Counting(loaded.encoder)
    object.__setattr__(loaded, "encoder", counting)
    result: dict[str, Any] = {
        "benchmark": "encoder_gate",
        "cap": args.cap,
        "encoder": args.encoder_path or "shipped",
        "ngram_heads": args.model_path or "shipped (trained on the third batch too: in-sample)",
        "user_turns": len(users),
        "floors": {},
    }
    for floor in floors:
        guard_module.CASCADE_FLOOR = floor
        counting.windows, counting.seconds, sent = 0, 0.0, 0
        flags: dict[str, list[bool]] = defaultdict(list)
        for i, (r, m) in enumerate(zip(rows, messages, strict=True)):
            before = counting.windows
            x = guard.inspect_batch([m])[0]
            if i in users and counting.windows > before:
                sent += 1
            what = "attack" if r.head else f"benign {r.group}"
            flags[f"{r.family} {r.kind} ({what})"].append(x.flagged)
        result["floors"][str(floor)] = {
            "user_turns_read": round(sent / max(1, len(users)), 4),
            "sets": {k: round(sum(v) / len(v), 4) for k, v in sorted(flags.items())},
            # documents are read at every floor alike: the difference is the user turns'
            "encoder_seconds": round(counting.seconds, 1),
        }
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    run_script(main)
