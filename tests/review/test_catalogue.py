"""A plan a practitioner would sign, beyond banking: controls only where they fit
the kind of action, nothing listed that changes nothing, and a reason for every
action left exposed."""

from __future__ import annotations

from pathlib import Path

from channelguard.model.kinds import action_kind
from channelguard.model.loader import LoadedModel, load_file
from channelguard.model.schema import Action
from channelguard.review.review import run_review
from tests.conftest import EXAMPLES


def test_the_telecom_plan_uses_telecom_controls_where_they_fit() -> None:
    review = run_review(load_file(EXAMPLES / "telecom.yaml"))
    used = {(i.control, i.target.action) for i in review.plan}
    assert not any(c == "oob_known_person" for c, _ in used)  # a bank-wire control
    assert ("second_approver", "reset_password") not in used  # a customer's own password
    assert not any(
        c == "callback_after_sim_check" and a in ("sim_swap", "port_out") for c, a in used
    )
    assert {c for c, _ in used} & {"port_out_pin", "number_lock", "store_id_scan"}
    assert "sim_swap" not in review.residual_exposed and "port_out" not in review.residual_exposed
    for action in review.residual_exposed:
        assert review.residual_why[action]


def test_every_listed_change_moves_a_cost_or_enables_the_next() -> None:
    for name in ("bank.yaml", "telecom.yaml", "retailer_abcd.yaml"):
        plan = run_review(load_file(EXAMPLES / name)).plan
        for i, item in enumerate(plan):
            if not item.effects:  # kept only because the next change needs it
                assert i + 1 < len(plan) and plan[i + 1].target.action == item.target.action


def _guessed(name: str) -> dict[str, str]:
    """The kinds words give the example's actions once their stated `kind` is dropped."""
    import yaml

    from channelguard.model.loader import load_data

    data = yaml.safe_load((EXAMPLES / name).read_text())
    for a in data["actions"]:
        a.pop("kind", None)
    return {a.id: action_kind(a) for a in load_data(data).model.actions}


def test_kinds_read_from_ids_and_descriptions() -> None:
    assert _guessed("telecom.yaml") == {
        "sim_swap": "sim_change",
        "port_out": "port_out",
        "reset_password": "credential_reset",
        "change_email": "contact_change",
        "plan_info": "other",  # data_disclosure is never guessed
    }
    bank = _guessed("bank.yaml")
    assert bank["wire_transfer"] == "payment" and bank["add_payee"] == "payment"
    assert bank["goodwill_credit"] == "refund"


def test_a_stated_kind_decides_which_controls_fit_not_the_words() -> None:
    """The description says 'payment', the model says it is a contact change: the
    controls for payments (confirming an amount and a payee) must not be offered."""
    import yaml

    from channelguard.model.loader import load_data
    from channelguard.review.candidates import candidates_for

    data = yaml.safe_load((EXAMPLES / "bank.yaml").read_text())
    wire = next(a for a in data["actions"] if a["id"] == "wire_transfer")
    words = load_data(data)
    by_words = {c.id for c, _ in candidates_for(words, _action(words, "wire_transfer"))}
    wire["kind"] = "contact_change"
    stated = load_data(data)
    by_kind = {c.id for c, _ in candidates_for(stated, _action(stated, "wire_transfer"))}
    assert action_kind(_action(stated, "wire_transfer")) == "contact_change"
    assert by_words != by_kind
    assert "oob_known_person" in by_words and "oob_known_person" not in by_kind


def _action(loaded: LoadedModel, action_id: str) -> Action:
    return next(a for a in loaded.model.actions if a.id == action_id)


DISCLOSURE_CONTROLS = {
    "disclose_to_address_on_record",
    "step_up_before_disclosure",
    "redact_in_agent_answers",
}


def test_an_exposed_data_disclosure_gets_a_disclosure_control(tmp_path: Path) -> None:
    # a statement read out on the phone after a caller-ID match, or by the AI agent
    # on the same; nothing the other controls know (no knowledge, no SMS code) is on it
    model = tmp_path / "insurer_data.yaml"
    model.write_text(
        """
organization: Data desk
version: "1"
channels:
  - {id: phone, kind: voice, staffed_by: human}
  - {id: agent, kind: ai_agent, staffed_by: ai}
actions:
  - id: read_out_claim_history
    kind: data_disclosure
    description: The claim history and the policyholder's medical notes
    tier: T2
    impact_usd: 20000
    owner: operations
    paths:
      - {id: phone, channel: phone, requires: [caller_id_match]}
      - {id: agent, channel: agent, requires: [caller_id_match]}
"""
    )
    loaded = load_file(model)
    review = run_review(loaded)
    action = review.actions[0]
    assert action.exposed
    items = [i for i in review.plan if i.control in DISCLOSURE_CONTROLS]
    assert items, [i.control for i in review.plan]
    before = action.attack.expected_cost_usd if action.attack else 0.0
    raised = [e for i in items for e in i.effects if e.action == "read_out_claim_history"]
    assert raised and max(e.after_usd for e in raised) > before * 10
    after = review.after_plan("read_out_claim_history")
    assert after is not None and after > before * 10
    # the examples' read-outs (stated kind: data_disclosure) get one; nothing else does
    for name in ("bank.yaml", "telecom.yaml", "retailer_abcd.yaml", "insurer.yaml"):
        example = load_file(EXAMPLES / name)
        kinds = {a.id: action_kind(a) for a in example.model.actions}
        for item in run_review(example).plan:
            if item.control in DISCLOSURE_CONTROLS:
                assert kinds[item.target.action] == "data_disclosure", item
    # the insurer's $50 claim status: a disclosure control's friction (1.5) is not
    # warranted by the impact behind it, and the review says so
    insurer = run_review(load_file(EXAMPLES / "insurer.yaml"))
    assert "friction" in insurer.residual_why["claim_status"]
