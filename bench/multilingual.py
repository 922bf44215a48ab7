"""What the multilingual stage adds to the whole guard on text that is not English.
Prints JSON.

Two guards judge the same rows: the default guard with the multilingual stage
off, and with it on. Rows: every non-English row of ../shared/datasets (at most
--cap per source and language), attacks and benign; per set, the share flagged,
and the share flagged by an encoder detector reading through the multilingual
stage.

    python bench/multilingual.py [--datasets ../shared/datasets] [--cap 100]
        [--model-path NGRAM.npz] [--multilingual-path DIR]

What is unseen by what: the multilingual heads trained on English attacks only
(training/multilingual.py), so every attack row here is unseen by them. The
shipped n-gram heads trained on every shared source, the third batch included,
so their part of the "off" column is in-sample; give --model-path the heads
shipped before the third batch to make the third-batch sets (XSafety, MultiJail,
AILuminate, deepset) unseen by every learned part. The multilingual thresholds
were chosen on half of the non-English benign rows (training/multilingual.py):
the benign rows of the other half are marked "held_out".
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from channelguard.guard.multilingual import reads_as_english
from channelguard.guard.types import Message, Role
from training.corpus import read_jsonl
from training.multilingual import threshold_half
from training.rows import FILES


def rows_of(root: Path, cap: int) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for name in FILES:
        for r in read_jsonl(root / name):
            lang = r.get("lang") or ""
            if lang in ("", "en") or reads_as_english(r["text"][:300]):
                continue
            source = str(r["source"]).split(":", 1)[0]
            label = "attack" if r["label"] == 1 else "benign"
            if label == "benign":
                label += ", held_out" if not threshold_half(r["text"]) else ", threshold half"
            groups[(label, source, r["role"])].append(
                {"text": r["text"], "role": r["role"], "lang": lang}
            )
    rng = random.Random(0)
    out = []
    for key in sorted(groups):
        g = groups[key]
        g.sort(key=lambda r: zlib.crc32(r["text"].encode()))
        by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in g:
            by_lang[r["lang"]].append(r)
        per_lang = max(1, cap // max(1, len(by_lang)))
        picked = [r for rs in by_lang.values() for r in rs[:per_lang]]
        rng.shuffle(picked)
        out += [{**r, "set": f"{key[0]}: {key[1]} ({key[2]})"} for r in picked[:cap]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cap", type=int, default=100, help="rows per set (source and role)")
    parser.add_argument("--model-path", default=None, help="n-gram heads (.npz) to use")
    parser.add_argument("--multilingual-path", default=None, help="a trained heads folder")
    args = parser.parse_args()
    t0 = time.time()
    rows = rows_of(args.datasets, args.cap)
    messages = [Message(text=r["text"], role=Role(r["role"])) for r in rows]
    common = {"model_path": args.model_path, "multilingual_path": args.multilingual_path}
    guards = {
        "multilingual_off": Guard(multilingual="off", **common),
        "multilingual_on": Guard(multilingual="on", **common),
    }
    result: dict[str, Any] = {
        "benchmark": "multilingual",
        "cap": args.cap,
        "ngram_heads": args.model_path or "shipped (trained on the third batch too: in-sample)",
        "sets": {},
    }
    per_set: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for name, guard in guards.items():
        guard.load()
        start = time.perf_counter()
        verdicts = []
        for i in range(0, len(messages), 64):
            verdicts += guard.inspect_batch(messages[i : i + 64])
        result[f"{name}_seconds"] = round(time.perf_counter() - start, 1)
        for r, v in zip(rows, verdicts, strict=True):
            s = per_set[r["set"]]
            if name == "multilingual_off":
                s["n"] += 1
            s[name] += int(v.flagged)
            if name == "multilingual_on":
                s["by_multilingual_stage"] += int(
                    any(f.evidence.startswith("multilingual ") for f in v.findings)
                )
    for key, s in sorted(per_set.items()):
        n = s["n"]
        result["sets"][key] = {
            "n": n,
            "off": round(100 * s["multilingual_off"] / n, 1),
            "on": round(100 * s["multilingual_on"] / n, 1),
            "multilingual_stage_alone": round(100 * s["by_multilingual_stage"] / n, 1),
        }
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    run_script(main)
