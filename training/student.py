"""Can a static student, distilled from the encoder, decide which document
windows the encoder reads? Measured, not shipped: it cannot (the figures are in
the docstring's last paragraph). Prints JSON.

The Guard reads a document or tool result in up to eight windows, and the
fine-tuned encoder costs about 12 ms a window on one core: most of a document's
latency and of a batch scan's time. Nearly every window of an ordinary document
scores far below the encoder's thresholds (its best document-side head's logit
is a median 6 to 8.5 under its threshold's on the third batch's benign
documents). A cheap first look that skipped those windows would cut both. The
student tried here:

- **static token vectors** distilled from the shipped encoder itself (as
  model2vec does): every token of its vocabulary read alone, `[CLS] token
  [SEP]`, the encoder's last layer at that token; PCA to 128 dimensions,
  weighted by rarity in the training windows (SIF, a = 1e-4);
- a window is the mean and the max of its tokens' vectors;
- a logistic regression, or an MLP (256 hidden units), predicts whether the
  encoder's document-side heads (`indirect`, `fraud`, `toxic`) flag the window,
  fitted on the windows of the rows the encoder trained on, labelled by the
  encoder; the cut keeps 99.5% of the flagged training windows.

It is judged on documents neither model trained on, read as the Guard reads
them (`bench/encoder_documents.py`'s sets, 150 a set): the share of benign
windows it still sends to the encoder (the cost left), and the attack documents
the encoder flags that it would no longer flag (the recall lost).

Result (2026-12-07, the encoder of that day, `python training/student.py`,
555 s): the encoder flags 2,859 of the 23,070 training windows. At the cut that
keeps 99.5% of them, the logistic regression still sends 92.4% of the judged
benign windows to the encoder (a saving of under 8%) and loses 3 of the 246
attack documents the encoder flags (BIPIA); the MLP sends 72.4% and loses 14
(BIPIA 11, TaskTracker 3). A bag of static vectors does not carry what the
encoder reads in a window. A gate worth having needs a small transformer
student, which costs a third of the encoder or more on every window it reads
(not tried). Where the encoder's own time goes (onnxruntime's profiler, one
300-character window, 67 tokens, 16-17 ms on this machine's AVX2 cores, no
VNNI): 65% in its int8 matrix products; graph optimisation levels make no
difference.

    python training/student.py [--datasets ../shared/datasets] [--cap 300] [--windows 1500]

Needs the training extra (onnx, onnxruntime, scikit-learn); about 10 minutes here.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import InputError, run_script
from training.encoder import THIRD
from training.rows import Row, load_rows, synth_rows, training_sample
from training.windows import window_rows

HELD_OUT = "deepset_prompt_injections,tasktracker,mendeley_smishing,ailuminate"
DOC_HEADS = ("indirect", "fraud", "toxic")
DIMS = 128
SIF = 1e-4
KEEP = 0.995  # of the flagged training windows, at the cut
LAST = "/body/encoder/layer.5/output/LayerNorm/LayerNormalization_output_0"


class Teacher:
    """The shipped int8 encoder, with its last layer and pooled vector exposed."""

    def __init__(self, folder: Path) -> None:
        import onnx
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = onnx.load(str(folder / "encoder.onnx"))
        model.graph.output.append(onnx.helper.make_empty_tensor_value_info(LAST))
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        self.run = ort.InferenceSession(
            model.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )
        self.meta = json.loads((folder / "encoder.json").read_text())
        self.heads: list[str] = self.meta["heads"]
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(int(self.meta["max_tokens"]))
        self.tok.no_padding()

    def token_vectors(self, batch: int = 512) -> np.ndarray:
        """Each vocabulary token read alone: its last-layer vector."""
        size = self.tok.get_vocab_size()
        cls, sep = self.tok.token_to_id("[CLS]"), self.tok.token_to_id("[SEP]")
        out = np.zeros((size, 384), dtype=np.float32)
        for start in range(0, size, batch):
            ids = np.arange(start, min(size, start + batch), dtype=np.int64)
            x = np.stack([np.full_like(ids, cls), ids, np.full_like(ids, sep)], axis=1)
            _, last = self.run.run(
                ["scores", LAST], {"input_ids": x, "attention_mask": np.ones_like(x)}
            )
            out[start : start + len(ids)] = last[:, 1, :]
        return out

    def raw(self, texts: list[str]) -> np.ndarray:
        """Per text, every head's probability, one text a run (as the runtime)."""
        out = np.zeros((len(texts), len(self.heads)), dtype=np.float32)
        for i, text in enumerate(texts):
            ids = np.array([self.tok.encode(text).ids], dtype=np.int64)
            (probs,) = self.run.run(
                ["scores"], {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            )
            out[i] = probs[0]
        return out

    def margin(self, raw: np.ndarray) -> np.ndarray:
        """Per text, the best document-side head's logit less its threshold's logit:
        0 or more is a window the encoder flags."""
        cols = [self.heads.index(h) for h in DOC_HEADS]
        cuts = np.array([self.meta["thresholds"][h]["document"] for h in DOC_HEADS])
        p = np.clip(raw[:, cols].astype(np.float64), 1e-7, 1 - 1e-7)
        best: np.ndarray = np.max(_logit(p) - _logit(cuts)[None, :], axis=1)
        return best


def _logit(p: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.log(p) - np.log1p(-p)
    return out


def windows_of(texts: list[str]) -> list[tuple[str, int]]:
    """What the encoder reads of each text as a document: (window, text index)."""
    from channelguard.guard.canonical import canonicalize, load_confusables
    from channelguard.guard.guard import encoder_reads

    confusables = load_confusables()
    out = []
    for i, text in enumerate(texts):
        canon = canonicalize(text, confusables).text
        if canon.strip():
            out += [(chunk, i) for chunk in encoder_reads(canon, document=True)]
    return out


def features(table: np.ndarray, encoded: list[list[int]]) -> np.ndarray:
    """A window: the mean and the max of its tokens' vectors."""
    x = np.zeros((len(encoded), table.shape[1] * 2), dtype=np.float32)
    for i, ids in enumerate(encoded):
        if ids:
            v = table[ids].astype(np.float32)
            x[i, : table.shape[1]] = v.mean(axis=0)
            x[i, table.shape[1] :] = v.max(axis=0)
    return x


def judged(
    name: str,
    z: np.ndarray,
    flagged: np.ndarray,
    ez: np.ndarray,
    eflagged: np.ndarray,
    keys: list[str],
    docs: list[int],
) -> dict[str, Any]:
    """The cut that keeps KEEP of the flagged training windows, and at it, per
    evaluation set, the windows sent on and the flagged attack documents lost."""
    cut = float(np.quantile(z[flagged], 1 - KEEP))
    out: dict[str, Any] = {"student": name, "training_windows_sent": _share(z >= cut)}
    lost = total = 0
    per_set: dict[str, Any] = {}
    for key in sorted(set(keys)):
        sel = np.array([k == key for k in keys])
        entry: dict[str, Any] = {"windows": int(sel.sum()), "windows_sent": _share(ez[sel] >= cut)}
        if key.startswith("attack:"):
            hit: dict[int, bool] = {}
            for j in np.flatnonzero(sel & eflagged):
                hit[docs[j]] = hit.get(docs[j], False) or bool(ez[j] >= cut)
            entry |= {"documents_flagged": len(hit), "lost": sum(not v for v in hit.values())}
            lost += entry["lost"]
            total += len(hit)
        per_set[key] = entry
    benign = np.array([k.startswith("benign:") for k in keys])
    out |= {
        "benign_windows_sent": _share(ez[benign] >= cut),
        "attack_documents_lost": f"{lost} of {total}",
        "sets": per_set,
    }
    return out


def _share(mask: np.ndarray) -> float:
    return round(float(np.mean(mask)), 4) if len(mask) else 0.0


def main() -> None:
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    from bench.encoder_documents import sets

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--encoder", type=Path, default=Path("src/channelguard/data/encoder"))
    parser.add_argument("--hold-out", default=HELD_OUT)
    parser.add_argument("--cap", type=int, default=300, help="training rows per (family, head)")
    parser.add_argument("--windows", type=int, default=1500, help="planted and benign windows")
    parser.add_argument("--judge-cap", type=int, default=150, help="documents per judged set")
    args = parser.parse_args()
    t0 = time.time()
    teacher = Teacher(args.encoder)
    rows = load_rows(args.datasets) + synth_rows()
    held = {f for f in args.hold_out.split(",") if f}
    if unknown := held - {r.family for r in rows}:
        raise InputError(f"--hold-out: no family {', '.join(sorted(unknown))} in the rows")
    unseen_benign = {id(r) for r in rows if r.file in THIRD and r.head is None}
    train_rows: list[Row] = training_sample(
        [r for r in rows if id(r) not in unseen_benign and r.family not in held], cap=args.cap
    )
    train_rows += window_rows(train_rows, args.windows, args.windows)
    texts = [w for w, _ in windows_of([r.text for r in train_rows])]
    random.Random(0).shuffle(texts)
    judge_keys: list[str] = []
    judge_docs: list[int] = []
    judge_texts: list[str] = []
    for key, docs in sets(args.datasets, args.judge_cap).items():
        for window, i in windows_of(docs):
            judge_texts.append(window)
            judge_keys.append(key)
            judge_docs.append(i)
    print(f"  {len(texts)} training windows, {len(judge_texts)} judged", file=sys.stderr)
    vectors = teacher.token_vectors()
    margin = teacher.margin(teacher.raw(texts))
    emargin = teacher.margin(teacher.raw(judge_texts))
    print(f"  encoder scores {time.time() - t0:.0f} s", file=sys.stderr)
    encoded = [teacher.tok.encode(t).ids[1:-1] for t in texts]
    counts: Counter[int] = Counter()
    for ids in encoded:
        counts.update(ids)
    freq = np.array([counts.get(i, 0) for i in range(len(vectors))]) / sum(counts.values())
    pca = PCA(n_components=DIMS, random_state=0).fit(vectors)
    table = pca.transform(vectors) * (SIF / (SIF + freq))[:, None]
    x = features(table, encoded)
    ex = features(table, [teacher.tok.encode(t).ids[1:-1] for t in judge_texts])
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-6
    x, ex = (x - mu) / sd, (ex - mu) / sd
    flagged, eflagged = margin >= 0, emargin >= 0
    lr = LogisticRegression(class_weight="balanced", max_iter=3000).fit(x, flagged)
    mlp = MLPClassifier(
        hidden_layer_sizes=(256,), alpha=1e-3, early_stopping=True, random_state=0
    ).fit(x, flagged)
    report = {
        "benchmark": "encoder_static_student",
        "training_windows": len(texts),
        "training_windows_flagged": int(flagged.sum()),
        "keep_flagged_training_windows": KEEP,
        "students": [
            judged(
                "logistic regression",
                lr.decision_function(x),
                flagged,
                lr.decision_function(ex),
                eflagged,
                judge_keys,
                judge_docs,
            ),
            judged(
                "MLP, 256 hidden",
                mlp.predict_proba(x)[:, 1],
                flagged,
                mlp.predict_proba(ex)[:, 1],
                eflagged,
                judge_keys,
                judge_docs,
            ),
        ],
        "seconds": round(time.time() - t0),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    run_script(main)
