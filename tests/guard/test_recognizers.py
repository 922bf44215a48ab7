"""Custom recognisers: pattern, context words, check; masked in the redacted text."""

from __future__ import annotations

from typing import ClassVar

import pytest

from channelguard.guard.canonical import canonicalize, load_confusables
from channelguard.guard.detectors.base import Context, Pattern, patterns
from channelguard.guard.detectors.pii import luhn_ok
from channelguard.guard.detectors.recognizers import (
    ClaimNumber,
    PatternRecognizer,
    PolicyNumber,
    UkBankAccount,
)
from channelguard.guard.guard import Guard
from channelguard.guard.types import Role

CONF = load_confusables()


def found(detector: PatternRecognizer, text: str) -> list[tuple[str, float]]:
    context = Context(role=Role.ASSISTANT, canonical=canonicalize(text, CONF))
    return [(text[f.span[0] : f.span[1]], f.score) for f in detector.analyze(context) if f.span]


@pytest.mark.parametrize(
    ("detector", "text", "value"),
    [
        (
            UkBankAccount(),
            "Your sort code is 20-45-77 and account 41234567.",
            "20-45-77 and account 41234567",
        ),
        (UkBankAccount(), "Account 41234567, sort code 20 45 77", "41234567, sort code 20 45 77"),
        (PolicyNumber(), "Your policy POL-00123456 renews in May", "POL-00123456"),
        (ClaimNumber(), "The claim CLM/7654321 was paid", "CLM/7654321"),
    ],
)
def test_recognisers_find_and_score_with_context(
    detector: PatternRecognizer, text: str, value: str
) -> None:
    assert found(detector, text) == [(value, detector.PATTERNS[0].score)]


@pytest.mark.parametrize(
    ("detector", "text"),
    [
        (UkBankAccount(), "sort code 00-00-00 account 41234567"),  # no such sort code
        (UkBankAccount(), "sort code 20-45-77 account 11111111"),  # a placeholder, not an account
        (PolicyNumber(), "Call 0800 123 4567 about anything"),
    ],
)
def test_recognisers_reject_values_that_fail_the_check(
    detector: PatternRecognizer, text: str
) -> None:
    assert found(detector, text) == []


def test_without_context_words_the_score_stays_under_the_default_threshold() -> None:
    [(_, score)] = found(PolicyNumber(), "Reference POL-00123456 is noted")
    assert score < 0.5


def test_a_sort_code_without_separators_counts_only_near_a_bank_word() -> None:
    bank = UkBankAccount()
    assert found(bank, "Pay into sort code 204577, account 41235678.") == [
        ("204577, account 41235678", 0.9)
    ]
    assert found(bank, "Account 41235678 sort code 204577") == [("41235678 sort code 204577", 0.9)]
    # the same digits as an order number and a date, with no bank word: not an account
    assert found(bank, "Order 204577 shipped; tracking 41235678.") == []


def test_a_separated_sort_code_beside_an_account_is_masked_without_context() -> None:
    [(value, score)] = found(UkBankAccount(), "Your details: 20-45-77 41235678.")
    assert value == "20-45-77 41235678" and score >= 0.5  # flagged and masked


def test_guard_masks_a_recognised_value_when_named() -> None:
    guard = Guard(detectors=["uk_bank_account"]).load()
    result = guard.inspect("Pay into sort code 20-45-77, account 41234567 today.", role="assistant")
    assert result.flagged and result.redacted == "Pay into sort code [UK_BANK_ACCOUNT] today."


class MembershipNumber(PatternRecognizer):
    """The worked example in docs/guard.md: your own format with a Luhn check digit."""

    id = "membership_number"
    entity = "MEMBERSHIP_NUMBER"
    description = "Member numbers M- plus 16 digits, Luhn-checked."
    PATTERNS: ClassVar[list[Pattern]] = patterns(0.85, "membership number", r"\bM-\d{16}\b")
    CONTEXT = ("member",)

    def validate(self, value: str) -> bool:
        return luhn_ok(value[2:])


def test_a_user_recogniser_with_a_check_digit() -> None:
    assert found(MembershipNumber(), "member M-4539578763621486 is active")
    assert not found(MembershipNumber(), "member M-4539578763621487 is active")


CARD = "4111 1111 1111 1111"  # Luhn-valid test number


