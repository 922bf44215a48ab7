"""Train the guard's classifier and write src/channelguard/data/guard_model.npz.

    python scripts/train_classifier.py [--datasets ../shared/datasets] [--out PATH]

Data (see MODEL_CARD.md for licences): the train split (60%) of the shared
sets, the BIPIA injected instructions recovered by diffing each injected
document with its clean twin, and the project's own generators (benign e-mails,
invoices, tables, code, tickets, general questions, trigger-word texts and
customer turns in six languages; direct and indirect injections, scam calls,
fraud e-mails and impersonation) from their training template folds (0, 1)
only, with some attacks passed through the evasion rewrites. Everything is
canonicalized as at run time. Thresholds are chosen on text the model did not
train on: the shared validation split (15%) and template fold 2 (`--cross-fit`
instead trains on folds 0-2 and scores each fold with a model trained without
it). The shared test split (25%) and template fold 3 are left to
bench/detection.py.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

import numpy as np
from sklearn.linear_model import LogisticRegression

from channelguard.errors import run_script
from channelguard.guard.canonical import canonicalize, load_confusables
from channelguard.guard.classifier import TextClassifier
from channelguard.guard.features import FEATURE_CONFIG, Featurizer, segments
from training.corpus import bipia_injection, read_jsonl, split_of
from training.synth import generate
from training.synth.attacks import INDIRECT
from training.synth.core import FOLDS, is_training
from training.synth.evasion import EVASIONS, evade

HEADS = ["injection", "indirect", "fraud", "harmful", "toxic"]
KIND_HEAD = {
    "jailbreak": "injection",
    "prompt_extraction": "injection",
    "prompt_injection": "injection",
    "indirect_injection": "indirect",
    "social_engineering": "fraud",
    "scam_call": "fraud",
    "harmful_request": "harmful",
    "toxicity": "toxic",
}
# Per head, the false-positive budget on each benign group of the validation split
# it is used on: `indirect` judges documents only, `injection` user turns only.
FPR_BUDGET = {
    # Half of each target (customer 0.5%, documents 3%, trigger words 3%), split
    # across the heads that judge that group, leaves a margin for the shift from
    # validation phrasings to unseen ones. (Tried 2026-11-23: the full target per
    # group raised document and customer false positives on the benchmark to 5.1%
    # and 0.50% and left jailbreak recall where it was; see the model card.)
    "injection": {"customer": 0.0005, "trigger": 0.005},
    "indirect": {"documents": 0.008, "documents_real": 0.02},
    "fraud": {"customer": 0.0008, "documents": 0.006, "documents_real": 0.008, "trigger": 0.003},
    "harmful": {"customer": 0.0006, "trigger": 0.0035},
    "toxic": {"customer": 0.0006, "trigger": 0.0035},
}

Row = tuple[str, str | None, str]  # text, head (None = benign), group
PLANTED_MARKERS = [t.strip().split("{payload}")[0].strip()[:24] for t in INDIRECT]


def shared_rows(root: Path, split: str) -> list[Row]:
    rows: list[Row] = []
    for name in [
        "attacks_jailbreak",
        "attacks_prompt_extraction",
        "attacks_social_engineering",
        "harmful_requests",
        "toxicity",
    ]:
        for r in read_jsonl(root / f"{name}.jsonl"):
            if split_of(r) == split:
                head = KIND_HEAD[r["kind"]] if r["label"] == 1 else None
                rows.append((r["text"], head, "trigger" if head is None else r["kind"]))
    rows += _bipia(root, split)
    rng = random.Random(f"customer:{split}")
    customer = [r for r in read_jsonl(root / "benign_customer.jsonl.gz") if split_of(r) == split]
    take = {"train": 30000, "val": 12000}.get(split, len(customer))
    for r in rng.sample(customer, min(take, len(customer))):
        rows.append((r["text"], None, "customer"))
    return rows


def _bipia(root: Path, split: str) -> list[Row]:
    data = [
        r for r in read_jsonl(root / "attacks_indirect_injection.jsonl") if split_of(r) == split
    ]
    if split != "train":
        # judged whole, as at run time, where a document is flagged if any window is
        return [
            (
                r["text"],
                "indirect" if r["label"] else None,
                "documents_real" if not r["label"] else "indirect_injection",
            )
            for r in data
        ]
    clean = {r["source"]: r["text"] for r in data if r["label"] == 0}
    rows: list[Row] = []
    for r in data:
        if r["label"] == 0:
            rows += [(seg, None, "documents") for seg in segments(r["text"])]
            continue
        twin = clean.get(":".join(r["source"].split(":")[:3]))
        planted = bipia_injection(twin, r["text"]) if twin else ""
        if not planted:
            rows.append((r["text"], "indirect", "indirect_injection"))
        else:
            rows.append((planted, "indirect", "indirect_injection"))
            # the window that holds the planted line alone, as run-time windowing yields it
            rows += [
                (seg, "indirect", "indirect_injection")
                for seg in segments(r["text"])[1:]
                if planted[:40] in seg and len(seg) < 2 * len(planted) + 40
            ]
    return rows


def synth_rows(split: str, seed: int, scale: float) -> list[Row]:
    plan = {
        "benign_trigger": 3000,
        "benign_customer_ml": 8000,
        "benign_documents": 9000,
        "benign_general": 1500,
        "benign_short": 3000,
        "benign_ai_meta": 1500,
        "benign_urgent": 1500,
        "benign_banking": 3000,
        "benign_trigger_genres": 1500,
        # benign_requests (harmless how-to requests, synth.general) is measured by the
        # benchmark but not trained on: on the shared validation split it cut
        # jailbreak recall from 96.5% to 88.1% and harmful-request recall from
        # 81.5% to 55.4% (2026-11-23)
        "attack_direct": 2500,
        "attack_indirect": 1500,
        "attack_scam_call": 2500,
        "attack_fraud_email": 1500,
        "attack_impersonation": 800,
    }
    group = {
        "benign_trigger": "trigger",
        "benign_customer_ml": "customer",
        "benign_documents": "documents",
        "benign_general": "trigger",
        "benign_short": "customer",
        "benign_ai_meta": "trigger",
        "benign_urgent": "customer",
        "benign_banking": "customer",
        "benign_trigger_genres": "trigger",
    }
    rows: list[Row] = []
    for name, n in plan.items():
        for s in generate(name, int(n * scale), split=split, seed=seed):
            head = KIND_HEAD[s.kind] if s.label else None
            if s.kind == "indirect_injection" and is_training(split):
                # windows that hold the planted instruction are attacks; the rest is benign host text
                for seg in segments(s.text)[1:] or [s.text]:
                    planted = any(marker in seg for marker in PLANTED_MARKERS)
                    rows.append(
                        (seg, head if planted else None, s.kind if planted else "documents")
                    )
            else:
                rows.append((s.text, head, group.get(name, s.kind)))
    return rows


def with_evasions(rows: list[Row], rng: random.Random) -> list[Row]:
    extra = [
        (evade(t, rng.choice(list(EVASIONS)), rng), h, g)
        for t, h, g in rows
        if h and rng.random() < 0.1
    ]
    return rows + extra


def canon(rows: list[Row], confusables: dict[str, str]) -> list[Row]:
    out = []
    for text, head, group in rows:
        c = canonicalize(text, confusables)
        out.append((c.text, head, group))
        out += [(v.text, head, group) for v in c.views]
    return out


def fit(
    rows: list[Row], featurizer: Featurizer, c: float = 8.0, pos_weight: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    X = featurizer.transform([t for t, _, _ in rows])
    weights = np.zeros((featurizer.width, len(HEADS)), dtype=np.float32)
    bias = np.zeros(len(HEADS), dtype=np.float32)
    for j, head in enumerate(HEADS):
        y = np.array([1 if h == head else 0 for _, h, _ in rows])
        # natural class weights: the intercept keeps a low prior, so a text with few
        # known n-grams (a greeting in a new language, an emoji) is not an attack by default
        model = LogisticRegression(
            C=c, class_weight={0: 1.0, 1: pos_weight}, max_iter=2000, solver="liblinear"
        )
        model.fit(X, y)
        weights[:, j] = model.coef_[0]
        bias[j] = model.intercept_[0]
        print(f"  head {head}: {int(y.sum())} positives of {len(y)}", file=sys.stderr)
    return weights, bias


def save(
    path: Path,
    weights: np.ndarray,
    bias: np.ndarray,
    thresholds: dict[str, float],
    meta: dict[str, Any],
) -> None:
    meta = {**meta, "heads": HEADS, "thresholds": thresholds, "features": FEATURE_CONFIG}
    np.savez_compressed(
        path, weights=weights.astype(np.float16), bias=bias, meta=np.array(json.dumps(meta))
    )


def raw_scores(model: TextClassifier, rows: list[Row]) -> np.ndarray:
    scores = model.score_batch([t for t, _, _ in rows])
    return np.array([[s[h].raw if h in s else 0.0 for h in HEADS] for s in scores])


def choose_thresholds(
    raw_all: np.ndarray, rows: list[Row]
) -> tuple[dict[str, float], dict[str, Any]]:
    thresholds: dict[str, float] = {}
    report: dict[str, Any] = {}
    for j, head in enumerate(HEADS):
        raw = raw_all[:, j]
        t = 0.05  # the validation budgets alone set the operating point
        for group, budget in FPR_BUDGET[head].items():
            benign = np.sort(
                [r for r, (_, h, g) in zip(raw, rows, strict=True) if h is None and g == group]
            )
            if len(benign):
                k = min(len(benign) - 1, int(np.floor(len(benign) * (1 - budget))))
                t = max(t, float(benign[k]) + 1e-6)
        t = min(t, 0.995)
        thresholds[head] = t
        pos = [r for r, (_, h, _) in zip(raw, rows, strict=True) if h == head]
        report[head] = {
            "threshold": round(t, 4),
            "val_recall": round(float(np.mean(np.array(pos) >= t)), 4) if pos else None,
        }
    return thresholds, report


def train_model(
    rows: list[Row], featurizer: Featurizer, args: argparse.Namespace
) -> tuple[TextClassifier, np.ndarray, np.ndarray]:
    """Fit, write uncalibrated to args.out and load back, as the guard will read it."""
    weights, bias = fit(rows, featurizer, args.C, args.pos_weight)
    save(args.out, weights, bias, {h: 0.5 for h in HEADS}, {})
    return TextClassifier(str(args.out)).load(), weights, bias


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--out", type=Path, default=Path("src/channelguard/data/guard_model.npz"))
    parser.add_argument(
        "--C",
        type=float,
        default=2.0,
        # 2026-11-23, after adding benign_trigger_genres, on the validation split:
        # C=1 jailbreaks 95.6%, harmful 67.4%; C=2 96.0%, 72.3%; C=4 96.0%, 74.5% but
        # harmless how-to requests flagged 45% (C=2: 35%); pos_weight 4 no better
        help="inverse regularisation strength (chosen on validation)",
    )
    parser.add_argument(
        "--pos-weight", type=float, default=2.0, help="weight of the positive class"
    )
    parser.add_argument(
        "--cross-fit",
        action="store_true",
        help="train on template folds 0-2 and take thresholds from cross-fitted folds",
    )
    args = parser.parse_args()
    t0 = time.time()
    confusables = load_confusables()
    featurizer = Featurizer().load()
    shared_train = shared_rows(args.datasets, "train")
    val_rows: list[Row] = []
    val_raw: list[np.ndarray] = []
    if args.cross_fit:
        # For each template fold k of 0-2, a model trained without fold k scores fold
        # k; the final model trains on all three folds. Measured 2026-11-23: the
        # two-fold models score unseen benign templates higher than the three-fold
        # model does, so the thresholds come out too strict (pooled attack recall
        # 92.4%, jailbreaks 79%, every generated benign set 0%). Kept as an option.
        for k in FOLDS:
            rows = canon(
                with_evasions(shared_train + synth_rows(f"dev-{k}", 0, 1.0), random.Random(13 + k)),
                confusables,
            )
            print(f"fold {k}: training on {len(rows)} texts", file=sys.stderr)
            model, _, _ = train_model(rows, featurizer, args)
            held = canon(synth_rows(f"fold-{k}", 1, 0.4), confusables)
            val_rows += held
            val_raw.append(raw_scores(model, held))
    synth_split = "dev" if args.cross_fit else "train"
    train = canon(
        with_evasions(shared_train + synth_rows(synth_split, 0, 1.0), random.Random(13)),
        confusables,
    )
    counts: dict[str, int] = defaultdict(int)
    for _, h, _ in train:
        counts[h or "benign"] += 1
    print(f"final: training on {len(train)} texts {dict(counts)}", file=sys.stderr)
    final, weights, bias = train_model(train, featurizer, args)
    held_out = shared_rows(args.datasets, "val")
    if not args.cross_fit:
        held_out += synth_rows("val", 1, 0.4)  # template fold 2, which training skipped
    shared_val = canon(held_out, confusables)
    val_rows += shared_val
    val_raw.append(raw_scores(final, shared_val))
    thresholds, report = choose_thresholds(np.concatenate(val_raw), val_rows)
    meta = {
        "C": args.C,
        "pos_weight": args.pos_weight,
        "trained_on": len(train),
        "validated_on": len(val_rows),
        "thresholds_from": (
            "shared validation split + cross-fitted generator folds 0-2"
            if args.cross_fit
            else "shared validation split + generator template fold 2"
        ),
        "validation": report,
        "script": "scripts/train_classifier.py",
        "seconds": round(time.time() - t0, 1),
    }
    save(args.out, weights, bias, thresholds, meta)
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    run_script(main)
