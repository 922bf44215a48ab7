"""The detector protocol and the base classes most detectors are built on.

A detector is a small class with a stable `id`, a `domain`, a `category` and a
`version`; `analyze(context)` returns findings. Pattern detectors list regexes
with a score; an optional `validate` rejects matches (checksums).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from channelguard.guard.canonical import Canonical
from channelguard.guard.classifier import HeadScore
from channelguard.guard.types import Domain, Finding, Role

__all__ = [
    "VIEW_LABEL",
    "BaseDetector",
    "ClassifierDetector",
    "Context",
    "Detector",
    "EncoderDetector",
    "Pattern",
    "PatternDetector",
]


@dataclass(kw_only=True)
class Context:
    """Everything detectors may read about one message; built once by the Guard."""

    role: Role
    canonical: Canonical
    head_scores: list[dict[str, HeadScore]] = field(default_factory=list)  # [main, *views]
    # the encoder stage's best score per head over the text's windows; None where the
    # Guard did not run it (off, or a user turn the cheap stage was sure of)
    encoder: dict[str, HeadScore] | None = None

    @property
    def text(self) -> str:
        return self.canonical.text


class Detector(Protocol):
    id: ClassVar[str]
    domain: ClassVar[Domain]
    category: ClassVar[str]
    atlas: ClassVar[str | None]
    version: ClassVar[str]
    roles: ClassVar[frozenset[Role]]
    description: ClassVar[str]

    def analyze(self, context: Context) -> list[Finding]: ...


@dataclass(frozen=True, slots=True)
class Pattern:
    regex: re.Pattern[str]
    score: float
    label: str


def patterns(score: float, label: str, *sources: str) -> list[Pattern]:
    return [Pattern(re.compile(s, re.IGNORECASE), score, label) for s in sources]


ALL_ROLES = frozenset(Role)
INBOUND = frozenset({Role.USER, Role.CUSTOMER, Role.DOCUMENT})
OUTPUT = frozenset({Role.ASSISTANT, Role.AGENT})


class BaseDetector:
    """Class attributes every detector declares, and the one way to make a Finding."""

    id: ClassVar[str]
    domain: ClassVar[Domain]
    category: ClassVar[str]
    atlas: ClassVar[str | None] = None
    version: ClassVar[str] = "1"
    roles: ClassVar[frozenset[Role]] = ALL_ROLES
    description: ClassVar[str] = ""
    # in the default set; a detector that does not hold on sources it never saw is
    # kept for those who name it (`--detectors`), not run on every message
    default: ClassVar[bool] = True

    def analyze(self, context: Context) -> list[Finding]:
        raise NotImplementedError

    def redact(self, text: str) -> str | None:
        """`text` with what this detector masks replaced (unchanged where it finds
        nothing), or None: this detector does not redact. A detector whose findings
        carry `redacted` implements it, so that the Guard masks what every such
        detector found in one text, and in a message read in windows."""
        return None

    def finding(
        self,
        *,
        score: float,
        span: tuple[int, int] | None,
        evidence: str,
        atlas: str | None = None,
        redacted: str | None = None,
        request_only: bool = False,
    ) -> Finding:
        return Finding(
            detector=self.id,
            domain=self.domain,
            category=self.category,
            atlas=atlas or self.atlas,
            score=score,
            span=span,
            evidence=evidence,
            redacted=redacted,
            request_only=request_only,
        )


class PatternDetector(BaseDetector):
    """Report the strongest pattern match; subclasses list PATTERNS."""

    PATTERNS: ClassVar[list[Pattern]] = []

    def validate(self, match: re.Match[str]) -> bool:
        return True

    def patterns_for(self, text: str) -> list[Pattern]:
        """The patterns worth running on `text` (a subclass may skip the ones that
        cannot match it)."""
        return self.PATTERNS

    def texts(self, context: Context) -> Iterable[tuple[str, str]]:
        yield "", context.text

    def analyze(self, context: Context) -> list[Finding]:
        best: tuple[float, Pattern, re.Match[str], str] | None = None
        for prefix, text in self.texts(context):
            for pattern in self.patterns_for(text):
                # the first match that validates counts: a quoted or reported phrase
                # early in a text must not hide a real one later
                for match in pattern.regex.finditer(text):
                    if self.validate(match):
                        if best is None or pattern.score > best[0]:
                            best = (pattern.score, pattern, match, prefix)
                        break
        if best is None:
            return []
        score, pattern, match, prefix = best
        span = context.canonical.to_original(*match.span()) if not prefix else None
        return [
            self.finding(
                score=score, span=span, evidence=f"{prefix}{pattern.label}: {match.group()[:120]}"
            )
        ]


VIEW_LABEL = {
    "tag_payload": "hidden TAG characters",
    "vs_payload": "variation-selector payload",
    "base64": "decoded base64",
    "hex": "decoded hex",
    "rot13": "decoded rot13",
    "reversed": "reversed text",
    "leetspeak": "leetspeak",
}


class ClassifierDetector(BaseDetector):
    """A classifier head turned into findings, for the text and each decoded view."""

    head: ClassVar[str]
    roles: ClassVar[frozenset[Role]] = INBOUND

    def atlas_for(self, role: Role) -> str | None:
        return self.atlas

    def head_for(self, role: Role) -> str:
        return self.head

    def analyze(self, context: Context) -> list[Finding]:
        best: Finding | None = None
        head = self.head_for(context.role)
        sources = [
            ("", None),
            *[(VIEW_LABEL.get(v.kind, v.kind), v) for v in context.canonical.views],
        ]
        for (label, view), scores in zip(sources, context.head_scores, strict=False):
            hs = scores.get(head)
            if hs is None or (best is not None and hs.score <= best.score):
                continue
            evidence = f"{head} classifier {against(hs)}" + (
                f" on {label}: {view.text[:80]!r}" if view else ""
            )
            best = self.finding(
                atlas=self.atlas_for(context.role),
                score=hs.score,
                span=view.span if view else None,
                evidence=evidence,
            )
        return [best] if best is not None else []


class EncoderDetector(BaseDetector):
    """A head of the encoder stage turned into a finding, where the Guard ran it."""

    head: ClassVar[str]
    roles: ClassVar[frozenset[Role]] = INBOUND

    def head_for(self, role: Role) -> str:
        return self.head

    def analyze(self, context: Context) -> list[Finding]:
        if context.encoder is None:
            return []
        hs = context.encoder.get(self.head_for(context.role))
        if hs is None:
            return []
        return [
            self.finding(score=hs.score, span=None, evidence=f"{hs.head} encoder {against(hs)}")
        ]


def against(hs: HeadScore) -> str:
    """A head's raw probability beside the one it needs ("0.9920, flags at
    0.9996"), to as many places as tell them apart: a raw 0.992 next to a score
    under 0.5 read as if the model were sure and the guard let it through."""
    if hs.threshold is None:
        return f"{hs.raw:.3f}"
    places = 4
    while places < 6 and f"{hs.raw:.{places}f}" == f"{hs.threshold:.{places}f}":
        places += 1
    return f"{hs.raw:.{places}f}, flags at {hs.threshold:.{places}f}"
