"""The shipped classifier: one logistic head per threat over shared hashed features.

Weights live in `channelguard/data/guard_model.npz` (float16 matrix, bias,
calibrated thresholds, feature configuration), trained by
`scripts/train_classifier.py`; see `MODEL_CARD.md`. Nothing is downloaded.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

from channelguard.errors import DependencyError, InputError
from channelguard.guard.features import Featurizer, segments

__all__ = ["HeadScore", "TextClassifier", "calibrate", "side_of"]

MODEL_FILE = "data/guard_model.npz"


@dataclass(frozen=True, kw_only=True, slots=True)
class HeadScore:
    head: str
    score: float  # calibrated: 0.5 is the operating point chosen on held-out data
    raw: float
    segment: int  # 0 = whole text, k = k-th window
    threshold: float | None = None  # the raw probability that calibrates to 0.5


def calibrate(p: float, threshold: float) -> float:
    """Map the raw probability so that the chosen threshold lands on 0.5."""
    if p >= threshold:
        return 0.5 + 0.5 * (p - threshold) / max(1e-9, 1 - threshold)
    return 0.5 * p / max(1e-9, threshold)


class TextClassifier:
    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.heads: list[str] = []
        # per head, per side: "user" (user, customer and assistant turns) or "document";
        # a model file may give one number for both (files before 2026-12-01)
        self.thresholds: dict[str, dict[str, float]] = {}
        self.meta: dict[str, Any] = {}
        self._weights: Any = None
        self._bias: Any = None
        self._featurizer: Featurizer | None = None

    def load(self) -> TextClassifier:
        try:
            import numpy as np
        except ImportError:
            raise DependencyError("numpy", "guard") from None
        try:
            import sklearn  # noqa: F401
        except ImportError:
            raise DependencyError("scikit-learn", "guard") from None
        source = self.path or resources.files("channelguard").joinpath(MODEL_FILE)
        try:
            with resources.as_file(source) if not isinstance(source, str) else _plain(source) as fp:
                data = np.load(fp, allow_pickle=False)
                # the features' dtype: a float32 matrix would be copied to float64 on
                # every product (3 million values a call)
                self._weights = data["weights"].astype(np.float64)
                self._bias = data["bias"].astype(np.float32)
                self.meta = json.loads(str(data["meta"]))
        except (OSError, KeyError, ValueError) as exc:
            raise InputError(f"{source}: not a channelguard model: {exc}") from None
        self.heads = list(self.meta["heads"])
        self.thresholds = {h: _sides(t) for h, t in self.meta["thresholds"].items()}
        self._featurizer = Featurizer(self.meta["features"]).load()
        if self._weights.shape != (self._featurizer.width, len(self.heads)):
            raise InputError(f"{source}: weights do not match the feature configuration")
        return self

    def score_batch(
        self, texts: list[str], sides: list[str] | None = None
    ) -> list[dict[str, HeadScore]]:
        """Per text, per head: the best score over the whole text and its windows,
        calibrated with the threshold of the text's side ("user" or "document")."""
        assert self._featurizer is not None, "call load() first"
        pieces: list[str] = []
        owner: list[tuple[int, int]] = []
        for i, text in enumerate(texts):
            if not _has_alnum(text, 3):
                continue  # nothing to judge: an emoji, a number, "ok"
            for k, seg in enumerate(segments(text)):
                pieces.append(seg)
                owner.append((i, k))
        if not pieces:
            return [{} for _ in texts]
        chars, words = self._featurizer.transform_blocks(pieces)
        split = self._featurizer.widths[0]
        logits = chars @ self._weights[:split] + words @ self._weights[split:] + self._bias
        out: list[dict[str, HeadScore]] = [{} for _ in texts]
        for row, (i, k) in enumerate(owner):
            for j, head in enumerate(self.heads):
                raw = 1.0 / (1.0 + math.exp(-float(logits[row, j])))
                best = out[i].get(head)
                if best is None or raw > best.raw:
                    side = sides[i] if sides is not None else "user"
                    cut = self.thresholds[head][side]
                    out[i][head] = HeadScore(
                        head=head, score=calibrate(raw, cut), raw=raw, segment=k, threshold=cut
                    )
        return out


def _has_alnum(text: str, least: int) -> bool:
    """At least `least` letters or digits; stops at the last one it needs instead of
    counting every character of a long text."""
    seen = 0
    for c in text:
        if c.isalnum():
            seen += 1
            if seen >= least:
                return True
    return False


def _sides(value: Any) -> dict[str, float]:
    if isinstance(value, dict):
        return {"user": float(value["user"]), "document": float(value["document"])}
    return {"user": float(value), "document": float(value)}


def side_of(role: str) -> str:
    """Which threshold a role's text is judged with."""
    return "document" if role == "document" else "user"


class _plain:
    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> str:
        return self.path

    def __exit__(self, *exc: object) -> None:
        return None
