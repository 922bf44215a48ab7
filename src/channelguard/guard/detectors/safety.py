"""Safety detectors: the system causing harm by itself, or harm it must not help with."""

from __future__ import annotations

from typing import ClassVar

from channelguard.guard.detectors.base import (
    ALL_ROLES,
    OUTPUT,
    ClassifierDetector,
    PatternDetector,
    patterns,
)
from channelguard.guard.detectors.pii import PersonalData
from channelguard.guard.types import Domain, Role


class Toxicity(ClassifierDetector):
    id = "toxicity"
    head = "toxic"
    domain = Domain.SAFETY
    category = "AI600-1:dangerous-violent-hateful"
    atlas = None
    # what the agent says and what people say to it; not retrieved documents, where the
    # head (one source, ToxiGen) flagged 4.7% of real mailing-list e-mail it never saw
    # (bench/generalization.py, 2026-12-01), and a hateful document is not itself harm done
    roles = frozenset({Role.USER, Role.CUSTOMER, Role.AGENT, Role.ASSISTANT})
    description = "Hateful or demeaning statements about groups (ToxiGen-trained head)."


class HarmfulRequest(ClassifierDetector):
    id = "harmful_request"
    head = "harmful"
    domain = Domain.SAFETY
    category = "AI600-1:dangerous-violent-hateful"
    atlas = "AML.T0048.003"
    roles = frozenset({Role.USER, Role.CUSTOMER})
    description = (
        "Requests for harmful content (JailbreakBench, HarmBench, Do-Not-Answer-trained head)."
    )


class Harassment(PatternDetector):
    id = "harassment"
    domain = Domain.SAFETY
    category = "AI600-1:obscene-degrading-abusive"
    roles = ALL_ROLES
    description = "Direct insults and threats aimed at a person."
    PATTERNS: ClassVar = patterns(
        0.8,
        "insult or threat",
        r"\byou(\s+are|'re|\s+r)\s+(an?\s+)?(stupid|idiot|moron|worthless|useless|pathetic|dumb)\b",
        r"\b(i will|i'll|gonna)\s+(kill|hurt|find)\s+you\b",
        # "the dentist you can't shut up about" is praise, not abuse
        r"\b(shut up(?!\s+about)|go to hell|f+u+c+k+\s+(you|off))\b",
    )


class UnauthorizedCommitment(PatternDetector):
    id = "unauthorized_commitment"
    domain = Domain.SAFETY
    category = "LLM06:2025"
    roles = OUTPUT
    description = "The agent promises money, exceptions or advice it is not entitled to give."
    PATTERNS: ClassVar = (
        patterns(
            0.85,
            "promised refund or credit",
            r"\b(i('ve| have)?|we('ve| have)?)\s*(will|'ll|can|have|already)?\s*(go ahead and\s+)?(issued?|process(ed)?|approved?|give you|credit(ed)?|refund(ed)?|waived?)\b[^.\n]{0,40}\b(full\s+)?(refund|credit|compensation|waive[sd]?|reimburse)",
            r"\byou('re| are)\s+(entitled|guaranteed)\s+to\b",
            r"\bi\s+(guarantee|promise)\b",
        )
        + patterns(
            0.75,
            "advice it may not give",
            r"\byou\s+should\s+(definitely\s+)?(invest|buy|sell)\s+(in\s+)?(stocks?|shares|crypto|bitcoin|bonds)",
            r"\b(legally|under the law),?\s+you\s+(can|must|are|have)\b",
            r"\btake\s+\d+\s*(mg|milligrams|pills|tablets)\b",
        )
        + patterns(
            0.7,
            "invented policy",
            r"\b(our|the)\s+policy\s+(allows|guarantees|states that you)\b[^.\n]{0,40}\b(any time|always|unlimited|lifetime|no questions)",
        )
    )


class Distress(PatternDetector):
    id = "distress"
    domain = Domain.SAFETY
    category = "AI600-1:human-ai-configuration"
    # a person, not a document: a song called "Suicide" in a table is no crisis
    roles = frozenset({Role.USER, Role.CUSTOMER})
    description = "A person in crisis who must reach a human, in six languages."
    PATTERNS: ClassVar = patterns(
        0.9,
        "self-harm or crisis",
        r"\b(i\s+(want|am going|plan)\s+to\s+(kill myself|end (it|my life)|die)|suicid(e|al)|self[- ]harm|no reason to live)\b",
        r"\b(quiero (morir|suicidarme)|je veux (mourir|me suicider)|ich will (sterben|mich umbringen)|quero morrer|voglio morire)\b",
    ) + patterns(
        0.75,
        "acute distress",
        r"\b(i('m| am) (scared|terrified) (for my life|he will hurt me)|he (hits|beats) me|i ((just|really|simply) )?(can't|cannot) go on(\s+(like this|anymore|any longer|living))?(?=\s*([.!?,]|$)))",
    )


SAFETY_DETECTORS = [
    Toxicity,
    HarmfulRequest,
    Harassment,
    UnauthorizedCommitment,
    Distress,
    PersonalData,
]
