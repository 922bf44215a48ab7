"""A control's friction is weighed against the impact it protects: the impact of the
action it changes and of every action that can build on that one. A one-tap app
push on a $10 promo-code enquiry costs every customer more than it protects; the
same push on a $100 username recovery that hands out what a $2,000 password reset
needs is worth it."""

from __future__ import annotations

import pytest

from channelguard.model.loader import load_data, load_file
from channelguard.review.assumptions import FRICTION_USD
from channelguard.review.candidates import candidates
from channelguard.review.lookups import _guards, _tables, guards_at_least
from channelguard.review.plan import make_plan
from channelguard.review.review import run_review
from channelguard.review.state import _with_action
from tests.conftest import EXAMPLES, action, base_model, factor, path


def _model() -> dict[str, object]:
    return base_model(
        factors={
            "username": factor(
                5, 0.5, evidence="knowledge", inbound=True, obtainable_via=["recover_username"]
            )
        },
        actions=[
            action("promo_code", [path("chat", [])], tier="T1", impact=10),
            action("recover_username", [path("chat", [])], tier="T2", impact=100),
            action("reset_password", [path("chat", ["username", "kba"])], impact=2000),
        ],
    )


def test_no_friction_on_an_enquiry_whose_impact_does_not_warrant_it() -> None:
    plan = make_plan(load_data(_model(), "m.yaml"))
    touched = {e.action for i in plan for e in i.effects} | {i.target.action for i in plan}
    assert "promo_code" not in touched
    assert "recover_username" in {i.target.action for i in plan}  # it guards the reset


def test_the_review_says_why_an_enquiry_is_left_exposed() -> None:
    review = run_review(load_data(_model(), "m.yaml"))
    assert review.residual_exposed is not None and "promo_code" in review.residual_exposed
    why = review.residual_why["promo_code"]
    assert "friction" in why and f"${FRICTION_USD:,.0f}" in why


def test_the_retailer_plan_puts_no_push_on_low_impact_enquiries() -> None:
    """No app push (friction 1) on a $10-$150 enquiry that nothing builds on; a
    refund only to the original payment method (friction 0.5, invisible to the
    customer) may still guard a $150 refund."""
    loaded = load_file(EXAMPLES / "retailer_abcd.yaml")
    impact = {a.id: a.impact_usd for a in loaded.model.actions}
    handing_out = {via for f in loaded.factors.values() for via in f.obtainable_via}
    for item in make_plan(loaded):
        need = FRICTION_USD * item.friction
        for effect in item.effects:
            guarded = impact[effect.action] >= need or effect.action in handing_out
            assert guarded or item.target.action != effect.action, (item.control, effect)
            if item.target.factor is not None:
                assert guarded, (item.control, effect)
        if item.friction >= 1:
            assert all(impact[e.action] > 150 or e.action in handing_out for e in item.effects)


@pytest.mark.parametrize("name", ["bank.yaml", "retailer_abcd.yaml", "insurer.yaml"])
def test_the_table_carried_along_a_plan_equals_a_fresh_one(name: str) -> None:
    """The plan carries the who-builds-on-whom table from one model to the next
    (lookups.carry_guards); replaying every candidate change must give the table a
    fresh pass over the changed model gives."""
    loaded = load_file(EXAMPLES / name)
    for control, target in candidates(loaded):
        if target.factor is not None:
            continue
        guards_at_least(loaded.model, loaded.factors, [], 1.0)  # the start model's table
        index = next(i for i, a in enumerate(loaded.model.actions) if a.id == target.action)
        action = loaded.model.actions[index]
        path = next((p for p in action.paths if p.id == target.path), None)
        changed = _with_action(loaded, index, control.change(loaded, action, path))
        carried = next(v for o, v in _tables["guards"] if o is changed.model)
        assert carried == _guards(changed.model, changed.factors), (control.id, target)
