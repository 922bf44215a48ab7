"""An instruction planted in the middle of a long document: caught when the encoder
reads a long document's head and tail only, and when it reads every window.
Prints JSON.

The encoder reads at most `guard.guard.ENCODER_MAX_WINDOWS` (8) windows of 300
characters of a document, the first and last four; the middle is left to the
rules and n-gram heads. This measures what reading the middle too would add, at
what cost. Hosts: the long benign documents
of ../shared/datasets (over 2,600 characters: more windows than the head and
tail hold; the third batch's tool outputs and dialogues, which neither model
trained on, and SpamAssassin ham). Planted: deepset's English injections, held
out of both learned models (six injection rules were written from deepset's
misses: the rules are in-sample, the encoder and the n-gram heads are not), each
at the line or sentence break nearest the host's middle. Per setting: the share
of planted documents the whole default guard flags, the share of the hosts
alone it flags, the encoder windows read per document and the mean
milliseconds per document (one core, the machine's noise included).

Result (2026-12-07, 300 hosts, 415 s): reading every window instead of the head
and tail (15.6 windows a document against 8) catches 46.0% of the planted
documents against 45.3%, flags the same 8.0% of the hosts alone, and costs 1.7
times the time. The middle is not what the encoder misses: it does not flag
deepset's instructions in a document window at its document threshold. Picking
two or four middle windows by the n-gram heads' score gave 45.7-46.0%. Of the
hosts alone, SpamAssassin's long ham is what is flagged (23 of 192; the third
batch's long tool outputs and dialogues 1 of 104).

    python bench/encoder_middle.py [--datasets ../shared/datasets] [--cap 300]
        [--max-windows 8,10000]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from channelguard.guard import guard as guard_module
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, Role
from training.corpus import read_jsonl

HOSTS = [
    "benign_tool_outputs_3.jsonl.gz",
    "benign_dialogues_3.jsonl.gz",
    "benign_docs_3.jsonl.gz",
    "benign_documents.jsonl.gz",
]
LONG = 2600  # characters: more encoder windows than the head and tail hold
_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")


def plant(host: str, instruction: str) -> str:
    """`instruction` at the break nearest the middle of `host`."""
    middle = len(host) // 2
    breaks = [m.end() for m in _BREAK.finditer(host)] or [middle]
    at = min(breaks, key=lambda b: abs(b - middle))
    return host[:at] + "\n" + instruction + "\n" + host[at:]


class Counting:
    """Counts the windows the encoder scores."""

    def __init__(self, score: Any) -> None:
        self.score = score
        self.windows = 0

    def __call__(self, texts: list[str], sides: list[str]) -> Any:
        self.windows += len(texts)
        return self.score(texts, sides)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cap", type=int, default=300, help="host documents")
    parser.add_argument(
        "--max-windows", default="8,10000", help="ENCODER_MAX_WINDOWS settings to compare"
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    t0 = time.time()
    rng = random.Random(0)
    hosts = [
        r["text"]
        for name in HOSTS
        for r in read_jsonl(args.datasets / name)
        if r["role"] == "document" and len(r["text"]) > LONG and r["label"] == 0
    ]
    hosts = rng.sample(hosts, min(args.cap, len(hosts)))
    instructions = [
        r["text"]
        for r in read_jsonl(args.datasets / "attacks_injection_3.jsonl")
        if r["label"] == 1
        and r["source"].startswith("deepset_prompt_injections")
        and r.get("lang") == "en"
    ]
    planted = [plant(h, rng.choice(instructions)) for h in hosts]
    guard = Guard().load()
    loaded = guard._ready()
    assert loaded.encoder is not None, "the encoder stage is off"
    counting = Counting(loaded.encoder.score_batch)
    loaded.encoder.score_batch = counting  # type: ignore[method-assign]
    out: dict[str, Any] = {}
    for most in [int(x) for x in args.max_windows.split(",")]:
        guard_module.ENCODER_MAX_WINDOWS = most
        row: dict[str, Any] = {}
        for name, docs in (("planted", planted), ("hosts", hosts)):
            counting.windows = 0
            t = time.perf_counter()
            flagged = sum(
                guard.inspect_batch([Message(text=d, role=Role.DOCUMENT)])[0].flagged for d in docs
            )
            row[name] = {
                "flagged": round(flagged / len(docs), 4),
                "encoder_windows_per_document": round(counting.windows / len(docs), 2),
                "ms_per_document": round((time.perf_counter() - t) * 1000 / len(docs), 1),
            }
        out[f"max_windows {most}"] = row
    print(
        json.dumps(
            {
                "benchmark": "encoder_middle",
                "hosts": len(hosts),
                "instructions": len(instructions),
                "settings": out,
                "seconds": round(time.time() - t0, 1),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    run_script(main)
