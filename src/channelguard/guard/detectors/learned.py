"""Detectors on the encoder stage (guard/encoder.py): fine-tuned MiniLM heads for
injections, fraud and harmful requests. They report only where the Guard ran the
encoder (see Guard's `encoder` setting). In the default set, in "cascade" mode:
measured on sources its weights never saw, it adds recall at a small cost in
false positives (MODEL_CARD.md in data/encoder)."""

from __future__ import annotations

from channelguard.guard.detectors.base import Context, EncoderDetector
from channelguard.guard.detectors.social import asks_check_or_reports
from channelguard.guard.types import Domain, Finding, Role

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


# Below its own operating point (0.5 calibrated), the encoder's fraud head still
# counts where the n-gram fraud head (a different model: hashed n-grams, trained on
# the same sources) is at or over its operating point and the encoder reads at least
# AGREE_FLOOR. The agreed score is min(n-gram, encoder + AGREE_MARGIN), so it lies
# in [0.5, 0.7): a guard run at a stricter threshold than 0.7 uses each model alone.
# See EncoderFraud.
AGREE_FLOOR = 0.3
AGREE_MARGIN = 0.2
AGREED = " agree"  # how an agreement finding's evidence ends


class EncoderFraud(EncoderDetector):
    """The encoder's fraud head; and, where it is unsure, the two learned fraud
    models agreeing. The n-gram fraud head alone (`fraud_classifier`, opt-in) is the
    best single signal on e-mail and call fraud from other sources, but alone it
    flags ordinary service talk (independent testers: 14.5% of benign service-call
    turns). Asking the encoder to agree keeps most of what it catches: the default
    guard catches 65.3% -> 75.3% of the Mendeley smishing set, unseen by both
    models, for +0.5 points of that set's harmless SMS and +0.2 of real
    service-chat turns, every other benign group unchanged (bench/fraud_agreement.py;
    MODEL_CARD.md in data/encoder; the floor was chosen on those rows)."""

    id = "encoder_fraud"
    head = "fraud"
    domain = Domain.SECURITY
    category = "LLM06:2025"
    atlas = "AML.T0052"
    version = "2"
    description = (
        "Fraud and scam messages (phishing, smishing, BEC), judged by the encoder, or by "
        "the encoder and the n-gram fraud head agreeing."
    )

    def analyze(self, context: Context) -> list[Finding]:
        found = super().analyze(context)
        if context.encoder is None or (hs := context.encoder.get(self.head)) is None:
            return found
        if not AGREE_FLOOR <= hs.score < 0.5:
            return found  # the encoder is sure either way
        ngram = max(
            (view[self.head].score for view in context.head_scores if self.head in view),
            default=0.0,
        )
        if ngram < 0.5:
            return found  # the n-gram head is not
        if asks_check_or_reports(context.text):
            return found  # fraud talked about by the one it was tried on is not fraud
        agreed = min(ngram, hs.score + AGREE_MARGIN)
        return [
            self.finding(
                score=agreed,
                span=None,
                evidence=f"fraud encoder {hs.raw:.3f} and n-gram fraud head {ngram:.2f}" + AGREED,
            )
        ]


def is_agreement(finding: Finding) -> bool:
    """A finding the two fraud models agreeing made (bench/fraud_agreement.py)."""
    return finding.detector == EncoderFraud.id and finding.evidence.endswith(AGREED)


class EncoderHarmful(EncoderDetector):
    id = "encoder_harmful"
    head = "harmful"
    domain = Domain.SAFETY
    category = "AI600-1:dangerous-violent-hateful"
    atlas = "AML.T0048.003"
    roles = frozenset({Role.USER, Role.CUSTOMER})
    description = "Requests for harmful content, judged by the encoder."


ENCODER_DETECTORS = [EncoderInjection, EncoderFraud, EncoderHarmful]
