"""Detectors on the encoder stage (guard/encoder.py): fine-tuned MiniLM heads for
injections, fraud and harmful requests. They report only where the Guard ran the
encoder (see Guard's `encoder` setting). In the default set, in "cascade" mode:
measured on sources its weights never saw, it adds recall at a small cost in
false positives (MODEL_CARD.md in data/encoder)."""

from __future__ import annotations

from channelguard.guard.detectors.base import EncoderDetector
from channelguard.guard.types import Domain, Role

__all__ = ["ENCODER_DETECTORS"]


class EncoderInjection(EncoderDetector):
    id = "encoder_injection"
    head = "injection"  # user turns; documents and tool output by the `indirect` head
    domain = Domain.SECURITY
    category = "LLM01:2025"
    atlas = "AML.T0051.000"
    description = (
        "Prompt injection and jailbreaks, direct or planted in documents and tool output, "
        "judged by the fine-tuned encoder."
    )

    def head_for(self, role: Role) -> str:
        return "indirect" if role is Role.DOCUMENT else "injection"


class EncoderFraud(EncoderDetector):
    id = "encoder_fraud"
    head = "fraud"
    domain = Domain.SECURITY
    category = "LLM06:2025"
    atlas = "AML.T0052"
    description = "Fraud and scam messages (phishing, smishing, BEC), judged by the encoder."


class EncoderHarmful(EncoderDetector):
    id = "encoder_harmful"
    head = "harmful"
    domain = Domain.SAFETY
    category = "AI600-1:dangerous-violent-hateful"
    atlas = "AML.T0048.003"
    roles = frozenset({Role.USER, Role.CUSTOMER})
    description = "Requests for harmful content, judged by the encoder."


ENCODER_DETECTORS = [EncoderInjection, EncoderFraud, EncoderHarmful]