def test_every_masking_detector_is_applied_to_one_redacted_text() -> None:
    """A reply with a card number and a UK account: both masked. The redacted text
    was the top finding's alone, so the card number's mask sent the account out in
    clear (a new user's trial)."""
    assert luhn_ok(CARD.replace(" ", ""))
    guard = Guard(detectors=["default", "uk_bank_account", "claim_number"]).load()
    reply = f"Card {CARD} is on file; refunds go to sort code 20-45-77 account 41235678, claim CLM-7654321."
    result = guard.inspect(reply, role="assistant")
    assert {"personal_data", "uk_bank_account", "claim_number"} <= {
        f.detector for f in result.findings
    }
    assert result.redacted is not None
    for value in (CARD, "20-45-77", "41235678", "7654321"):
        assert value not in result.redacted, result.redacted
    assert "[CLAIM_NUMBER]" in result.redacted  # the custom recogniser's own mask


def test_a_reply_read_in_windows_is_redacted_whole() -> None:
    """Longer than one window: every window's values masked in the whole text (it had
    no redacted text at all)."""
    guard = Guard(detectors=["default", "uk_bank_account"], window_chars=2000).load()
    filler = "Thanks for waiting while I check the details of your request. " * 60
    reply = f"Her email is jane.doe@example.com. {filler}Pay into 20-45-77 41235678 today."
    result = guard.inspect(reply, role="assistant")
    assert any("windows" in note for note in result.notes)
    assert result.redacted is not None
    assert "jane.doe@example.com" not in result.redacted
    assert "41235678" not in result.redacted
    assert filler in result.redacted  # the rest of the text is kept as it was


def test_a_plugin_that_cannot_redact_a_text_leaves_the_top_findings_redaction() -> None:
    from channelguard.guard.detectors.base import BaseDetector
    from channelguard.guard.types import Domain, Finding

    class Masker(BaseDetector):  # a plugin that masks through its findings only
        id = "masker"
        domain = Domain.SAFETY
        category = "LLM02:2025"

        def analyze(self, context: Context) -> list[Finding]:
            return [self.finding(score=0.99, span=None, evidence="x", redacted="[ALL]")]

    guard = Guard(detectors=["personal_data"]).load()
    assert guard._loaded is not None
    guard._loaded.detectors.append(Masker())
    result = guard.inspect("Mail jane.doe@example.com please", role="assistant")
    assert result.redacted == "[ALL]"


def test_a_value_under_the_threshold_is_masked_without_flagging() -> None:
    """A claims bot gives the customer's own claim number in every reply: a recogniser
    scored under the threshold masks it and flags nothing (a new user's trial: with
    the score lowered to 0.3 the reply passed and nothing was masked)."""
    guard = Guard(detectors=["claim_number"]).load()
    reply = "Your claim CLM-7654321 is being assessed."
    assert guard.inspect(reply, role="assistant").flagged  # 0.85 with the word 'claim'
    result = (
        Guard(detectors=["claim_number"], threshold=0.9).load().inspect(reply, role="assistant")
    )
    assert not result.flagged and result.findings == ()
    assert result.redacted == "Your claim [CLAIM_NUMBER] is being assessed."


def test_a_long_reply_masks_a_value_under_the_threshold_in_any_window() -> None:
    guard = Guard(detectors=["claim_number"], threshold=0.9, window_chars=2000).load()
    filler = "Thanks for waiting while I check the details of your request. " * 60
    result = guard.inspect(f"{filler}Your claim CLM-7654321 is open.", role="assistant")
    assert not result.flagged
    assert result.redacted is not None and "7654321" not in result.redacted
    assert filler in result.redacted


def test_a_flagged_long_reply_also_masks_a_value_under_the_threshold_elsewhere() -> None:
    """A reviewer's: the card in the first window was masked, the claim number (under
    the threshold, in another window) was left in clear."""
    guard = Guard(detectors=["personal_data", "claim_number"], window_chars=2000).load()
    filler = "Thanks for waiting while I check the details of your request. " * 60
    result = guard.inspect(f"Card {CARD} on file. {filler}Ref CLM-7654321.", role="assistant")
    assert result.flagged and result.redacted is not None
    assert CARD not in result.redacted and "7654321" not in result.redacted
