"""Personal data and secrets in what the agent says, with checksums and redaction."""

from __future__ import annotations

from typing import ClassVar

from channelguard.guard.detectors.base import OUTPUT, BaseDetector, Context
from channelguard.guard.types import Domain, Finding
from channelguard.pii import iban_ok, luhn_ok, mask, pii_matches

__all__ = ["PersonalData", "iban_ok", "luhn_ok"]


class PersonalData(BaseDetector):
    id = "personal_data"
    domain = Domain.SAFETY
    category = "LLM02:2025"
    atlas: ClassVar[str | None] = "AML.T0057"
    version = "1"
    roles = OUTPUT
    description = (
        "Card numbers (Luhn), IBANs (mod 97), national ids, e-mail, phone, addresses, one-time "
        "codes, PINs, PUK and PAC codes, UK sort codes and account numbers, dates of birth, "
        "postcodes, passport numbers, card expiry dates and security codes, memorable words "
        "and secrets in agent output; redacted (names after a title are masked too)."
    )

    def redact(self, text: str) -> str:
        return mask(text, pii_matches(text))

    def analyze(self, context: Context) -> list[Finding]:
        text = context.canonical.original
        found = pii_matches(text)
        if not found:
            return []
        redacted = mask(text, found)
        return [
            self.finding(
                score=m.score,
                span=(m.start, m.end),
                evidence=f"{m.kind}: {text[m.start : m.end][:4]}…",
                redacted=redacted,
            )
            for m in sorted(found, key=lambda f: -f.score)
        ]
