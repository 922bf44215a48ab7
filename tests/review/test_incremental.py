"""The plan's shortcuts give the engine's answers: redoing only the actions a change
can reach, or trying it in place and undoing it, equals a fresh run on the changed
model; a time budget stops the plan and says how far it got."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import HealthCheck, given, settings

from channelguard.model.loader import LoadedModel, from_model, load_data, load_file
from channelguard.review.candidates import candidates
from channelguard.review.controls import apply
from channelguard.review.engine import cheapest_attacks, recompute, what_if
from channelguard.review.plan import _exact, _state, make_plan, plan_within
from channelguard.review.review import run_review
from tests.conftest import EXAMPLES
from tests.hardening.strategies import models


def _same(a: float, b: float) -> bool:
    return (math.isinf(a) and math.isinf(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _check_every_move(loaded: LoadedModel) -> int:
    base = cheapest_attacks(loaded)
    tried = 0
    for control, target in candidates(loaded)[:60]:
        action = next(a for a in loaded.model.actions if a.id == target.action)
        path = next((p for p in action.paths if p.id == target.path), None)
        changed_model = apply(loaded, control, target)
        fresh_loaded = from_model(changed_model, loaded.file)
        fresh = cheapest_attacks(fresh_loaded)
        changed = control.change(loaded, action, path)
        redone = recompute(base, fresh_loaded.factors, changed)
        tried_in_place = what_if(base, fresh_loaded.factors, changed)
        for a in loaded.model.actions:
            assert _same(redone.expected_cost(a.id), fresh.expected_cost(a.id)), a.id
        for a, attack in tried_in_place.items():
            cost = math.inf if attack is None else attack.expected_cost_usd
            assert _same(cost, fresh.expected_cost(a)), a
        # and what_if put everything back
        again = recompute(base, loaded.factors, action)
        for a in loaded.model.actions:
            assert _same(again.expected_cost(a.id), base.expected_cost(a.id))
        tried += 1
    return tried


@pytest.mark.parametrize("name", ["bank.yaml", "deepfake_ceo.yaml", "retailer_abcd.yaml"])
def test_shortcuts_equal_a_fresh_run_on_the_examples(name: str) -> None:
    assert _check_every_move(load_file(EXAMPLES / name)) > 0


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(models(valid_only=True))
def test_shortcuts_equal_a_fresh_run_on_generated_models(data: dict) -> None:  # type: ignore[type-arg]
    _check_every_move(load_data(data, "generated"))


def test_small_models_still_get_the_exact_plan() -> None:
    loaded = load_file(EXAMPLES / "contract_only.yaml")
    moves = candidates(loaded)
    assert 0 < len(moves) <= 10
    exact = {(c.id, t) for c, t in _exact(_state(loaded), moves)}
    planned = {(i.control, i.target) for i in make_plan(loaded)}
    assert exact and planned == exact


def test_a_plan_budget_stops_and_says_how_far_it_got() -> None:
    loaded = load_file(EXAMPLES / "retailer_abcd.yaml")
    started = time.monotonic()
    outcome = plan_within(loaded, budget_seconds=1e-6)
    assert time.monotonic() - started < 5
    assert not outcome.complete and "plan budget of 1e-06 s ran out" in outcome.note
    review = run_review(loaded, plan_budget=1e-6)
    assert not review.plan_complete and review.plan_note
    assert plan_within(loaded).complete
