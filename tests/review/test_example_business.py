"""The shipped example models that are businesses declare who they are
(`industry`, `customers`), so their plans run through the fit filter the way a
user's model would, and each plan holds only controls that business can run."""

from __future__ import annotations

from dataclasses import replace

import pytest

from channelguard.model.lint import lint_model
from channelguard.model.loader import lint_file, load_file
from channelguard.review.candidates import candidates
from channelguard.review.controls import CONTROLS
from channelguard.review.fit import fits_business
from channelguard.review.plan import make_plan
from tests.conftest import EXAMPLES

# example -> (industry, customers) a security lead of that business would state
BUSINESSES = {
    "bank.yaml": ("bank", {"consumer", "corporate"}),
    "telecom.yaml": ("telecom", {"consumer"}),
    "retailer_abcd.yaml": ("retail", {"consumer"}),
    "insurer.yaml": ("insurance", {"consumer"}),
    "deepfake_ceo.yaml": ("other", {"corporate"}),
}


@pytest.mark.parametrize("name", sorted(BUSINESSES))
def test_a_business_example_declares_its_industry_and_customers(name: str) -> None:
    loaded = load_file(EXAMPLES / name)
    industry, customers = BUSINESSES[name]
    assert loaded.model.industry is not None and loaded.model.industry.value == industry
    assert loaded.model.customers is not None
    assert {c.value for c in loaded.model.customers} == customers
    assert not [i for i in lint_file(EXAMPLES / name) if i.severity == "error"]


@pytest.mark.parametrize("name", sorted(BUSINESSES))
def test_a_business_example_plan_holds_only_controls_it_can_run(name: str) -> None:
    loaded = load_file(EXAMPLES / name)
    by_id = {c.id: c for c in CONTROLS}
    for item in make_plan(loaded):
        assert fits_business(by_id[item.control].fit, loaded.model), item.control


def test_the_declared_industry_narrows_the_bank_s_catalogue() -> None:
    """A bank's goodwill credit is a refund by kind, but a bank credits the account:
    no refund to the original payment method."""
    bank = load_file(EXAMPLES / "bank.yaml")
    undeclared = load_file(EXAMPLES / "bank.yaml")
    undeclared = replace(undeclared, model=undeclared.model.model_copy(update={"industry": None}))
    assert "refund_to_original_method" in {c.id for c, _ in candidates(undeclared)}
    assert "refund_to_original_method" not in {c.id for c, _ in candidates(bank)}


# kinds a security lead of each business would state, where words would guess
# otherwise or where the choice decides which controls fit
STATED_KINDS = {
    "bank.yaml": {
        "add_payee": "payout_change",  # a new beneficiary; words say payment
        "card_reissue_new_address": "contact_change",  # words say other
        "card_freeze": "other",
        "balance_inquiry": "data_disclosure",
    },
    "telecom.yaml": {"plan_info": "data_disclosure"},  # words never say so
    "retailer_abcd.yaml": {
        "recover_username": "data_disclosure",
        "manage_payment_method": "payout_change",  # refunds go to the card on file
        "mistimed_billing_never_bought": "refund",  # a credit; words say other
        "manage_change_name": "other",
    },
    "deepfake_ceo.yaml": {"change_vendor_bank_details": "payout_change"},
    "insurer.yaml": {"change_payout_account": "payout_change"},
}


@pytest.mark.parametrize("name", sorted(BUSINESSES))
def test_a_business_example_states_every_kind_and_class(name: str) -> None:
    """Explicit over guessed: no action's kind and no factor's class is read from
    words, so lint has nothing to note, and the kinds are a practitioner's."""
    loaded = load_file(EXAMPLES / name)
    assert all(a.kind is not None for a in loaded.model.actions)
    assert [str(n.issue) for n in lint_model(EXAMPLES / name).notes] == []
    stated = {a.id: a.kind.value for a in loaded.model.actions if a.kind is not None}
    assert {a: stated[a] for a in STATED_KINDS[name]} == STATED_KINDS[name]
