"""Leave-one-family-out: how the whole guard does on a source it never trained on. Prints JSON.

For each family of ../shared/datasets (the upstream source: the part of
`source` before the first colon; our generators are one family, `synth`):
train the classifier on every other family, choose its thresholds on the
other families' out-of-family scores (never on this family's), write the
model, and run the whole guard (`Guard(model_path=…)`: canonicalization, rule
detectors, classifier heads, the default 0.5 operating point; the encoder and
multilingual stages off unless named, as their weights saw earlier batches) over this
family's rows. Attack rows report the share caught, benign rows the share
flagged, per shared file and kind. The rule detectors are never trained, so
their rows here count as unseen for them too, except the ones their cues were
written from (`synth` scam calls; noted in the output).

    python bench/generalization.py [--datasets ../shared/datasets] [--cap 1500] [--families a b]

About 15 minutes on one core. Figures on our own generated templates (`synth`)
are reported apart, labelled.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from channelguard.guard.registry import build_registry
from channelguard.guard.types import Message, Role
from training.fit import (
    Matrix,
    choose_thresholds,
    fit_heads,
    out_of_family_scores,
    save_model,
)
from training.rows import Row, evaluation_rows, load_rows, synth_rows, training_sample

TARGETS = {
    "attack_recall": 0.90,
    "prompts": 0.01,
    "documents": 0.01,
    "customer": 0.005,
    "lookalike": 0.03,
}


def cap_rows(rows: list[Row], cap: int, seed: int = 0) -> list[Row]:
    """At most `cap` rows per (family, file, kind, label): every source counts, none
    dominates the run time."""
    by: dict[tuple[str, str, str, bool], list[Row]] = defaultdict(list)
    for r in rows:
        by[(r.family, r.file, r.kind, r.head is not None)].append(r)
    rng = random.Random(seed)
    out: list[Row] = []
    for key in sorted(by):
        group = by[key]
        out += group if len(group) <= cap else rng.sample(group, cap)
    return out


def rule_ids() -> list[str]:
    return [i for i, cls in build_registry().items() if not hasattr(cls, "head")]


def flagged(guard: Guard, rows: list[Row]) -> tuple[np.ndarray, list[set[str]], np.ndarray]:
    results = guard.inspect_batch([Message(text=r.text, role=Role(r.role)) for r in rows])
    detectors = [{f.detector for f in x.findings} for x in results]
    return (
        np.array([x.flagged for x in results]),
        detectors,
        np.array([x.score for x in results]),
    )


def ranking(scored: list[tuple[Row, float]]) -> dict[str, Any]:
    """Per attack family: AUC against every real benign row (each scored by the model
    that did not train on its family) and recall where that pooled benign set is
    flagged 1% of the time."""
    benign = np.sort(np.array([s for r, s in scored if r.head is None]))
    cut = float(np.quantile(benign, 0.99)) if len(benign) else 1.0
    out: dict[str, Any] = {"benign_rows": len(benign), "score_at_1pct_fpr": round(cut, 4)}
    attacks: dict[str, list[float]] = defaultdict(list)
    for r, s in scored:
        if r.head not in (None, "spam"):
            attacks[f"{r.family} {r.kind}"].append(s)
    for name, values in sorted(attacks.items()):
        a = np.array(values)
        # AUC as the chance an attack outscores a benign row (ties count half)
        below = np.searchsorted(benign, a, side="left")
        ties = np.searchsorted(benign, a, side="right") - below
        auc = float(np.mean((below + 0.5 * ties) / max(1, len(benign))))
        out[name] = {
            "n": len(a),
            "auc": round(auc, 4),
            "recall_at_1pct_fpr": round(float(np.mean(a > cut)), 4),
        }
    return out


def summarize(rows: list[Row], flags: np.ndarray, detectors: list[set[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        what = "caught" if r.head is not None else "flagged"
        groups[f"{r.file} {r.kind} ({what})"].append(i)
    for name, idx in sorted(groups.items()):
        by_detector: dict[str, int] = defaultdict(int)
        for i in idx:
            for d in detectors[i]:
                by_detector[d] += 1
        out[name] = {
            "n": len(idx),
            "rate": round(float(flags[idx].mean()), 4),
            "by_detector": dict(sorted(by_detector.items(), key=lambda kv: -kv[1])[:4]),
        }
    return out


def pooled(entries: list[tuple[Row, bool]]) -> dict[str, Any]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for r, f in entries:
        groups[
            "attacks" if r.head not in (None, "spam") else r.group if r.head is None else "spam"
        ].append(f)
    return {
        g: {"n": len(v), "rate": round(float(np.mean(v)), 4)} for g, v in sorted(groups.items())
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cap", type=int, default=1500, help="rows per family, file and kind")
    parser.add_argument("--families", nargs="*", default=None, help="only these (default: all)")
    parser.add_argument(
        "--detectors",
        default=None,
        help="detector ids as the guard takes them (default: the default set); the pooled "
        "figures are also given without each detector named beyond the default set",
    )
    parser.add_argument(
        "--ship",
        type=Path,
        default=None,
        help="also write the model to ship here: thresholds from this run's out-of-source "
        "scores of every source, heads fitted on every source (as scripts/train_classifier.py "
        "does, without fitting every fold twice)",
    )
    parser.add_argument(
        "--encoder",
        choices=["off", "cascade", "always"],
        default="off",
        help="the encoder stage in each fold's guard (default off: its weights saw the first "
        "and second batch, so on those sources it would be in-sample; bench/encoder_gain.py "
        "measures it on the third batch)",
    )
    parser.add_argument(
        "--multilingual",
        choices=["off", "auto", "on"],
        default="off",
        help="the multilingual stage in each fold's guard (default off; bench/multilingual.py "
        "measures it)",
    )
    args = parser.parse_args()
    stages = {"encoder": args.encoder, "multilingual": args.multilingual}
    selected = args.detectors.split(",") if args.detectors else None
    registry = build_registry()
    extra = [d for d in selected or [] if d != "default" and d in registry]
    extra = [d for d in extra if not getattr(registry[d], "default", True)]
    t0 = time.time()
    rows = load_rows(args.datasets) + synth_rows()
    train = training_sample(rows)
    evals = cap_rows(evaluation_rows(rows), args.cap)
    m = Matrix(train)
    families = sorted({r.family for r in train} | {r.family for r in evals})
    chosen = args.families or families
    oof, models = out_of_family_scores(m, evals, families)
    rules = Guard(detectors=rule_ids(), encoder="off", multilingual="off").load()
    result: dict[str, Any] = {"benchmark": "generalization", "families": {}}
    unseen: list[tuple[Row, bool]] = []
    unseen_dets: list[set[str]] = []
    synth: list[tuple[Row, bool]] = []
    rules_unseen: list[tuple[Row, bool]] = []
    scored: list[tuple[Row, float]] = []
    eval_family = np.array([r.family for r in evals])
    for f in chosen:
        idx = np.flatnonzero(eval_family == f)
        if not len(idx):
            continue
        mine = [evals[i] for i in idx]
        thresholds = choose_thresholds(oof, evals, exclude=f)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.npz"
            save_model(path, models[f], thresholds, {"left_out": f})
            guard = Guard(model_path=str(path), detectors=selected, **stages).load()
            flags, dets, scores = flagged(guard, mine)
        rule_flags, _, _ = flagged(rules, mine)
        if f != "synth":
            scored.extend(zip(mine, scores.tolist(), strict=True))
        result["families"][f] = {
            "thresholds": {
                h: {side: round(t, 4) for side, t in by.items()} for h, by in thresholds.items()
            },
            "sets": summarize(mine, flags, dets),
            "rules_alone": summarize(mine, rule_flags, [set() for _ in mine]),
        }
        (synth if f == "synth" else unseen).extend(zip(mine, flags.tolist(), strict=True))
        if f != "synth":
            unseen_dets.extend(dets)
            rules_unseen.extend(zip(mine, rule_flags.tolist(), strict=True))
        print(f"  {f}: {len(mine)} rows judged, {time.time() - t0:.0f} s", file=sys.stderr)
    result["pooled_unseen_families"] = pooled(unseen)
    for d in extra:  # the same run as if the opt-in detector were not there
        result[f"pooled_unseen_families_without_{d}"] = pooled(
            [(r, bool(ds - {d})) for (r, _), ds in zip(unseen, unseen_dets, strict=True)]
        )
    result["detectors"] = selected or "default"
    result["stages"] = stages
    result["pooled_rules_alone_unseen"] = pooled(rules_unseen)
    result["ranking_unseen_vs_real_benign"] = ranking(scored)
    result["own_generated_templates_apart"] = pooled(synth)
    result["targets"] = TARGETS
    if args.ship:
        shipped = choose_thresholds(oof, evals)
        final = fit_heads(m, np.ones(len(train), dtype=bool))
        save_model(
            args.ship,
            final,
            shipped,
            {
                "model": "logistic heads (SGD, log loss) over hashed character and word n-grams",
                "trained_on": len(train),
                "sources": families,
                "thresholds_from": "out-of-source scores of bench/generalization.py: each "
                "source scored by a model trained without it",
                "script": "bench/generalization.py --ship",
            },
        )
        result["shipped"] = {"path": str(args.ship), "thresholds": shipped}
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    run_script(main)
