"""The Guard: canonicalize, score with the classifier once, run every detector.

    guard = Guard().load()
    result = guard.inspect("Ignore previous instructions", role="user")

Construction only stores settings; `load()` reads the model and the Unicode
data. A detector that raises does not silence the message: it yields a
finding at the threshold (fail closed) that names the error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from channelguard.errors import InputError
from channelguard.guard.canonical import Canonical, canonicalize, load_confusables
from channelguard.guard.classifier import HeadScore, TextClassifier
from channelguard.guard.detectors.base import Context
from channelguard.guard.registry import build_registry
from channelguard.guard.types import Finding, Message, Role, ScanResult

__all__ = ["DEFAULT_MAX_CHARS", "Guard"]

DEFAULT_MAX_CHARS = 20_000


class Guard:
    def __init__(
        self,
        *,
        detectors: Sequence[str] | None = None,
        threshold: float = 0.5,
        max_chars: int = DEFAULT_MAX_CHARS,
        model_path: str | None = None,
    ) -> None:
        if not 0 < threshold <= 1:
            raise InputError(f"threshold must be in (0, 1], got {threshold}")
        if max_chars < 1:
            raise InputError(f"max_chars must be positive, got {max_chars}")
        self.threshold = threshold
        self.max_chars = max_chars
        self.selected = list(detectors) if detectors is not None else None
        self.model_path = model_path
        self._detectors: list[Any] = []
        self._classifier: TextClassifier | None = None
        self._confusables: dict[str, str] = {}

    def load(self) -> Guard:
        registry = build_registry()
        ids = self.selected if self.selected is not None else list(registry)
        unknown = [i for i in ids if i not in registry]
        if unknown:
            raise InputError(
                f"unknown detector(s): {', '.join(unknown)}; known: {', '.join(registry)}"
            )
        self._detectors = [registry[i]() for i in ids]
        if any(hasattr(d, "head") for d in self._detectors):
            self._classifier = TextClassifier(self.model_path).load()
        self._confusables = load_confusables()
        return self

    @property
    def detector_ids(self) -> list[str]:
        return [d.id for d in self._detectors]

    def inspect(self, text: str, role: str | Role = Role.USER) -> ScanResult:
        return self.inspect_batch([Message(text=text, role=Role(role))])[0]

    def inspect_batch(self, messages: Iterable[Message]) -> list[ScanResult]:
        if not self._detectors:
            self.load()  # first use loads; call load() up front to pay it at start-up
        prepared = [self._prepare(m) for m in messages]
        scores = self._score(prepared)
        return [self._decide(m, c, cut, s) for (m, c, cut), s in zip(prepared, scores, strict=True)]

    def _prepare(self, message: Message) -> tuple[Message, Canonical, bool]:
        text = message.text
        cut = len(text) > self.max_chars
        if cut:
            text = text[: self.max_chars]
        return message, canonicalize(text, self._confusables), cut

    def _score(
        self, prepared: list[tuple[Message, Canonical, bool]]
    ) -> list[list[dict[str, HeadScore]]]:
        if self._classifier is None:
            return [[] for _ in prepared]
        texts: list[str] = []
        owners: list[int] = []
        for i, (_, canon, _) in enumerate(prepared):
            for t in [canon.text, *(v.text for v in canon.views)]:
                texts.append(t)
                owners.append(i)
        flat = self._classifier.score_batch(texts)
        out: list[list[dict[str, HeadScore]]] = [[] for _ in prepared]
        for i, s in zip(owners, flat, strict=True):
            out[i].append(s)
        return out

    def _decide(
        self, message: Message, canon: Canonical, cut: bool, scores: list[dict[str, HeadScore]]
    ) -> ScanResult:
        role = Role.USER if message.role is Role.CUSTOMER else message.role
        context = Context(role=role, canonical=canon, head_scores=scores)
        found: list[Finding] = []
        for detector in self._detectors:
            if role not in detector.roles and message.role not in detector.roles:
                continue
            try:
                found.extend(detector.analyze(context))
            except Exception as exc:  # fail closed: a broken detector is a reason to look
                found.append(
                    Finding(
                        detector=detector.id,
                        domain=detector.domain,
                        category=detector.category,
                        score=self.threshold,
                        span=None,
                        evidence=f"detector failed: {exc!r}",
                    )
                )
        top = max((f.score for f in found), default=0.0)
        kept = tuple(
            sorted((f for f in found if f.score >= self.threshold), key=lambda f: -f.score)
        )
        redacted = next((f.redacted for f in kept if f.redacted is not None), None)
        notes = (f"input capped at {self.max_chars} characters",) if cut else ()
        return ScanResult(
            flagged=top >= self.threshold,
            score=top,
            findings=kept,
            threshold=self.threshold,
            truncated=cut,
            redacted=redacted if redacted is not None else None,
            notes=notes,
        )
