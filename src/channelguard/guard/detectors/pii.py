"""Personal data and secrets in what the agent says, with checksums and redaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from channelguard.guard.detectors.base import OUTPUT, BaseDetector, Context
from channelguard.guard.types import Domain, Finding

__all__ = ["PersonalData", "iban_ok", "luhn_ok"]


def luhn_ok(digits: str) -> bool:
    nums = [int(d) for d in digits if d.isdigit()]
    if not 13 <= len(nums) <= 19:
        return False
    total = 0
    for i, n in enumerate(reversed(nums)):
        if i % 2:
            n = n * 2 - 9 if n * 2 > 9 else n * 2
        total += n
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    s = re.sub(r"\s", "", value).upper()
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


def _ssn_ok(value: str) -> bool:
    area, group, serial = value.split("-")
    return (
        area not in ("000", "666")
        and not area.startswith("9")
        and group != "00"
        and serial != "0000"
    )


@dataclass(frozen=True, slots=True)
class _Kind:
    name: str
    regex: re.Pattern[str]
    score: float
    validate: object = None


KINDS = [
    _Kind("card_number", re.compile(r"\b(?:\d[ -]?){12,18}\d\b"), 0.95, luhn_ok),
    _Kind(
        "iban",
        re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b"),
        0.95,
        iban_ok,
    ),
    _Kind("us_ssn", re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), 0.9, _ssn_ok),
    _Kind(
        "uk_nino",
        re.compile(
            r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"
        ),
        0.85,
    ),
    _Kind("email", re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"), 0.7),
    # a phone number is not a slice of a longer digit run (cards, order numbers)
    _Kind(
        "phone",
        re.compile(
            r"(?<![\w-])(?<!\d )(?<!\d\.)\+?\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\w-])(?! \d)(?!\.\d)"
        ),
        0.7,
    ),
    _Kind(
        "street_address",
        re.compile(
            r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct)\b\.?"
        ),
        0.75,
    ),
    _Kind(
        "secret",
        re.compile(
            r"\b(?:AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9]{20,}|ghp_[A-Za-z0-9]{36}|xox[bp]-[A-Za-z0-9-]{10,})\b"
        ),
        0.95,
    ),
    _Kind("password", re.compile(r"\b(?:password|passcode|pin)\s*(?:is|:|=)\s*\S{4,}", re.I), 0.85),
]


class PersonalData(BaseDetector):
    id = "personal_data"
    domain = Domain.SAFETY
    category = "LLM02:2025"
    atlas: ClassVar[str | None] = "AML.T0057"
    version = "1"
    roles = OUTPUT
    description = "Card numbers (Luhn), IBANs (mod 97), national ids, e-mail, phone, addresses and secrets in agent output; redacted."

    def matches(self, text: str) -> list[tuple[str, int, int, float]]:
        found: list[tuple[str, int, int, float]] = []
        taken: list[tuple[int, int]] = []
        for kind in KINDS:
            for m in kind.regex.finditer(text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                if callable(kind.validate) and not kind.validate(m.group()):
                    continue
                found.append((kind.name, m.start(), m.end(), kind.score))
                taken.append(m.span())
        return found

    def redact(self, text: str) -> str:
        return _mask(text, self.matches(text))

    def analyze(self, context: Context) -> list[Finding]:
        text = context.canonical.original
        found = self.matches(text)
        if not found:
            return []
        redacted = _mask(text, found)
        return [
            self.finding(
                score=score,
                span=(start, end),
                evidence=f"{name}: {text[start:end][:4]}…",
                redacted=redacted,
            )
            for name, start, end, score in sorted(found, key=lambda t: -t[3])
        ]


def _mask(text: str, found: list[tuple[str, int, int, float]]) -> str:
    out = text
    for name, start, end, _ in sorted(found, key=lambda t: -t[1]):
        out = out[:start] + f"[{name.upper()}]" + out[end:]
    return out
