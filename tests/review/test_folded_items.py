"""A change that moves no expected cost on its own is never a plan item of its own:
it is folded into the item it enables (two equally cheap paths to one action,
closed one after the other), and that item says so."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from channelguard.model.loader import load_data, load_file
from channelguard.report.review_json import review_to_dict
from channelguard.report.text import plan_target
from channelguard.review.controls import CONTROLS
from channelguard.review.engine import cheapest_attacks
from channelguard.review.plan import make_plan, replay
from channelguard.review.review import run_review
from tests.conftest import EXAMPLES, action, base_model, path


def _twin_paths() -> dict[str, object]:
    return base_model(
        actions=[action("wire", [path("a", ["kba"]), path("b", ["kba"])], kind="payment")]
    )


@pytest.mark.parametrize(
    "name", ["bank.yaml", "telecom.yaml", "insurer.yaml", "retailer_abcd.yaml"]
)
def test_every_item_moves_an_expected_cost(name: str) -> None:
    for item in make_plan(load_file(EXAMPLES / name)):
        assert item.effects, item


def test_the_telecom_port_out_pin_on_both_paths_is_one_item() -> None:
    plan = make_plan(load_file(EXAMPLES / "telecom.yaml"))
    pins = [i for i in plan if i.control == "port_out_pin"]
    assert len(pins) == 1
    (item,) = pins
    assert {(c.control, c.target.path) for c in item.together} == {("port_out_pin", "agent")}
    assert item.target.path == "bot" and "port_out" in item.closes
    assert item.friction == 2  # both changes' friction
    assert "together with" in plan_target(item)


def test_a_folded_item_replays_to_the_costs_it_claims(tmp_path: Path) -> None:
    loaded = load_data(_twin_paths(), "m.yaml")
    plan = make_plan(loaded)
    folded = [i for i in plan if i.together]
    assert folded and all(i.effects for i in plan)
    for n, item in enumerate(plan):
        changed = replay(loaded, plan[: n + 1])
        target = tmp_path / f"step{n}.yaml"
        target.write_text(yaml.safe_dump(changed.model.model_dump(mode="json", exclude_none=True)))
        rerun = cheapest_attacks(load_file(target))
        for effect in item.effects:
            assert rerun.expected_cost(effect.action) == pytest.approx(effect.after_usd)
    data = review_to_dict(run_review(loaded))
    by_id = {c.id: c for c in CONTROLS}
    for shown in [i for i in data["plan"] if i["together"]]:
        assert shown["together"][0]["target"] == {"action": "wire", "path": "a"}
        own = by_id[shown["control"]].friction
        assert shown["friction"] == own + sum(c["friction"] for c in shown["together"])


def test_the_dashboard_what_if_applies_the_folded_change_too() -> None:
    from channelguard.serve.ui.whatif import _item_id, plan_what_if

    loaded = load_file(EXAMPLES / "telecom.yaml")
    review = run_review(loaded)
    chosen = [_item_id(i) for i in review.plan]
    done = plan_what_if(loaded, review, chosen)
    assert any("path 'agent' of 'port_out'" in c for c in done.changes)
    assert "port_out" in done.closed
