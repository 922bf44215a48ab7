"""Custom recognisers, Presidio style: a pattern, context words, an optional check.

A recogniser finds one kind of value (an entity) in what the agent says and
masks it. Subclass `PatternRecognizer`, list PATTERNS (regex, score, name),
optional CONTEXT words that must appear within 60 characters for the value to
count at full score (without them: the class's CONTEXT_FREE score, by default
CONTEXT_FREE_SCORE, below the default threshold), CONTEXT_ONLY patterns that
count only with a context word (a shape too common to mask alone), and
override `validate(value)` for a checksum. Register yours
through the `channelguard.detectors` entry point (docs/guard.md, "Custom
recognisers"). The three here are opt-in (`--detectors default,uk_bank_account`):
account and policy formats differ between firms, and no benign agent output
is shared to measure them on.
"""

from __future__ import annotations

import re
from typing import ClassVar

from channelguard.guard.detectors.base import OUTPUT, BaseDetector, Context, Pattern, patterns
from channelguard.guard.types import Domain, Finding

__all__ = ["ClaimNumber", "PatternRecognizer", "PolicyNumber", "UkBankAccount"]

CONTEXT_FREE_SCORE = 0.4
WINDOW = 60


class PatternRecognizer(BaseDetector):
    domain = Domain.SAFETY
    category = "LLM02:2025"
    atlas: ClassVar[str | None] = "AML.T0057"
    roles = OUTPUT
    default = False
    entity: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]] = []
    CONTEXT_ONLY: ClassVar[list[Pattern]] = []  # count only with a context word near
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    CONTEXT_FREE: ClassVar[float] = CONTEXT_FREE_SCORE  # a PATTERNS match with no context

    def validate(self, value: str) -> bool:
        return True

    def has_context(self, text: str, start: int, end: int) -> bool:
        if not self.CONTEXT:
            return True
        near = text[max(0, start - WINDOW) : end + WINDOW].lower()
        return any(word in near for word in self.CONTEXT)

    def spans(self, text: str) -> list[tuple[int, int, float, str]]:
        """(start, end, score, label) of every value found in `text`."""
        spans: list[tuple[int, int, float, str]] = []
        read = [(p, False) for p in self.PATTERNS] + [(p, True) for p in self.CONTEXT_ONLY]
        for pattern, needs_context in read:
            for m in pattern.regex.finditer(text):
                if any(a < m.end() and m.start() < b for a, b, _, _ in spans):
                    continue
                if not self.validate(m.group()):
                    continue
                near = self.has_context(text, m.start(), m.end())
                if needs_context and not near:
                    continue
                spans.append((m.start(), m.end(), pattern.score if near else self.CONTEXT_FREE,
                              pattern.label))  # fmt: skip
        return spans

    def _masked(self, text: str, spans: list[tuple[int, int, float, str]]) -> str:
        for start, end, _, _ in sorted(spans, reverse=True):
            text = text[:start] + f"[{self.entity}]" + text[end:]
        return text

    def redact(self, text: str) -> str:
        return self._masked(text, self.spans(text))

    def analyze(self, context: Context) -> list[Finding]:
        text = context.canonical.original
        spans = self.spans(text)
        masked = self._masked(text, spans)
        return [
            self.finding(
                score=score,
                span=(start, end),
                evidence=f"{label}: {text[start:end][:4]}…",
                redacted=masked,
            )
            for start, end, score, label in spans
        ]


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


class UkBankAccount(PatternRecognizer):
    id = "uk_bank_account"
    entity = "UK_BANK_ACCOUNT"
    description = (
        "A UK sort code (12-34-56, 12 34 56, or 123456 near a bank word) with an 8-digit "
        "account number, in either order, in agent output; masked (opt-in)."
    )
    PATTERNS: ClassVar[list[Pattern]] = patterns(
        0.9,
        "sort code and account",
        r"\b\d{2}[- ]\d{2}[- ]\d{2}\b[^\d\n]{0,30}\b\d{8}\b",
        r"\b\d{8}\b[^\d\n]{0,30}\b\d{2}[- ]\d{2}[- ]\d{2}\b",
    )
    # six digits then eight (or eight then six) is also an order and a date, a
    # reference and a phone: only near a bank word
    CONTEXT_ONLY: ClassVar[list[Pattern]] = patterns(
        0.9,
        "sort code and account",
        r"\b\d{6}\b[^\d\n]{0,30}\b\d{8}\b",
        r"\b\d{8}\b[^\d\n]{0,30}\b\d{6}\b",
    )
    CONTEXT = ("sort code", "account", "acct", "a/c", "bank", "payee", "pay into")
    # the separated sort code beside eight digits is the shape itself: masked even
    # without a bank word ("Your details: 20-45-77 41235678" went out in clear)
    CONTEXT_FREE = 0.6

    def validate(self, value: str) -> bool:
        digits = _digits(value)  # 6 of sort code and 8 of account, either order
        if len(digits) != 14:
            return False
        first = re.match(r"\d+", value)
        account_first = first is not None and len(first.group()) == 8
        sort_code, account = (digits[8:], digits[:8]) if account_first else (digits[:6], digits[6:])
        return sort_code != "000000" and len(set(account)) > 1


class PolicyNumber(PatternRecognizer):
    id = "policy_number"
    entity = "POLICY_NUMBER"
    description = "Insurance policy numbers (POL-12345678 style) near the word policy; opt-in."
    PATTERNS: ClassVar[list[Pattern]] = patterns(
        0.8, "policy number", r"\b(?:POL|PLC|PN)[-/ ]?\d{6,10}\b"
    )
    CONTEXT = ("policy",)


class ClaimNumber(PatternRecognizer):
    id = "claim_number"
    entity = "CLAIM_NUMBER"
    description = "Insurance claim references (CLM-12345678 style) near the word claim; opt-in."
    PATTERNS: ClassVar[list[Pattern]] = patterns(
        0.8, "claim number", r"\b(?:CLM|CLAIM|CL)[-/ ]?\d{6,10}\b"
    )
    CONTEXT = ("claim",)


RECOGNIZERS = [UkBankAccount, PolicyNumber, ClaimNumber]
