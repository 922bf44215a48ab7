"""What kind of proof a factor is, for a factor a model defines without `evidence`.

The contract's own fields say a lot: `phishing_resistant: true` is at least
phishing-resistant evidence, whatever the factor is called; the id and label
name the mechanism (an SMS code, an app push, a callback, a document check).
A factor that tells nothing stays knowledge: fail closed, and said so. The
choice and its reason are reported by `lint` (a note, not an error) and in the
review, so a practitioner sees how the engine read each factor and can set
`evidence:` to overrule it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from channelguard.model.schema import Evidence, FactorSpec

__all__ = ["Derived", "derive_evidence"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Derived:
    evidence: Evidence
    inbound: bool  # carried on the inbound interaction itself (it cannot verify itself)
    reason: str


# (pattern over "id label", class, inbound), first match wins: the most specific first
_RULES: tuple[tuple[str, Evidence, bool], ...] = (
    (
        r"passkey|fido|webauthn|security[ _-]?key|hardware[ _-]?token|u2f",
        Evidence.PHISHING_RESISTANT,
        False,
    ),
    (
        r"known[ _-]?person|out[ _-]?of[ _-]?band|oob|second[ _-]?person",
        Evidence.OUT_OF_BAND_PERSON,
        False,
    ),
    (r"call[ _-]?back|callback|call the number on file", Evidence.CALLBACK, False),
    (
        r"second[ _-]?approv|dual[ _-]?control|four[ _-]?eyes|maker[ _-]?checker",
        Evidence.APPROVAL,
        False,
    ),
    (r"override|supervisor|manager|approv", Evidence.APPROVAL, True),
    (r"cooling|delay|waiting[ _-]?period|hold[ _-]?period", Evidence.DELAY, False),
    (
        r"push|in[ _-]?app|app[ _-]?session|logged[ _-]?in|authenticated[ _-]?session"
        r"|mobile[ _-]?app|device[ _-]?bound",
        Evidence.BOUND_APP,
        False,
    ),
    (r"e-?mail[ _-]?(code|otp|link)|magic[ _-]?link", Evidence.EMAIL_CODE, False),
    (
        r"sms|text[ _-]?message|otp|one[ _-]?time|voice[ _-]?code|\bcode\b",
        Evidence.PSTN_CODE,
        False,
    ),
    (
        r"sim[ _-]?swap|port[ _-]?out|caller[ _-]?id|ani\b|stir|shaken|carrier|network",
        Evidence.NETWORK_SIGNAL,
        True,
    ),
    (
        r"biometric|voice[ _-]?print|voiceprint|face|selfie|liveness|fingerprint",
        Evidence.BIOMETRIC,
        True,
    ),
    (
        r"document|passport|licen[cs]e|id[ _-]?(card|scan|check)|photo[ _-]?id|in[ _-]?person",
        Evidence.DOCUMENT,
        True,
    ),
    (
        r"kba|question|secret|pin\b|password|date[ _-]?of[ _-]?birth|dob|ssn|postcode|zip"
        r"|account[ _-]?(number|details)|address|mother",
        Evidence.KNOWLEDGE,
        True,
    ),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), e, i) for p, e, i in _RULES)


def derive_evidence(factor_id: str, spec: FactorSpec) -> Derived:
    """The class of a factor without `evidence`, from the contract's fields."""
    words = f"{factor_id.replace('_', ' ')} {spec.label or ''}"
    if spec.phishing_resistant:
        return Derived(
            evidence=Evidence.PHISHING_RESISTANT,
            inbound=False if spec.inbound is None else spec.inbound,
            reason="phishing_resistant: true",
        )
    for pattern, evidence, inbound in _COMPILED:
        match = pattern.search(words)
        if match:
            return Derived(
                evidence=evidence,
                inbound=inbound if spec.inbound is None else spec.inbound,
                reason=f"its id or label says '{match.group(0)}'",
            )
    return Derived(
        evidence=Evidence.KNOWLEDGE,
        inbound=True if spec.inbound is None else spec.inbound,
        reason="nothing in its fields says what it is: read as knowledge (fail closed)",
    )
