"""Fitting the guard's heads and choosing their operating points on families the
model did not train on.

`Matrix` canonicalizes and featurizes every row once (the text and its decoded
views, as the guard does at run time); `fit_heads` fits one logistic head per
threat on any subset of rows; `out_of_family_scores` scores every family with a
model trained without it; `choose_thresholds` sets each head's operating point
so that the out-of-family false-positive rate on each benign group stays within
its budget.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import SGDClassifier

from channelguard.guard.canonical import canonicalize, load_confusables
from channelguard.guard.features import FEATURE_CONFIG, Featurizer, segments
from training.rows import HEADS, Row

__all__ = [
    "BUDGETS",
    "HEAD_ROLES",
    "Matrix",
    "Weights",
    "choose_thresholds",
    "fit_heads",
    "out_of_family_scores",
    "save_model",
]

# which rows a head judges at run time (PromptInjection.head_for, HarmfulRequest.roles)
HEAD_ROLES = {
    "injection": {"user"},
    "indirect": {"document"},
    "fraud": {"user", "document"},
    "harmful": {"user"},
    "toxic": {"user", "document", "assistant"},
}
# Per head, the out-of-family false-positive budget on each benign group it judges.
# Several heads judge a user turn, so their budgets add up to the targets of issue 10
# (real prompts and e-mails <= 1%, customer turns <= 0.5%, sound-harmful <= 3%).
BUDGETS: dict[str, dict[str, float]] = {
    "injection": {"prompts": 0.003, "customer": 0.001, "lookalike": 0.005},
    "indirect": {"documents": 0.004},
    "fraud": {"prompts": 0.002, "customer": 0.001, "documents": 0.004},
    "harmful": {"prompts": 0.003, "customer": 0.001, "lookalike": 0.015},
    "toxic": {"prompts": 0.001, "customer": 0.0005, "documents": 0.002, "lookalike": 0.005},
}


@dataclass(frozen=True, kw_only=True)
class Weights:
    weights: np.ndarray  # (features, heads)
    bias: np.ndarray  # (heads,)


class Matrix:
    """Features of every training piece (a row's canonical text, its decoded views
    and, for long benign documents, their windows), and which row each came from."""

    def __init__(self, rows: Sequence[Row]) -> None:
        t = time.time()
        confusables = load_confusables()
        self.featurizer = Featurizer().load()
        texts: list[str] = []
        owner: list[int] = []
        for i, row in enumerate(rows):
            canon = canonicalize(row.text, confusables)
            pieces = [canon.text, *(v.text for v in canon.views)]
            if row.head is None and len(canon.text) > 400:
                pieces += segments(canon.text)[1:]  # every window of a clean text is clean
            texts += pieces
            owner += [i] * len(pieces)
        self.rows = list(rows)
        self.owner = np.array(owner)
        self.X = self.featurizer.transform(texts)
        print(
            f"  features: {len(texts)} pieces of {len(rows)} rows, {time.time() - t:.0f} s",
            file=sys.stderr,
        )

    def pieces_of(self, keep: np.ndarray) -> np.ndarray:
        """Piece indexes of the rows marked in the boolean row mask `keep`."""
        return np.flatnonzero(keep[self.owner])


def fit_heads(
    m: Matrix, keep: np.ndarray, *, alpha: float = 1e-6, pos_weight: float = 2.0
) -> Weights:
    """One logistic head per threat on the rows in `keep`: positives are that head's
    attacks, negatives the benign rows (another head's attacks are not negatives: a
    jailbreak carries a harmful request)."""
    idx = m.pieces_of(keep)
    heads = np.array([m.rows[i].head or "" for i in m.owner[idx]])
    weights = np.zeros((m.featurizer.width, len(HEADS)), dtype=np.float32)
    bias = np.zeros(len(HEADS), dtype=np.float32)
    for j, head in enumerate(HEADS):
        use = (heads == head) | (heads == "")
        y = (heads[use] == head).astype(int)
        if y.sum() == 0:
            bias[j] = -20.0
            continue
        # logistic loss by SGD: a few seconds a head, so a model per left-out family is
        # affordable (liblinear took 20 s a head on the same rows)
        model = SGDClassifier(
            loss="log_loss",
            alpha=alpha,
            max_iter=20,
            tol=1e-4,
            class_weight={0: 1.0, 1: pos_weight},
            random_state=0,
        )
        model.fit(m.X[idx[use]], y)
        weights[:, j] = model.coef_[0]
        bias[j] = model.intercept_[0]
    return Weights(weights=weights, bias=bias)


def row_scores(w: Weights, texts: Sequence[str]) -> np.ndarray:
    """Raw head probabilities per text as the shipped guard computes them: the model
    written to a file and loaded back, canonical text, best window; (rows, heads)."""
    from channelguard.guard.classifier import TextClassifier

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.npz"
        save_model(path, w, {h: 0.5 for h in HEADS}, {})
        clf = TextClassifier(str(path)).load()
    confusables = load_confusables()
    out = np.zeros((len(texts), len(HEADS)))
    batch = 512
    for start in range(0, len(texts), batch):
        chunk = [canonicalize(t, confusables).text for t in texts[start : start + batch]]
        for k, scores in enumerate(clf.score_batch(chunk)):
            for j, head in enumerate(HEADS):
                if head in scores:
                    out[start + k, j] = scores[head].raw
    return out


def out_of_family_scores(
    m: Matrix, eval_rows: Sequence[Row], families: Sequence[str], **fit_args: Any
) -> tuple[np.ndarray, dict[str, Weights]]:
    """Every evaluation row scored by a model trained without its family."""
    scores = np.zeros((len(eval_rows), len(HEADS)))
    models: dict[str, Weights] = {}
    train_family = np.array([r.family for r in m.rows])
    eval_family = np.array([r.family for r in eval_rows])
    for f in families:
        t = time.time()
        w = fit_heads(m, train_family != f, **fit_args)
        models[f] = w
        mine = np.flatnonzero(eval_family == f)
        if len(mine):
            scores[mine] = row_scores(w, [eval_rows[i].text for i in mine])
        print(f"  left out {f}: {len(mine)} rows scored, {time.time() - t:.0f} s", file=sys.stderr)
    return scores, models


SIDES = {"user": {"user", "assistant"}, "document": {"document"}}


def choose_thresholds(
    scores: np.ndarray, rows: Sequence[Row], *, exclude: str | None = None
) -> dict[str, dict[str, float]]:
    """Per head and side (user turns, documents): the lowest threshold whose
    false-positive rate on each benign group of that side (family `exclude` left out)
    stays within budget. A side the head does not judge keeps the other's threshold."""
    out: dict[str, dict[str, float]] = {}
    for j, head in enumerate(HEADS):
        sides: dict[str, float] = {}
        for side, roles in SIDES.items():
            if not roles & HEAD_ROLES[head]:
                continue
            t = 0.05
            for group, budget in BUDGETS[head].items():
                benign = np.sort(
                    [
                        scores[i, j]
                        for i, r in enumerate(rows)
                        if r.head is None
                        and r.group == group
                        and r.role in roles & HEAD_ROLES[head]
                        and r.family != exclude
                    ]
                )
                if len(benign):
                    k = min(len(benign) - 1, int(np.floor(len(benign) * (1 - budget))))
                    t = max(t, float(benign[k]) + 1e-6)
            sides[side] = min(t, 0.999)
        only = next(iter(sides.values()))
        out[head] = {"user": sides.get("user", only), "document": sides.get("document", only)}
    return out


def save_model(path: Path, w: Weights, thresholds: dict[str, Any], meta: dict[str, Any]) -> None:
    meta = {**meta, "heads": HEADS, "thresholds": thresholds, "features": FEATURE_CONFIG}
    np.savez_compressed(
        path, weights=w.weights.astype(np.float16), bias=w.bias, meta=np.array(json.dumps(meta))
    )
