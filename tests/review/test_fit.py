"""Controls that fit the business, decided from the model's fields: no second
approver on a customer's own self-service path (the channel's `staffed_by`), no
out-of-band confirmation with "a different known person" for a consumer's own
account (only where `owner: finance` acts on an instruction), and on the insurer
example the plan raises the paths behind its top choke point."""

from __future__ import annotations

from collections.abc import Callable

from channelguard.model.loader import LoadedModel, load_data, load_file
from channelguard.review.candidates import candidates
from channelguard.review.review import run_review
from tests.conftest import EXAMPLES, action, base_model, path

Build = Callable[..., LoadedModel]


def _with_portal(**extra: object) -> LoadedModel:
    channels = [{"id": "portal", "kind": "web", "staffed_by": "self_service"}]
    actions = [action("payout", [path("portal", ["kba"], channel="portal")], **extra)]
    return load_data(base_model(actions=actions, channels=channels), "m.yaml")


def test_no_second_approver_on_a_self_service_path_whatever_the_words() -> None:
    # the words say payout, the channel says the customer acts alone
    loaded = _with_portal(tier="T4", description="Change the payout account")
    assert not [t for c, t in candidates(loaded) if c.id == "second_approver"]


def test_no_out_of_band_person_for_a_consumer_account(build: Build) -> None:
    loaded = build(
        [action("payout", [path("p", ["kba"])], tier="T4", description="Pay out a claim")]
    )
    assert not [t for c, t in candidates(loaded) if c.id == "oob_known_person"]
    finance = build(
        [action("wire", [path("p", ["kba"])], tier="T4", owner="finance", description="Wire")]
    )
    assert [t for c, t in candidates(finance) if c.id == "oob_known_person"]


def test_the_insurer_plan_fits_an_insurer() -> None:
    loaded = load_file(EXAMPLES / "insurer.yaml")
    review = run_review(loaded)
    channels = {c.id: c for c in loaded.model.channels}
    paths = {(a.id, p.id): p for a in loaded.model.actions for p in a.paths}
    for item in review.plan:
        assert item.control != "oob_known_person"  # consumers: no second known person
        if item.control == "second_approver" and item.target.path:
            path_ = paths[(item.target.action, item.target.path)]
            assert channels[path_.channel].staffed_by.value != "self_service"
    top = review.chokepoints[0]
    assert (top.kind, top.id) == ("factor", "manager_override") and len(top.actions) >= 4
    behind = [
        i
        for i in review.plan
        if i.target.factor == "manager_override"
        or (
            i.target.path and "manager_override" in paths[(i.target.action, i.target.path)].requires
        )
    ]
    assert behind and any(e.after_usd > e.before_usd for i in behind for e in i.effects)
    for action_id in top.actions:  # every action behind the choke point costs more after
        before = next(a for a in review.actions if a.id == action_id).expected_cost_usd
        after = review.after_plan(action_id)
        assert before is not None and after is not None and after > before
