"""Does the multilingual stage learn from non-English attacks? Leave one source out.
Prints JSON.

The multilingual heads (training/multilingual.py) are linear heads on frozen
multilingual-e5-small, trained on English attacks only. This asks whether adding
the attacks of other sources, in their languages, raises recall on a source the
heads never saw, at the same false-positive budget:

- `english_only`: the shipped recipe (English attacks of the first and second
  batch, English benign rows, xSID commands in 26 languages);
- `without:<S>`: the same plus every attack row of the multi-language sources
  except S (XSafety, deepset, TaskTracker, MultiJail, AILuminate, red-instruct's
  Chinese and Vietnamese CatQA), at most --cap per source and language;
- `all_sources`: every one of them (what `training/multilingual.py
  --foreign-attacks` ships).

Every variant chooses its thresholds the same way, on the same half of the
non-English benign rows (training/multilingual.py), and is judged by the stage
alone (a row is caught when a head reaches its threshold on one of the windows
the runtime reads): on S's non-English rows (unseen by `english_only` and by
`without:<S>`), and on the benign rows of the other half. `--extra FILE` adds a
set written elsewhere (JSON lines with `text`, `label`, `role`, optional
`kind` and `lang`), judged by every variant and unseen by all, reported in two
halves (by a hash of the text): one to choose a variant on, one to report it on.

    python bench/multilingual_sources.py [--datasets ../shared/datasets]
        [--cache E5.npz] [--extra FILE] [--cap 100]

Embedding costs about 0.1 s a row on one core; `--cache` keeps vectors (the
training script's cache serves). Needs the multilingual and training extras.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import run_script
from channelguard.guard.multilingual import reads_as_english
from training.corpus import read_jsonl
from training.multilingual import (
    HEADS,
    Cache,
    english_recipe,
    fit_head,
    foreign_attacks,
    foreign_benign_pool,
    load,
    per_language,
    probs,
    row_side,
    row_vectors,
    side_thresholds,
)


def evaluation(rows: list[dict[str, Any]], per_lang: int) -> list[dict[str, Any]]:
    """Each multi-language source's non-English attack rows, at most `per_lang` a
    language (chosen by a hash of the text)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in foreign_attacks(rows):
        if r["lang"] not in ("", "en") and not reads_as_english(r["text"][:300]):
            groups[(r["source"], r["lang"])].append(r)
    out = []
    for key in sorted(groups):
        g = sorted(groups[key], key=lambda r: zlib.crc32(r["text"].encode()))
        out += g[:per_lang]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--extra", type=Path, default=None, help="JSON lines judged by every variant")
    ap.add_argument("--cap", type=int, default=100, help="training rows per source and language")
    ap.add_argument("--per-lang", type=int, default=40, help="evaluation rows per language")
    ap.add_argument("--pool-cap", type=int, default=1500, help="benign threshold rows a source")
    ap.add_argument("--c", type=float, default=0.1)
    args = ap.parse_args()
    t0 = time.time()
    rows = load(args.datasets)
    base = [r for part in english_recipe(rows, 300, 0) for r in part]
    pool = per_language(foreign_attacks(rows), args.cap, 0)
    held = evaluation(rows, args.per_lang)
    held_keys = {r["text"] for r in held}
    pool = [r for r in pool if r["text"] not in held_keys]  # never judged on what it fits
    sources = sorted({r["source"] for r in held})
    benign_pool, half = foreign_benign_pool(rows, args.pool_cap)
    extra = []
    if args.extra is not None:
        for r in read_jsonl(args.extra):
            extra.append(
                {
                    "text": r["text"],
                    "head": "attack" if r["label"] == 1 else None,
                    "kind": r.get("kind", ""),
                    "lang": r.get("lang", ""),
                    "role": r.get("role", "user"),
                    "source": "extra",
                }
            )
    cache = Cache(args.cache)
    base_x = np.stack([v[0] for v in row_vectors(cache, base)])
    pool_x = np.stack([v[0] for v in row_vectors(cache, pool)]) if pool else np.zeros((0, 384))
    held_v = row_vectors(cache, held)
    benign_v = row_vectors(cache, benign_pool)
    extra_v = row_vectors(cache, extra) if extra else []
    benign_side = np.array([row_side(r) for r in benign_pool])

    variants: dict[str, list[int]] = {"english_only": []}
    for s in sources:
        variants[f"without:{s}"] = [i for i, r in enumerate(pool) if r["source"] != s]
    variants["all_sources"] = list(range(len(pool)))
    result: dict[str, Any] = {
        "benchmark": "multilingual_sources",
        "data": "../shared/datasets; --extra: " + str(args.extra),
        "training_rows": {"english_base": len(base), "foreign_attack_pool": len(pool)},
        "evaluation_rows": {s: sum(r["source"] == s for r in held) for s in sources},
        "variants": {},
    }
    for name, keep in variants.items():
        x = np.concatenate([base_x, pool_x[keep]]) if keep else base_x
        train = base + [pool[i] for i in keep]
        caught_held = np.zeros(len(held), dtype=bool)
        caught_extra = np.zeros(len(extra), dtype=bool)
        flagged_benign = np.zeros(len(benign_pool), dtype=bool)
        for head in HEADS:
            w, b = fit_head(train, x, head, args.c)
            scores = probs(benign_v, w, b)
            t = side_thresholds(scores, half, benign_side)
            flagged_benign |= scores >= np.array([t[s] for s in benign_side])
            hs = probs(held_v, w, b)
            caught_held |= hs >= np.array([t[row_side(r)] for r in held])
            if extra:
                es = probs(extra_v, w, b)
                caught_extra |= es >= np.array([t[row_side(r)] for r in extra])
        out: dict[str, Any] = {"benign_held_out": {}}
        for s in sources:
            pick = np.array([r["source"] == s for r in held])
            seen = name == "all_sources" or (name.startswith("without:") and name != f"without:{s}")
            key = "in_sample_recall" if seen else "unseen_source_recall"
            out.setdefault(key, {})[s] = round(100 * float(caught_held[pick].mean()), 1)
        for s in sorted({r["source"] for r in benign_pool}):
            pick = np.array([r["source"] == s for r in benign_pool]) & ~half
            if pick.sum():
                out["benign_held_out"][s] = [int(flagged_benign[pick].sum()), int(pick.sum())]
        ho = ~half
        out["benign_held_out_pooled_pct"] = round(100 * float(flagged_benign[ho].mean()), 2)
        if extra:
            # two halves by a hash of the text: one to choose a variant on, one to
            # report it on
            by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for r, c in zip(extra, caught_extra, strict=True):
                half_name = "choose" if zlib.crc32(r["text"].encode()) % 2 else "report"
                label = "attack" if r["head"] else "benign"
                for key in (f"{half_name} {label}", f"all {label}", f"all {label}:{r['kind']}"):
                    by[key][0] += int(c)
                    by[key][1] += 1
            out["extra"] = {k: by[k] for k in sorted(by)}
        result["variants"][name] = out
        print(f"{name} done", file=sys.stderr, flush=True)
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    run_script(main)
