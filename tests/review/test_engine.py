"""Cost semantics of the path engine: AND/OR, attempts, any_of, chains, cycles."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from channelguard.model.loader import LoadedModel, load_file
from channelguard.review.engine import cheapest_attacks
from tests.conftest import EXAMPLES, action, factor, path

Build = Callable[..., LoadedModel]


def test_and_sums_costs_and_multiplies_probabilities(build: Build) -> None:
    loaded = build(
        [action("a", [path("p", ["f1", "f2"])])],
        {"f1": factor(10, 0.5, minutes=3), "f2": factor(30, 0.2, minutes=4)},
    )
    attack = cheapest_attacks(loaded).attacks["a"]
    assert attack is not None
    assert attack.cost_usd == pytest.approx(40)
    assert attack.minutes == pytest.approx(7)
    assert attack.success_probability == pytest.approx(0.1)
    assert attack.expected_cost_usd == pytest.approx(400)


def test_or_takes_the_path_with_least_expected_cost(build: Build) -> None:
    loaded = build(
        [action("a", [path("cheap_but_unlikely", ["f1"]), path("dearer_but_sure", ["f2"])])],
        {"f1": factor(10, 0.01), "f2": factor(50, 1.0)},
    )
    attack = cheapest_attacks(loaded).attacks["a"]
    assert attack is not None and attack.final.path == "dearer_but_sure"
    assert attack.expected_cost_usd == pytest.approx(50)


def test_attempts_raise_the_pass_probability(build: Build) -> None:
    loaded = build([action("a", [path("p", ["f"])])], {"f": factor(10, 0.5, attempts=3)})
    attack = cheapest_attacks(loaded).attacks["a"]
    assert attack is not None
    assert attack.success_probability == pytest.approx(1 - 0.5**3)


def test_any_of_takes_the_cheaper_option(build: Build) -> None:
    loaded = build(
        [action("a", [path("p", ["base", {"any_of": ["dear", "cheap"]}])])],
        {"base": factor(10, 1.0), "dear": factor(500, 0.5), "cheap": factor(5, 0.5)},
    )
    attack = cheapest_attacks(loaded).attacks["a"]
    assert attack is not None and attack.final.factors == ("base", "cheap")
    assert attack.expected_cost_usd == pytest.approx(30)


def test_approvals_add_second_approvers(build: Build) -> None:
    loaded = build([action("a", [path("p", ["f"], approvals=2)])], {"f": factor(10, 1.0)})
    attack = cheapest_attacks(loaded).attacks["a"]
    second = loaded.factors["second_approver"]
    assert attack is not None
    assert attack.final.factors == ("f", "second_approver", "second_approver")
    assert attack.cost_usd == pytest.approx(10 + 2 * second.attacker_cost_usd)
    assert attack.success_probability == pytest.approx(second.pass_probability**2)


def test_chain_through_obtainable_via_in_attack_order(build: Build) -> None:
    # change the phone through a weak override, then reset with the SMS code
    loaded = build(
        [
            action("change_phone", [path("override", ["override"]), path("std", ["strong"])]),
            action("reset", [path("sms", ["otp"])]),
        ],
        {
            "override": factor(10, 0.5, minutes=20),
            "strong": factor(5000, 0.01),
            "otp": factor(1000, 0.1, minutes=5, obtainable_via=["change_phone"]),
        },
    )
    attack = cheapest_attacks(loaded).attacks["reset"]
    assert attack is not None
    assert [(s.action, s.path) for s in attack.steps] == [
        ("change_phone", "override"),
        ("reset", "sms"),
    ]
    assert attack.final.obtained == ("otp",)
    assert attack.cost_usd == pytest.approx(10)
    assert attack.success_probability == pytest.approx(0.5)
    assert attack.minutes == pytest.approx(20)


def test_chain_is_not_used_when_passing_the_factor_is_cheaper(build: Build) -> None:
    loaded = build(
        [action("change_phone", [path("p", ["dear"])]), action("reset", [path("sms", ["otp"])])],
        {"dear": factor(5000, 0.5), "otp": factor(20, 0.8, obtainable_via=["change_phone"])},
    )
    attack = cheapest_attacks(loaded).attacks["reset"]
    assert attack is not None and attack.actions() == ("reset",)
    assert attack.expected_cost_usd == pytest.approx(25)


def test_cycles_terminate_and_never_contain_the_target(build: Build) -> None:
    loaded = build(
        [
            action("a", [path("p", ["fa"]), path("q", ["cheap_a"])]),
            action("b", [path("p", ["fb"])]),
        ],
        {
            "fa": factor(1000, 0.1, obtainable_via=["b"]),
            "fb": factor(1000, 0.1, obtainable_via=["a"]),
            "cheap_a": factor(10, 1.0),
        },
    )
    result = cheapest_attacks(loaded)
    a, b = result.attacks["a"], result.attacks["b"]
    assert a is not None and b is not None
    assert a.actions() == ("a",) and a.expected_cost_usd == pytest.approx(10)
    assert b.actions() == ("a", "b") and b.expected_cost_usd == pytest.approx(10)


def test_pure_cycle_with_no_way_in_falls_back_to_direct_factors(build: Build) -> None:
    loaded = build(
        [action("a", [path("p", ["fa"])]), action("b", [path("p", ["fb"])])],
        {
            "fa": factor(100, 0.5, obtainable_via=["b"]),
            "fb": factor(300, 0.5, obtainable_via=["a"]),
        },
    )
    result = cheapest_attacks(loaded)
    assert result.expected_cost("a") == pytest.approx(200)
    # b through a (200) beats b direct (600)
    b = result.attacks["b"]
    assert b is not None and b.actions() == ("a", "b") and b.expected_cost_usd == pytest.approx(200)


def test_shared_prerequisite_is_paid_once(build: Build) -> None:
    loaded = build(
        [action("x", [path("p", ["w"])]), action("y", [path("p", ["f1", "f2"])])],
        {
            "w": factor(10, 0.5),
            "f1": factor(999, 0.01, obtainable_via=["x"]),
            "f2": factor(999, 0.01, obtainable_via=["x"]),
        },
    )
    attack = cheapest_attacks(loaded).attacks["y"]
    assert attack is not None and attack.actions() == ("x", "y")
    assert attack.cost_usd == pytest.approx(10) and attack.success_probability == pytest.approx(0.5)


def test_cooling_off_and_notification_tax_dependent_chains(build: Build) -> None:
    common = {"w": factor(10, 1.0, minutes=1), "f": factor(10000, 0.01, obtainable_via=["x"])}
    plain = build([action("x", [path("p", ["w"])]), action("y", [path("p", ["f"])])], common)
    held = build(
        [
            action("x", [path("p", ["w"])], cooling_off_hours=24, notifies_old_contact=True),
            action("y", [path("p", ["f"])]),
        ],
        common,
    )
    before, after = cheapest_attacks(plain).attacks["y"], cheapest_attacks(held).attacks["y"]
    assert before is not None and after is not None
    assert after.minutes == pytest.approx(before.minutes + 24 * 60)
    assert after.success_probability == pytest.approx(before.success_probability * (1 - 0.6))


def test_action_with_no_path_is_unreachable(build: Build) -> None:
    loaded = build([action("a", [])])
    assert cheapest_attacks(loaded).attacks["a"] is None


def test_bank_takeover_chain_hand_checked() -> None:
    # change_phone_number/override: manager_override $10 at 0.5 -> expected $20.
    # reset_password/ivr_reset: account_details $5 at 0.9 plus the SMS code held
    # from the phone change: $15 at 0.45 -> expected $33.33.
    loaded = load_file(EXAMPLES / "bank.yaml")
    result = cheapest_attacks(loaded)
    phone, reset = result.attacks["change_phone_number"], result.attacks["reset_password"]
    assert phone is not None and reset is not None
    assert phone.expected_cost_usd == pytest.approx(20.0)
    assert [(s.action, s.path) for s in reset.steps] == [
        ("change_phone_number", "override"),
        ("reset_password", "ivr_reset"),
    ]
    assert reset.cost_usd == pytest.approx(15.0)
    assert reset.success_probability == pytest.approx(0.45)
    assert reset.expected_cost_usd == pytest.approx(33.333, rel=1e-4)
    wire = result.attacks["wire_transfer"]
    assert wire is not None and wire.actions()[0] == "change_phone_number"


def test_retailer_username_chain_hand_checked() -> None:
    # ABCD: Recover Username asks 3 of 4 identity items (account_details: $5 at
    # 0.9) and hands the username to Recover Password, which also wants the PIN
    # or the security answer: kba ($20 at 0.53) beats the PIN ($20 at
    # 1 - 0.9^3 = 0.271). Chain: $25 at 0.477 -> expected $52.41.
    result = cheapest_attacks(load_file(EXAMPLES / "retailer_abcd.yaml"))
    attack = result.attacks["recover_password"]
    assert attack is not None
    assert attack.actions() == ("recover_username", "recover_password")
    assert attack.final.factors == ("kba",) and attack.final.obtained == ("username",)
    assert attack.cost_usd == pytest.approx(25.0)
    assert attack.success_probability == pytest.approx(0.9 * 0.53)
    assert attack.expected_cost_usd == pytest.approx(52.41, abs=0.01)


def test_deepfake_wire_hand_checked() -> None:
    # e-mail from the executive's address: $10 at 0.6 -> $16.67; the deepfaked
    # video call ($300 at 0.5 -> $600) and the cloned voice with the safe phrase
    # ($205 at 0.7 * 0.1 -> $2,928.57) cost more. All far below $250,000.
    result = cheapest_attacks(load_file(EXAMPLES / "deepfake_ceo.yaml"))
    wire = result.attacks["wire_on_exec_instruction"]
    assert wire is not None and wire.final.path == "email_instruction"
    assert wire.expected_cost_usd == pytest.approx(10 / 0.6)
