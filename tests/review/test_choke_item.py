"""A choke point gets one plan item: a control on every path that accepts the factor,
scored on its gain across every action that uses it."""

from __future__ import annotations

import json

from channelguard.model.loader import load_file
from channelguard.review.plan import replay
from channelguard.review.review import run_review
from tests.conftest import EXAMPLES, run_cli


def test_insurer_plan_hardens_manager_override_as_one_item() -> None:
    loaded = load_file(EXAMPLES / "insurer.yaml")
    review = run_review(loaded)
    top = review.chokepoints[0]
    assert (top.kind, top.id) == ("factor", "manager_override")
    wide = [i for i in review.plan if i.target.factor == "manager_override"]
    assert wide, [(i.control, i.target) for i in review.plan]
    item = wide[0]
    raised = {e.action for e in item.effects if e.after_usd > e.before_usd}
    assert len(raised) >= 3 and raised <= set(top.actions) | {"add_named_driver"}
    assert item.raised_usd > 0
    # no separate item for one override path of the same control
    assert not [
        i
        for i in review.plan
        if i.control == item.control and i.target.path == "override" and i.target.factor is None
    ]
    # the item is the control on every override path: replaying it changes each of them
    changed = replay(loaded, [item])
    for action, after in zip(loaded.model.actions, changed.model.actions, strict=True):
        for before_path, after_path in zip(action.paths, after.paths, strict=True):
            if "manager_override" in before_path.factor_ids() and action.id in raised:
                assert after_path != before_path


def test_json_names_the_factor_and_how_many_actions_it_raises() -> None:
    done = run_cli("review", str(EXAMPLES / "insurer.yaml"), "--format", "json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)["plan"]
    wide = [i for i in plan if i["target"].get("factor") == "manager_override"]
    assert wide
    item = wide[0]
    assert item["target"]["raises"] == len(item["effects"]) >= 3
    assert item["raised_usd"] > 0 and isinstance(item["closes"], list)
    table = run_cli("review", str(EXAMPLES / "insurer.yaml"))
    assert "every path that accepts manager_override" in table.stdout.replace("\n", " ")
