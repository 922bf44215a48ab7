"""Every catalogue control states who performs it, for which customers, which
industries and what it needs; the plan proposes only controls that fit the
business the model declares (`industry`, `customers`), and a model that declares
neither gets every control as before."""

from __future__ import annotations

from typing import Any

import pytest

from channelguard.errors import ModelError
from channelguard.model.jsonschema import model_json_schema
from channelguard.model.loader import LoadedModel, load_data
from channelguard.model.schema import Industry
from channelguard.report.review_json import review_to_dict
from channelguard.review.candidates import candidates
from channelguard.review.control_fits import FITS
from channelguard.review.controls import CONTROLS
from channelguard.review.fit import Performer
from channelguard.review.review import run_review
from tests.conftest import action, base_model, path


def _load(actions: list[dict[str, Any]], **declared: Any) -> LoadedModel:
    return load_data(base_model(actions=actions, **declared), "m.yaml")


def _wire(**declared: Any) -> LoadedModel:
    wire = action("wire", [path("p", ["kba"])], tier="T4", owner="finance", kind="payment")
    return _load([wire], **declared)


def _port_out(**declared: Any) -> LoadedModel:
    return _load([action("port", [path("p", ["kba"])], kind="port_out")], **declared)


def _proposed(loaded: LoadedModel) -> set[str]:
    return {c.id for c, _ in candidates(loaded)}


def test_every_control_states_performer_customers_industries_and_needs() -> None:
    for control in CONTROLS:
        fit = control.fit
        assert isinstance(fit.performer, Performer), control.id
        assert fit.customers, control.id  # at least one segment
        assert fit.industries is None or fit.industries, control.id  # None: any industry
        assert fit.needs and all(n.strip() for n in fit.needs), control.id
    assert set(FITS) == {c.id for c in CONTROLS}  # no entry for a control that is gone


def test_a_corporate_only_control_is_not_proposed_for_consumers() -> None:
    assert "oob_known_person" in _proposed(_wire())  # undeclared: as before
    assert "oob_known_person" in _proposed(_wire(customers=["corporate"]))
    assert "oob_known_person" not in _proposed(_wire(customers=["consumer"]))
    assert "second_approver" in _proposed(_wire(customers=["consumer"]))  # any segment


def test_an_industry_specific_control_is_not_proposed_for_another_industry() -> None:
    assert {"port_out_pin", "number_lock"} <= _proposed(_port_out())
    assert {"port_out_pin", "number_lock"} <= _proposed(_port_out(industry="telecom"))
    bank = _proposed(_port_out(industry="bank"))
    assert not {"port_out_pin", "number_lock"} & bank
    assert "replace_kba_with_app_push" in bank  # any industry


def test_the_plan_for_a_declared_business_uses_only_controls_that_fit_it() -> None:
    review = run_review(_port_out(industry="bank", customers=["consumer"]))
    assert review.plan
    by_id = {c.id: c for c in CONTROLS}
    for item in review.plan:
        fit = by_id[item.control].fit
        assert fit.industries is None or "bank" in {i.value for i in fit.industries}
        assert "consumer" in {s.value for s in fit.customers}


def test_json_plan_items_carry_the_fit() -> None:
    review = run_review(_port_out(industry="telecom"))
    items = review_to_dict(review)["plan"]
    assert items
    by_id = {c.id: c for c in CONTROLS}
    for item in items:
        fit = by_id[item["control"]].fit
        assert item["performer"] == fit.performer.value
        assert item["customers"] == sorted(s.value for s in fit.customers)
        expected = ["any"] if fit.industries is None else sorted(i.value for i in fit.industries)
        assert item["industries"] == expected
        assert item["needs"] == list(fit.needs)
    lock = next(i for i in items if i["control"] == "number_lock")
    assert lock["industries"] == ["telecom"]
    assert lock["performer"] == "customer_self_service" and lock["needs"]


def test_an_unknown_industry_or_segment_or_an_empty_list_is_refused() -> None:
    for declared in ({"industry": "banking"}, {"customers": ["retail"]}, {"customers": []}):
        with pytest.raises(ModelError):
            _port_out(**declared)


def test_the_declared_business_is_in_the_json_schema() -> None:
    schema = model_json_schema()
    assert {"industry", "customers"} <= set(schema["properties"])
    assert set(schema["$defs"]["Industry"]["enum"]) == {i.value for i in Industry}
