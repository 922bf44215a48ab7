"""Typed, frozen results of the guard: messages in, findings and verdicts out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from channelguard.roles import Role

__all__ = ["Domain", "Finding", "Message", "Role", "ScanResult"]


class Domain(StrEnum):
    SECURITY = "security"  # someone attacking
    SAFETY = "safety"  # the system causing harm by itself


@dataclass(frozen=True, kw_only=True, slots=True)
class Message:
    text: str
    role: Role = Role.USER
    channel: str | None = None
    lang: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Finding:
    """One thing wrong with a message: who found it, where, why, how sure."""

    detector: str
    domain: Domain
    category: str  # OWASP LLM Top 10 id with its year, e.g. LLM01:2025
    score: float
    span: tuple[int, int] | None
    evidence: str
    atlas: str | None = None  # MITRE ATLAS technique id where one fits
    redacted: str | None = None  # for personal data: the text with it masked
    # the finding describes the request itself (a bank-detail change and a payment,
    # asked for plainly) and no attack on it: what fraud asks for, and what a real
    # customer asks for too. Verification in the session answers it (decide).
    request_only: bool = False
    rule: str | None = None  # the rule that fired, for rule-pack findings (atr:ATR-2026-00001)
    # other rules that fired on the same words, folded into this finding
    also_rules: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "detector": self.detector,
            "domain": self.domain.value,
            "category": self.category,
            "score": round(self.score, 4),
            "span": list(self.span) if self.span else None,
            "evidence": self.evidence,
        }
        if self.atlas:
            out["atlas"] = self.atlas
        if self.request_only:
            out["request_only"] = True
        if self.rule:
            out["rule"] = self.rule
        if self.also_rules:
            out["also_rules"] = list(self.also_rules)
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class ScanResult:
    flagged: bool
    score: float
    findings: tuple[Finding, ...]
    threshold: float
    truncated: bool = False
    redacted: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # a message not flagged: the finding behind its score, when that is NEAR_FLOOR or more
    # (what a reviewer asks first of a clean result at 0.49: which detector, and why)
    near: Finding | None = None

    @property
    def domains(self) -> set[Domain]:
        return {f.domain for f in self.findings if f.score >= self.threshold}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "flagged": self.flagged,
            "score": shown_score(self.score, self.flagged),
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.near is not None and not self.flagged:
            out["near"] = self.near.to_dict() | {"score": shown_score(self.near.score, False)}
        if self.truncated:
            out["truncated"] = True
        if self.redacted is not None:
            out["redacted"] = self.redacted
        return out


NEAR_FLOOR = 0.3  # a clean message's top finding at or above this is shown as `near`


def shown_score(score: float, flagged: bool) -> float:
    """A score to four decimals, never rounded up to a threshold it did not reach: a
    clean message at 0.49996 reads 0.4999, not 0.5."""
    return round(score, 4) if flagged else math.floor(score * 10_000) / 10_000
