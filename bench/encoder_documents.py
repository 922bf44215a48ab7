"""The encoder alone on documents and tool output, read as the Guard reads them
(every window, each head's best), per source of ../shared/datasets. Prints JSON.

Per set: the share an encoder folder's document-side heads (`indirect`, `fraud`,
`toxic`) flag at its own thresholds, and the `indirect` head's AUC against the
third batch's benign documents (the rows its thresholds were chosen on).

    python bench/encoder_documents.py [--encoder-path DIR ...] [--cap 600]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from channelguard.guard.encoder import EncoderModel
from channelguard.guard.guard import encoder_reads
from training.corpus import read_jsonl

FILES = [
    "benign_documents.jsonl.gz",
    "benign_dialogues_3.jsonl.gz",
    "benign_tool_outputs_3.jsonl.gz",
    "benign_docs_3.jsonl.gz",
    "attacks_indirect_injection.jsonl",
    "attacks_indirect_injection_3.jsonl",
]
DOC_HEADS = ("indirect", "fraud", "toxic")


def sets(datasets: Path, cap: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in FILES:
        for r in read_jsonl(datasets / name):
            if r["role"] != "document":
                continue
            kind = "attack" if r["label"] else "benign"
            key = f"{kind}:{name.split('.')[0]}:{r['source'].split(':')[0]}"
            out.setdefault(key, []).append(r["text"])
    rng = random.Random(0)
    return {k: v if len(v) <= cap else rng.sample(v, cap) for k, v in sorted(out.items())}


def best_raw(model: EncoderModel, text: str) -> dict[str, float]:
    """Each head's best raw probability over the windows the Guard reads."""
    chunks = encoder_reads(text, document=True)
    scored = model.score_batch(chunks, ["document"] * len(chunks))
    return {h: max(s[h].raw for s in scored) for h in model.heads}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--encoder-path", action="append", default=None)
    parser.add_argument("--cap", type=int, default=600, help="rows per set")
    args = parser.parse_args()
    t0 = time.time()
    rows = sets(args.datasets, args.cap)
    result: dict[str, Any] = {"benchmark": "encoder_documents", "cap": args.cap, "encoders": {}}
    for folder in args.encoder_path or [None]:
        model = EncoderModel(folder).load()
        doc = {h: model.thresholds[h]["document"] for h in DOC_HEADS}
        scores = {k: [best_raw(model, t) for t in texts] for k, texts in rows.items()}
        benign3 = np.array(
            [
                s["indirect"]
                for k, v in scores.items()
                if k.startswith("benign:") and "_3" in k
                for s in v
            ]
        )
        out: dict[str, Any] = {}
        for k, v in scores.items():
            ind = np.array([s["indirect"] for s in v])
            entry: dict[str, Any] = {
                "n": len(v),
                "indirect": round(float((ind >= doc["indirect"]).mean()), 4),
                "any_document_head": round(
                    float(np.mean([any(s[h] >= doc[h] for h in DOC_HEADS) for s in v])), 4
                ),
            }
            if k.startswith("attack:") and len(benign3):
                wins = (ind[:, None] > benign3[None, :]).mean()
                ties = (ind[:, None] == benign3[None, :]).mean()
                entry["indirect_auc_vs_third_batch_benign"] = round(float(wins + ties / 2), 3)
            out[k] = entry
        result["encoders"][folder or "shipped"] = out
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    run_script(main)
