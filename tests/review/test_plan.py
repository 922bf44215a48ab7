"""Every after-cost the plan claims equals a re-run of the engine on the changed model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from channelguard.model.loader import LoadedModel, load_file
from channelguard.review.controls import CONTROLS
from channelguard.review.engine import cheapest_attacks
from channelguard.review.plan import make_plan, replay
from tests.conftest import EXAMPLES, action, factor, path

Build = Callable[..., LoadedModel]


@pytest.mark.parametrize("name", ["bank.yaml", "deepfake_ceo.yaml", "retailer_abcd.yaml"])
def test_claimed_costs_match_a_fresh_engine_run(name: str, tmp_path: Path) -> None:
    loaded = load_file(EXAMPLES / name)
    plan = make_plan(loaded)
    assert plan
    for i, item in enumerate(plan):
        changed = replay(loaded, plan[: i + 1])
        # round-trip through YAML and the strict loader: the changed model is a real model
        target = tmp_path / f"step{i}.yaml"
        target.write_text(yaml.safe_dump(changed.model.model_dump(mode="json", exclude_none=True)))
        rerun = cheapest_attacks(load_file(target))
        before = cheapest_attacks(replay(loaded, plan[:i]))
        for effect in item.effects:
            assert rerun.expected_cost(effect.action) == pytest.approx(effect.after_usd)
            assert before.expected_cost(effect.action) == pytest.approx(effect.before_usd)


def test_deepfake_wire_exposed_until_oob_and_dual_control() -> None:
    loaded = load_file(EXAMPLES / "deepfake_ceo.yaml")
    impact = next(a.impact_usd for a in loaded.model.actions if a.id == "wire_on_exec_instruction")
    assert cheapest_attacks(loaded).expected_cost("wire_on_exec_instruction") < impact
    plan = make_plan(loaded)
    closing = next(
        i
        for i, item in enumerate(plan)
        for e in item.effects
        if e.action == "wire_on_exec_instruction" and not e.exposed_after
    )
    applied = {
        item.control
        for item in plan[: closing + 1]
        if item.target.action == "wire_on_exec_instruction"
    }
    assert {"oob_known_person", "second_approver"} <= applied
    for i in range(closing):
        cost = cheapest_attacks(replay(loaded, plan[: i + 1])).expected_cost(
            "wire_on_exec_instruction"
        )
        assert cost < impact
    final = cheapest_attacks(replay(loaded, plan)).expected_cost("wire_on_exec_instruction")
    assert final > impact


def test_exact_plan_takes_least_friction(build: Build) -> None:
    # one T4 path verified only on the inbound call: OOB plus dual control closes it
    loaded = build(
        [
            action(
                "wire",
                [path("call", ["video_identification"])],
                tier="T4",
                impact=250000,
                owner="finance",
            )
        ],
    )
    plan = make_plan(loaded)
    assert sorted(item.control for item in plan) == ["oob_known_person", "second_approver"]
    assert cheapest_attacks(replay(loaded, plan)).expected_cost("wire") > 250000


def test_no_plan_when_nothing_is_exposed(build: Build) -> None:
    loaded = build([action("a", [path("p", ["f"])], impact=100)], {"f": factor(1000, 0.5)})
    assert make_plan(loaded) == []


def test_plan_never_lowers_attacker_cost() -> None:
    loaded = load_file(EXAMPLES / "bank.yaml")
    for item in make_plan(loaded):
        for effect in item.effects:
            assert effect.after_usd >= effect.before_usd - 1e-9


def test_control_ids_are_unique_and_frictions_positive() -> None:
    ids = [c.id for c in CONTROLS]
    assert len(ids) == len(set(ids))
    assert all(c.friction > 0 for c in CONTROLS)
