"""encoder_fraud: the encoder's fraud head, or the encoder and the n-gram fraud head
agreeing where the encoder alone is unsure."""

from __future__ import annotations

import pytest

from channelguard.guard.canonical import canonicalize, load_confusables
from channelguard.guard.classifier import HeadScore
from channelguard.guard.detectors.base import Context
from channelguard.guard.detectors.learned import AGREE_FLOOR, EncoderFraud
from channelguard.guard.types import Role

CONF = load_confusables()
TEXT = "Please remit the settlement to our new account today."


def context(*, encoder: float | None, ngram: float, view_ngram: float | None = None) -> Context:
    heads = [{"fraud": HeadScore(head="fraud", score=ngram, raw=ngram, segment=0)}]
    if view_ngram is not None:
        heads.append(
            {"fraud": HeadScore(head="fraud", score=view_ngram, raw=view_ngram, segment=0)}
        )
    return Context(
        role=Role.DOCUMENT,
        canonical=canonicalize(TEXT, CONF),
        head_scores=heads,
        encoder=None
        if encoder is None
        else {"fraud": HeadScore(head="fraud", score=encoder, raw=encoder, segment=0)},
    )


def scores(ctx: Context) -> list[float]:
    return [f.score for f in EncoderFraud().analyze(ctx)]


def test_the_encoder_alone_over_its_point_is_reported_as_before() -> None:
    found = EncoderFraud().analyze(context(encoder=0.8, ngram=0.1))
    assert [f.score for f in found] == [0.8]
    assert "agree" not in found[0].evidence


def test_two_models_agreeing_flag_what_the_encoder_alone_would_not() -> None:
    found = EncoderFraud().analyze(context(encoder=0.35, ngram=0.9))
    assert len(found) == 1 and found[0].score >= 0.5
    assert "agree" in found[0].evidence and "n-gram fraud head 0.90" in found[0].evidence


@pytest.mark.parametrize(
    ("encoder", "ngram"),
    [
        (AGREE_FLOOR - 0.01, 0.99),  # the encoder too unsure
        (0.45, 0.49),  # the n-gram head under its own operating point
        (0.05, 0.2),
    ],
)
def test_no_agreement_no_flag(encoder: float, ngram: float) -> None:
    assert all(s < 0.5 for s in scores(context(encoder=encoder, ngram=ngram)))


def test_the_agreed_score_stays_under_a_stricter_operating_point() -> None:
    # min(n-gram, encoder + margin): under 0.7, so a guard run at 0.7 uses each alone
    assert max(scores(context(encoder=0.49, ngram=0.99))) < 0.7
    assert scores(context(encoder=0.35, ngram=0.52)) == [pytest.approx(0.52)]


def test_an_encoder_sure_on_its_own_is_reported_alone() -> None:
    found = EncoderFraud().analyze(context(encoder=0.55, ngram=0.99))
    assert [f.score for f in found] == [0.55] and "agree" not in found[0].evidence


def test_a_decoded_view_counts_for_the_ngram_head() -> None:
    assert max(scores(context(encoder=0.4, ngram=0.1, view_ngram=0.95))) >= 0.5


@pytest.mark.parametrize(
    "text",
    [
        "We received new bank details from a supplier and want to confirm them before paying.",
        "Someone called and said I must move my savings to a new account. Is this real?",
    ],
)
def test_the_honest_side_of_the_script_is_not_an_agreement(text: str) -> None:
    ctx = context(encoder=0.45, ngram=0.95)
    honest = Context(
        role=ctx.role,
        canonical=canonicalize(text, CONF),
        head_scores=ctx.head_scores,
        encoder=ctx.encoder,
    )
    assert all(s < 0.5 for s in scores(honest))


def test_without_the_encoder_nothing_is_reported() -> None:
    assert scores(context(encoder=None, ngram=0.99)) == []
