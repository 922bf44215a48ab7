"""A payout built on a payout-account change: the plan proposes the cooling-off (a
hold and a notice before a payout goes to a newly changed account), and no control
removes the condition that ties the payout to the change."""

from __future__ import annotations

import yaml

from channelguard.model.kinds import guessed_kinds
from channelguard.model.loader import load_data, load_file
from channelguard.review.controls import CONTROLS, Target, apply
from channelguard.review.plan import make_plan
from tests.conftest import EXAMPLES, action, base_model, factor, path


def _payout_model() -> dict[str, object]:
    # a condition the attacker brings about, not said in the interaction
    condition = {"evidence": "knowledge", "inbound": False, "obtainable_via": ["change_account"]}
    return base_model(
        factors={"account_control": factor(2000, 0.05, **condition)},
        actions=[
            action("change_account", [path("agent", ["kba"])], kind="payout_change"),
            action(
                "release_payout",
                [path("agent", ["kba", "account_control"])],
                tier="T4",
                impact=30000,
                kind="payment",
            ),
        ],
    )


def test_replacing_knowledge_questions_keeps_a_condition_not_asked_in_the_interaction() -> None:
    loaded = load_data(_payout_model(), "m.yaml")
    kba_push = next(c for c in CONTROLS if c.id == "replace_kba_with_app_push")
    release = loaded.model.actions[1]
    assert kba_push.fits(loaded, release, release.paths[0])
    changed = apply(loaded, kba_push, Target(action="release_payout", path="agent"))
    requires = changed.actions[1].paths[0].requires
    assert "kba" not in requires  # the question is replaced
    assert "account_control" in requires and "app_push_number_match" in requires


def _insurer(release_usd: float, text: str | None = None) -> dict[str, object]:
    data = yaml.safe_load(text or (EXAMPLES / "insurer.yaml").read_text())
    for a in data["actions"]:
        if a["id"] == "release_claim_payment":
            a["impact_usd"] = release_usd
    return dict(data)


def test_the_insurer_plan_holds_payouts_after_a_payout_account_change() -> None:
    # at the example's $30,000 the app push takes the release to break-even, where a
    # raise counts for nothing (the objective counts raises up to the impact): a
    # release worth more is what the hold is for
    assert "payout_change_cooling_off" not in {
        i.control for i in make_plan(load_file(EXAMPLES / "insurer.yaml"))
    }
    loaded = load_data(_insurer(60000), "insurer.yaml")
    plan = make_plan(loaded)
    cooling = [i for i in plan if i.control == "payout_change_cooling_off"]
    assert [i.target.action for i in cooling] == ["change_payout_account"]
    (item,) = cooling
    raised = {e.action: (e.before_usd, e.after_usd) for e in item.effects}
    before, after = raised["release_claim_payment"]
    assert after > 2 * before  # the payout that builds on the change is what it guards


def test_the_insurer_plan_holds_payouts_on_the_declared_kind_not_on_words() -> None:
    # the payout-account change renamed and described without a word a guess reads
    # as a payout change: its declared kind still brings the cooling-off
    text = (EXAMPLES / "insurer.yaml").read_text().replace("change_payout_account", "acct_update")
    data = _insurer(60000, text.replace("Change the bank account a claim is paid to", "Update it"))
    actions = data["actions"]
    assert isinstance(actions, list) and all(
        a.get("kind") for a in actions
    )  # every action says its kind
    loaded = load_data(data, "insurer.yaml")
    assert guessed_kinds(loaded.model) == []
    cooling = [i for i in make_plan(loaded) if i.control == "payout_change_cooling_off"]
    assert [i.target.action for i in cooling] == ["acct_update"]
