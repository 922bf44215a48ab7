"""The plan raises the attacker's cost, not only closes: a change that lifts an
exposed action's cheapest path RAISE_FACTOR-fold without closing it is proposed,
states what it raised, and the review shows every action's cost after the plan."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from channelguard.model.loader import LoadedModel
from channelguard.report.review_json import review_to_dict
from channelguard.review.engine import cheapest_attacks
from channelguard.review.plan import make_plan, replay
from channelguard.review.review import run_review
from channelguard.review.state import RAISE_FACTOR
from tests.conftest import action, path

Build = Callable[..., LoadedModel]
HUGE = 1e9  # no catalogue change closes an action with this much impact


def test_a_raise_that_closes_nothing_is_proposed(build: Build) -> None:
    loaded = build([action("claim", [path("phone", ["kba"])], tier="T3", impact=HUGE)])
    before = cheapest_attacks(loaded).expected_cost("claim")
    plan = make_plan(loaded)
    assert plan, "a raise of an exposed action is worth an item even when nothing closes"
    first = plan[0]
    effect = next(e for e in first.effects if e.action == "claim")
    assert effect.exposed_after and effect.after_usd >= RAISE_FACTOR * effect.before_usd
    assert effect.before_usd == pytest.approx(before)
    assert first.raised_usd == pytest.approx(effect.after_usd - effect.before_usd)
    after = cheapest_attacks(replay(loaded, plan)).expected_cost("claim")
    assert after > 10 * before


def test_raised_usd_counts_each_action_up_to_its_impact(build: Build) -> None:
    loaded = build([action("claim", [path("phone", ["kba"])], tier="T3", impact=500)])
    for item in make_plan(loaded):
        for e in item.effects:
            assert min(e.after_usd, 500) - min(e.before_usd, 500) <= item.raised_usd + 1e-9
        assert item.raised_usd <= 500


def test_json_shows_every_action_cost_before_and_after_the_plan(build: Build) -> None:
    loaded = build([action("claim", [path("phone", ["kba"])], tier="T3", impact=HUGE)])
    review = run_review(loaded)
    data = review_to_dict(review)
    claim = data["actions"][0]
    assert claim["cheapest"]["expected_cost_usd"] < claim["expected_cost_after_plan_usd"]
    assert claim["exposed_after_plan"] is True
    assert data["plan"][0]["raised_usd"] > 0 and data["plan"][0]["closes"] == []
    assert "raises it from" in review.residual_why["claim"]
    without = review_to_dict(run_review(loaded, with_plan=False))["actions"][0]
    assert without["expected_cost_after_plan_usd"] is None
    assert without["exposed_after_plan"] is None
