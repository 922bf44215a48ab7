"""Do the generated customer-service rows teach the multilingual stage anything about
languages they never saw? Prints JSON.

The multilingual heads (training/multilingual.py) had no non-English customer
service text: no fraud attempt, no hard harmless message (a verified change of
address, a supplier's invoice, a scam reported). `training/data/` holds 600 such
messages in 18 languages, written for this project by another session of the same
AI model. This measures them the way they would be used, by the stage alone (a
row caught or flagged when a head reaches its threshold; thresholds chosen the
same way in every variant, on the same half of the shared non-English benign
rows):

- `shipped`: the shipped recipe (`--foreign-attacks 100`), no generated rows;
- `languages_a` / `languages_b`: the same plus the generated rows of nine of the 18
  languages, judged on the generated rows of the other nine (languages unseen, the
  author the same: labelled so);
- `thresholds_a` / `thresholds_b`: the shipped heads, with the thresholds also kept
  within budget on the generated harmless rows of nine languages (a threshold moved,
  nothing learned), judged on the other nine;
- `both_a` / `both_b`: both of the above;
- `all_generated`, `all_generated_both`: every generated row (what `--generated`
  would ship), judged on the shared rows and `--extra` only.

Result (2026-12-08, 28 minutes with the embeddings to compute, 13 s cached): the
shipped heads flag 124 of the 420 generated harmless rows and catch 128 of 180;
trained on nine languages, they catch 72 of 90 and 81 of 90 of the other nine's
attempts but flag 84 of 209 and 79 of 211 of their harmless rows; bounded by the
generated harmless rows, 8 of 90 and 1 of 209. Not shipped (training/data/README.md).

Every variant is also judged on the shared non-English benign rows held out from the
thresholds, on the shared non-English attack rows (in-sample for every variant: a
check that nothing is lost), and on `--extra FILE` (JSON lines with `text`, `label`,
`role`, `lang`: another author's set, unseen by all; English rows are skipped).

    python bench/multilingual_generated.py [--datasets ../shared/datasets]
        [--cache E5.npz] [--extra FILE]

Embedding costs about 0.05-0.1 s a row on one core; `--cache` keeps vectors (the
training script's cache serves). Needs the multilingual and training extras.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from channelguard.guard.multilingual import reads_as_english
from training.corpus import read_jsonl
from training.multilingual import (
    BUDGETS,
    HEADS,
    Cache,
    english_recipe,
    fit_head,
    foreign_attacks,
    foreign_benign_pool,
    generated_rows,
    load,
    per_language,
    probs,
    row_side,
    row_vectors,
    side_thresholds,
    threshold_at,
)

LANGUAGES_A = {"es", "de", "pt", "pl", "uk", "ar", "zh", "ko", "id"}
LANGUAGES_B = {"fr", "it", "nl", "ru", "tr", "hi", "ja", "vi", "sv"}


def rate(flags: np.ndarray, pick: np.ndarray) -> list[int]:
    return [int(flags[pick].sum()), int(pick.sum())]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--extra", type=Path, default=None, help="JSON lines judged by every variant")
    ap.add_argument("--cap", type=int, default=100, help="foreign attacks per source, language")
    ap.add_argument("--pool-cap", type=int, default=1500, help="benign threshold rows a source")
    ap.add_argument("--c", type=float, default=0.1)
    args = ap.parse_args()
    t0 = time.time()
    rows = load(args.datasets)
    base = [r for part in english_recipe(rows, 300, 0) for r in part]
    base += per_language(foreign_attacks(rows), args.cap, 0)
    generated = generated_rows()
    benign_pool, half = foreign_benign_pool(rows, args.pool_cap)
    benign_side = np.array([row_side(r) for r in benign_pool])
    shared_attacks = [
        r
        for r in foreign_attacks(rows)
        if r["lang"] not in ("", "en") and not reads_as_english(r["text"][:300])
    ]
    shared_attacks = per_language(shared_attacks, 40, 1)
    extra: list[dict[str, Any]] = []
    if args.extra is not None:
        extra = [
            {**r, "head": "attack" if r["label"] == 1 else None}
            for r in read_jsonl(args.extra)
            if r.get("lang", "") not in ("", "en")
        ]
    cache = Cache(args.cache)
    base_x = np.stack([v[0] for v in row_vectors(cache, base)])
    gen_v = row_vectors(cache, generated)
    gen_x = np.stack([v[0] for v in gen_v])
    benign_v = row_vectors(cache, benign_pool)
    shared_v = row_vectors(cache, shared_attacks)
    extra_v = row_vectors(cache, extra) if extra else []
    gen_lang = np.array([r["lang"] for r in generated])
    gen_attack = np.array([r["head"] is not None for r in generated])
    gen_side = np.array([row_side(r) for r in generated])
    in_a = np.isin(gen_lang, list(LANGUAGES_A))
    none = np.zeros(len(generated), dtype=bool)
    # (generated rows trained on, generated benign rows the thresholds also keep within
    # budget, languages judged)
    variants = {
        "shipped": (none, none, None),
        "languages_a": (in_a, none, LANGUAGES_B),
        "languages_b": (~in_a, none, LANGUAGES_A),
        "thresholds_a": (none, in_a & ~gen_attack, LANGUAGES_B),
        "thresholds_b": (none, ~in_a & ~gen_attack, LANGUAGES_A),
        "both_a": (in_a, in_a & ~gen_attack, LANGUAGES_B),
        "both_b": (~in_a, ~in_a & ~gen_attack, LANGUAGES_A),
        "all_generated": (np.ones(len(generated), dtype=bool), none, None),
        "all_generated_both": (np.ones(len(generated), dtype=bool), ~gen_attack, None),
    }
    result: dict[str, Any] = {
        "benchmark": "multilingual_generated",
        "data": "../shared/datasets; training/data (generated, one author); --extra: "
        + str(args.extra),
        "rows": {
            "base": len(base),
            "generated": len(generated),
            "shared_benign_pool": len(benign_pool),
            "shared_attacks_judged": len(shared_attacks),
            "extra": len(extra),
        },
        "variants": {},
    }
    for name, (use, bound, judged_langs) in variants.items():
        train = base + [g for g, u in zip(generated, use, strict=True) if u]
        x = np.concatenate([base_x, gen_x[use]])
        flags = {
            "generated": np.zeros(len(generated), dtype=bool),
            "benign": np.zeros(len(benign_pool), dtype=bool),
            "shared": np.zeros(len(shared_attacks), dtype=bool),
            "extra": np.zeros(len(extra), dtype=bool),
        }
        for head in HEADS:
            w, b = fit_head(train, x, head, args.c)
            scores = probs(benign_v, w, b)
            gen_scores = probs(gen_v, w, b)
            t = side_thresholds(scores, half, benign_side)
            for s_name, budget in BUDGETS.items():
                kept = bound & (gen_side == s_name)
                if kept.any():  # the generated benign rows of this side, within the same budget
                    t[s_name] = max(t[s_name], threshold_at(gen_scores[kept], budget))
            flags["benign"] |= scores >= np.array([t[s] for s in benign_side])
            for key, vecs, judged in (
                ("generated", gen_v, generated),
                ("shared", shared_v, shared_attacks),
                ("extra", extra_v, extra),
            ):
                if judged:
                    flags[key] |= probs(vecs, w, b) >= np.array([t[row_side(r)] for r in judged])
        out: dict[str, Any] = {
            "shared_benign_held_out": rate(flags["benign"], ~half),
            "shared_attacks_in_sample": rate(flags["shared"], np.ones(len(shared_attacks), bool)),
        }
        if judged_langs is not None:
            unseen = np.isin(gen_lang, list(judged_langs))
            out["generated_unseen_languages"] = {
                "attacks_caught": rate(flags["generated"], unseen & gen_attack),
                "benign_flagged": rate(flags["generated"], unseen & ~gen_attack),
            }
        elif name == "shipped":
            out["generated_unseen"] = {
                "attacks_caught": rate(flags["generated"], gen_attack),
                "benign_flagged": rate(flags["generated"], ~gen_attack),
            }
        if extra:
            is_attack = np.array([r["head"] is not None for r in extra])
            out["extra"] = {
                "attacks_caught": rate(flags["extra"], is_attack),
                "benign_flagged": rate(flags["extra"], ~is_attack),
            }
        result["variants"][name] = out
        print(f"{name} done", file=sys.stderr, flush=True)
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    run_script(main)
