"""Train the guard's classifier and write src/channelguard/data/guard_model.npz.

    python scripts/train_classifier.py [--datasets ../shared/datasets] [--out PATH]

Data (see MODEL_CARD.md for licences): every file of ../shared/datasets (at
most 5,000 rows per upstream source and label, so no corpus drowns another;
e-mail spam is measured, never trained on; BIPIA attacks train as the
instruction they plant) plus our generators' training template folds as one
more source, `synth`. Everything is canonicalized as at run time, with its
decoded views; long clean documents also train as their windows.

Thresholds come from sources the model did not train on: for every source, a
model trained on all the others scores it; each head's threshold is the
lowest at which those out-of-source scores of every benign group it judges
(real prompts, customer turns, documents, harmless requests that sound
harmful) stay within its false-positive budget (training/fit.py). The final
model trains on everything. About 10 minutes on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from training.fit import (
    BUDGETS,
    Matrix,
    choose_thresholds,
    fit_heads,
    out_of_family_scores,
    save_model,
)
from training.rows import HEADS, evaluation_rows, load_rows, synth_rows, training_sample

ALPHA = 1e-6  # SGD regularisation; 5e-6 lost 3-9 points of out-of-source recall (2026-12-01)
POS_WEIGHT = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--out", type=Path, default=Path("src/channelguard/data/guard_model.npz"))
    parser.add_argument(
        "--oof",
        type=Path,
        default=Path("build/guard_oof.npz"),
        help="cache of the out-of-source scores (thresholds can be re-chosen from it)",
    )
    parser.add_argument(
        "--reuse-oof", action="store_true", help="take the out-of-source scores from --oof"
    )
    args = parser.parse_args()
    t0 = time.time()
    rows = load_rows(args.datasets) + synth_rows()
    train = training_sample(rows)
    m = Matrix(train)
    # thresholds: every training row's source scored by a model that never saw it
    held = evaluation_rows(train)
    families = sorted({r.family for r in train})
    if args.reuse_oof:
        oof = np.load(args.oof)["scores"]
    else:
        oof, _ = out_of_family_scores(m, held, families, alpha=ALPHA, pos_weight=POS_WEIGHT)
        args.oof.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(args.oof, scores=oof)
    thresholds = choose_thresholds(oof, held)
    final = fit_heads(m, np.ones(len(train), dtype=bool), alpha=ALPHA, pos_weight=POS_WEIGHT)
    recall = {}
    for j, h in enumerate(HEADS):
        hits = [
            oof[i, j] >= thresholds[h]["document" if r.role == "document" else "user"]
            for i, r in enumerate(held)
            if r.head == h
        ]
        recall[h] = round(float(np.mean(hits)), 4) if hits else None
    meta = {
        "model": "logistic heads (SGD, log loss) over hashed character and word n-grams",
        "alpha": ALPHA,
        "pos_weight": POS_WEIGHT,
        "trained_on": len(train),
        "sources": families,
        "thresholds_from": "out-of-source scores: each source scored by a model trained without it",
        "budgets": BUDGETS,
        "out_of_source_recall_at_threshold": recall,
        "script": "scripts/train_classifier.py",
        "seconds": round(time.time() - t0, 1),
    }
    save_model(args.out, final, thresholds, meta)
    print(json.dumps({**meta, "thresholds": thresholds}, indent=2))


if __name__ == "__main__":
    run_script(main)
