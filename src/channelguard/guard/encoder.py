"""The guard's learned encoder stage: fine-tuned all-MiniLM-L6-v2, int8 ONNX.

One score per threat head, like the n-gram classifier, but from a pretrained
encoder that carries meaning across sources. Weights, tokenizer and thresholds
live in `channelguard/data/encoder/` (trained by `training/encoder.py`; see
MODEL_CARD.md); run by onnxruntime on the CPU, nothing downloaded.

It costs milliseconds a message where the n-gram heads cost microseconds, so
the Guard runs it where it matters (`Guard(encoder=...)`): "cascade" judges
documents and tool output always and user turns only where the cheap stage is
unsure; "always" judges every inbound message; "off" never loads it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from channelguard.errors import DependencyError, InputError
from channelguard.guard.classifier import HeadScore, calibrate

__all__ = [
    "ENCODER_MODES",
    "INT8_PATHS",
    "EncoderModel",
    "has_vnni",
    "packaged_folder",
    "score_into",
    "unsigned_weights",
]

ENCODER_DIR = "data/encoder"
ENCODER_MODES = ("off", "cascade", "always")
INT8_PATHS = ("auto", "signed", "unsigned")


def has_vnni(cpuinfo: str = "/proc/cpuinfo", machine: str | None = None) -> bool:
    """Whether this x86 CPU multiplies int8 with VNNI (32-bit sums); True off x86."""
    import platform

    if (machine or platform.machine()).lower() not in ("x86_64", "amd64", "i386", "i686"):
        return True
    try:
        with open(cpuinfo, encoding="ascii", errors="replace") as info:
            flags = next((line for line in info if line.startswith("flags")), "")
    except OSError:
        return False  # unknown: the exact path is right everywhere, only slower
    return any(f in flags.split() for f in ("avx512_vnni", "avx_vnni"))


def unsigned_weights(path: Path) -> bytes:
    """The model with every int8 weight of a MatMulInteger widened to uint8 with zero
    point 128: the same integers, multiplied exactly on every x86 CPU.

    onnxruntime multiplies uint8 activations by int8 weights with `vpmaddubsw` on CPUs
    without VNNI (AVX2, AVX-512F), which adds two products into a saturating 16-bit
    lane (onnxruntime issue 6004): those CPUs computed other scores than CPUs with
    VNNI (found 2026-12-08: thresholds chosen on an AVX2 machine, three honest test
    messages over them on an AVX-512 VNNI one). Its uint8-by-uint8 kernel sums in 32
    bits on every CPU: the VNNI machine's scores, at about twice the time a message
    (measured there: 11 against 6 ms). Seven-bit weights, fast everywhere, were
    measured too and lost one to three points of recall at 1% of benign rows."""
    try:
        import numpy as np
        import onnx
        from onnx import numpy_helper
    except ImportError:
        raise DependencyError("onnx", "guard") from None
    model = onnx.load(str(path))
    init = {i.name: i for i in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type != "MatMulInteger" or len(node.input) < 4:
            continue
        weight, zero = node.input[1], node.input[3]
        if weight not in init or zero not in init:
            continue
        w = numpy_helper.to_array(init[weight])
        z = numpy_helper.to_array(init[zero])
        if w.dtype != np.int8 or z.dtype != np.int8:
            continue  # widened already (a weight shared by two products)
        init[weight].CopyFrom(
            numpy_helper.from_array((w.astype(np.int16) + 128).astype(np.uint8), weight)
        )
        init[zero].CopyFrom(
            numpy_helper.from_array((z.astype(np.int16) + 128).astype(np.uint8), zero)
        )
    return bytes(model.SerializeToString())


@dataclass(frozen=True, kw_only=True, slots=True)
class _Session:
    run: Any
    tokenizer: Any


class EncoderModel:
    """Construction stores the folder; `load()` opens the ONNX session. Scoring is
    safe from several threads (onnxruntime sessions are)."""

    def __init__(self, folder: str | None = None, *, threads: int = 1, int8: str = "auto") -> None:
        if int8 not in INT8_PATHS:
            raise InputError(f"int8: {int8!r} is not one of {', '.join(INT8_PATHS)}")
        self.folder = folder
        self.threads = threads
        # "auto": the shipped int8 weights where the CPU sums their products exactly
        # (VNNI, or not x86), widened to uint8 elsewhere (`unsigned_weights`)
        self.int8 = int8
        self.heads: list[str] = []
        self.thresholds: dict[str, dict[str, float]] = {}
        self.max_tokens = 96
        self.unsigned = False  # whether the widened weights run (set by load)
        self._session: _Session | None = None
        self._lock = threading.Lock()

    def load(self) -> EncoderModel:
        try:
            import onnxruntime as ort
        except ImportError:
            raise DependencyError("onnxruntime", "guard") from None
        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise DependencyError("tokenizers", "guard") from None
        with self._lock:
            if self._session is not None:
                return self
            with packaged_folder(self.folder) as where:
                try:
                    meta = json.loads((where / "encoder.json").read_text(encoding="utf-8"))
                    self.heads = list(meta["heads"])
                    self.thresholds = {h: dict(v) for h, v in meta["thresholds"].items()}
                    self.max_tokens = int(meta["max_tokens"])
                    tokenizer = Tokenizer.from_file(str(where / "tokenizer.json"))
                    options = ort.SessionOptions()
                    options.intra_op_num_threads = self.threads
                    options.inter_op_num_threads = 1
                    unsigned = self.int8 == "unsigned" or (self.int8 == "auto" and not has_vnni())
                    model: str | bytes = str(where / "encoder.onnx")
                    if unsigned:
                        model = unsigned_weights(where / "encoder.onnx")
                    run = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
                    self.unsigned = unsigned
                except DependencyError:
                    raise
                except (OSError, KeyError, ValueError, TypeError) as exc:
                    raise InputError(f"{where}: not a channelguard encoder: {exc}") from None
                except Exception as exc:  # onnxruntime raises its own error types
                    raise InputError(f"{where}: the encoder does not load: {exc}") from None
            tokenizer.enable_truncation(self.max_tokens)
            tokenizer.no_padding()  # the shipped tokenizer.json pads to 128; we run unpadded
            self._session = _Session(run=run, tokenizer=tokenizer)
        return self

    def score_batch(self, texts: list[str], sides: list[str]) -> list[dict[str, HeadScore]]:
        """Per text, per head: the probability, calibrated with its side's threshold
        ("user" or "document") so that 0.5 is the operating point."""
        session = self._session
        if session is None:
            raise InputError("EncoderModel: call load() first")
        import numpy as np

        # one text a run: the int8 model quantizes activations per tensor, so a text
        # batched with others would score differently from the same text alone
        # (measured: up to 0.07 on the raw probability), and a batch is no faster here
        raw: dict[str, Any] = {}
        for text in dict.fromkeys(texts):
            ids = np.array([session.tokenizer.encode(text).ids], dtype=np.int64)
            mask = np.ones_like(ids)
            (probs,) = session.run.run(["scores"], {"input_ids": ids, "attention_mask": mask})
            raw[text] = probs[0]
        return [
            {
                head: HeadScore(
                    head=head,
                    score=calibrate(float(p), self.thresholds[head][side]),
                    raw=float(p),
                    segment=0,
                    threshold=self.thresholds[head][side],
                )
                for head, p in zip(self.heads, raw[text], strict=True)
            }
            for text, side in zip(texts, sides, strict=True)
        ]


def score_into(
    out: list[dict[str, HeadScore] | None],
    reads: Iterable[tuple[int, list[str], str]],
    score: Callable[[list[str], list[str]], list[dict[str, HeadScore]]],
) -> None:
    """Score what a stage reads of each message, (message index, its windows, its
    side), in one batch, and fold it into `out`: per message, each head's best score
    over its windows and over what `out` already holds."""
    texts: list[str] = []
    owners: list[int] = []
    sides: list[str] = []
    for i, chunks, side in reads:
        for chunk in chunks:
            texts.append(chunk)
            owners.append(i)
            sides.append(side)
    if not texts:
        return
    for i, per_head in zip(owners, score(texts, sides), strict=True):
        best = out[i] or {}
        for head, hs in per_head.items():
            if head not in best or hs.score > best[head].score:
                best[head] = hs
        out[i] = best


class packaged_folder:
    """A model's folder as a real path: the one given, or `subdir` of the package."""

    def __init__(self, folder: str | None, subdir: str = ENCODER_DIR) -> None:
        self.folder = folder
        self.subdir = subdir
        self._ctx: Any = None

    def __enter__(self) -> Path:
        if self.folder is not None:
            return Path(self.folder)
        self._ctx = resources.as_file(resources.files("channelguard").joinpath(self.subdir))
        return Path(self._ctx.__enter__())

    def __exit__(self, *exc: object) -> None:
        if self._ctx is not None:
            self._ctx.__exit__(*exc)
