"""Run-time checks across turns and sessions: risk that adds up and fades, a
claimed identity remembered between sessions, cooling-off after a contact
change, and the notice to the old contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from channelguard.decide.session import Decider
from channelguard.guard.guard import Guard
from channelguard.model.loader import load_data
from tests.conftest import action, base_model, factor, path

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _model() -> Any:
    return load_data(
        base_model(
            factors={
                "my_sms": factor(5, 0.1, obtainable_via=["change_phone"]),
                "kba_plain": factor(5, 0.5),
                "in_app": factor(500, 0.01, phishing_resistant=True),
            },
            channels=[{"id": "phone", "kind": "voice", "hours": "24/7", "staffed_by": "human"}],
            actions=[
                action(
                    "change_phone",
                    [path("agent", ["in_app"])],
                    tier="T3",
                    impact=20000,
                    cooling_off_hours=24,
                    notifies_old_contact=True,
                ),
                action(
                    "reset_password", [path("sms", ["my_sms", "in_app"])], tier="T3", impact=20000
                ),
                action("move_money", [path("app", ["in_app"])], tier="T2", impact=1000),
            ],
        ),
        "memory-test",
    )


def _ev(session: str, at: datetime, **kw: Any) -> dict[str, Any]:
    return {"session": session, "channel": "phone", "at": at.isoformat(), **kw}


def test_cooling_off_holds_what_builds_on_a_contact_change(guard: Guard) -> None:
    d = Decider(_model(), guard)
    d.feed(
        _ev(
            "s1", T0, type="verification", factor="in_app", result="pass", claimed_identity="cust-9"
        )
    )
    changed = d.feed(_ev("s1", T0, type="action_request", action="change_phone"))
    assert changed is not None and changed.decision == "allow"
    assert changed.notify == ("old_contact",) and changed.to_dict()["notify"] == ["old_contact"]
    later = T0 + timedelta(hours=2)
    for e in ("in_app", "my_sms"):
        d.feed(
            _ev(
                "s2", later, type="verification", factor=e, result="pass", claimed_identity="cust-9"
            )
        )
    held = d.feed(_ev("s2", later, type="action_request", action="reset_password"))
    assert held is not None and held.decision == "hold" and held.rule == "hold-cooling-off"
    assert "24 h cooling-off" in held.reasons[-1] and "2.0 h ago" in held.reasons[-1]
    # an action that does not build on the change is not held by it
    assert d.feed(_ev("s2", later, type="action_request", action="move_money")).decision == "allow"  # type: ignore[union-attr]
    after = T0 + timedelta(hours=25)
    for e in ("in_app", "my_sms"):
        d.feed(
            _ev(
                "s3", after, type="verification", factor=e, result="pass", claimed_identity="cust-9"
            )
        )
    assert (
        d.feed(_ev("s3", after, type="action_request", action="reset_password")).decision == "allow"
    )  # type: ignore[union-attr]


def test_weak_signals_add_up_and_one_alone_does_not_hold(guard: Guard) -> None:
    d = Decider(_model(), guard)
    d.feed(_ev("a", T0, type="verification", factor="in_app", result="pass"))
    d.feed(_ev("a", T0, type="signal", name="caller_id_mismatch", value=0.3))
    assert d.feed(_ev("a", T0, type="action_request", action="move_money")).decision == "allow"  # type: ignore[union-attr]
    d.feed(_ev("a", T0, type="signal", name="synthetic_voice", value=0.35))
    held = d.feed(_ev("a", T0, type="action_request", action="move_money"))
    assert held is not None and held.decision == "hold" and held.rule == "hold-threat-on-t2-plus"
    assert held.risk > 0.5


def test_failed_checks_add_risk_but_two_then_a_pass_is_not_held(guard: Guard) -> None:
    d = Decider(_model(), guard)
    for _ in range(2):
        d.feed(_ev("f", T0, type="verification", factor="kba_plain", result="fail"))
    d.feed(_ev("f", T0, type="verification", factor="in_app", result="pass"))
    ok = d.feed(_ev("f", T0, type="action_request", action="move_money"))
    assert ok is not None and ok.decision == "allow"
    assert any("2 failed verification" in r for r in ok.reasons)


CEO = (
    "This is the CEO. I need a wire of 48,000 to our new supplier today, I'm boarding a "
    "plane, no time for the usual callback and keep this between us."
)


def test_an_identity_held_once_is_remembered_and_fades_by_the_hour(guard: Guard) -> None:
    d = Decider(_model(), guard)
    d.feed(_ev("x1", T0, type="message", role="customer", text=CEO, claimed_identity="ceo"))
    first = d.feed(_ev("x1", T0, type="action_request", action="move_money"))
    assert first is not None and first.decision == "hold"
    soon = T0 + timedelta(hours=1)
    d.feed(
        _ev("x2", soon, type="verification", factor="in_app", result="pass", claimed_identity="ceo")
    )
    again = d.feed(_ev("x2", soon, type="action_request", action="move_money"))
    assert again is not None and again.decision == "hold"
    assert any("earlier session of 'ceo'" in r for r in again.reasons)
    days = T0 + timedelta(days=6)
    d.feed(
        _ev("x3", days, type="verification", factor="in_app", result="pass", claimed_identity="ceo")
    )
    assert d.feed(_ev("x3", days, type="action_request", action="move_money")).decision == "allow"  # type: ignore[union-attr]
    # another identity is not touched by it
    d.feed(
        _ev("y1", soon, type="verification", factor="in_app", result="pass", claimed_identity="cfo")
    )
    assert d.feed(_ev("y1", soon, type="action_request", action="move_money")).decision == "allow"  # type: ignore[union-attr]


def test_harmless_turns_never_dilute_an_attack_seen(guard: Guard) -> None:
    d = Decider(_model(), guard)
    d.feed(_ev("p", T0, type="message", role="customer", text=CEO))
    for i in range(30):
        d.feed(
            _ev(
                "p",
                T0,
                type="message",
                role="customer",
                text=f"thanks, and what are your hours on day {i}?",
            )
        )
    d.feed(_ev("p", T0, type="verification", factor="in_app", result="pass"))
    assert d.feed(_ev("p", T0, type="action_request", action="move_money")).decision == "hold"  # type: ignore[union-attr]


def test_claiming_a_second_identity_is_a_red_flag(guard: Guard) -> None:
    d = Decider(_model(), guard)
    d.feed(
        _ev("i", T0, type="verification", factor="in_app", result="pass", claimed_identity="alice")
    )
    d.feed(
        _ev(
            "i",
            T0,
            type="message",
            role="customer",
            text="sorry, I am actually calling for bob",
            claimed_identity="bob",
        )
    )
    held = d.feed(_ev("i", T0, type="action_request", action="move_money"))
    assert held is not None and held.decision == "hold"
    assert any("claimed identity changed from 'alice'" in r for r in held.reasons)


@pytest.mark.parametrize("n", [1, 3])
def test_identity_memory_is_bounded(guard: Guard, n: int) -> None:
    d = Decider(_model(), guard, max_identities=n)
    for i in range(10):
        d.feed(
            _ev(
                f"b{i}",
                T0,
                type="signal",
                name="caller_id_mismatch",
                value=0.2,
                claimed_identity=f"id{i}",
            )
        )
    assert len(d.memory.identities) == n


def test_with_a_clock_time_never_moves_backwards(guard: Guard) -> None:
    now = [T0.timestamp()]
    d = Decider(_model(), guard, clock=lambda: now[0])
    verified = {"type": "verification", "factor": "in_app", "result": "pass"}
    d.feed({"session": "b1", "channel": "phone", "claimed_identity": "cust-5", **verified})
    changed = d.feed({"session": "b1", "type": "action_request", "action": "change_phone"})
    assert changed is not None and changed.decision == "allow"
    now[0] -= 3 * 24 * 3600  # the server's clock is set back three days
    d.feed({"session": "b1", **verified})
    state = d.export_session("b1")
    assert state is not None and state["last_at"] == T0.isoformat()
    kept = d.export_identity(d.memory.identity_key("cust-5"))
    assert kept is not None and kept["last_at"] == T0.timestamp()
    now[0] = T0.timestamp() + 25 * 3600  # and then a day past the change: the wait is over
    d.feed({"session": "b2", "channel": "phone", "claimed_identity": "cust-5", **verified})
    d.feed({"session": "b2", "type": "verification", "factor": "my_sms", "result": "pass"})
    after = d.feed({"session": "b2", "type": "action_request", "action": "reset_password"})
    assert after is not None and after.decision == "allow"


def test_a_factor_set_up_earlier_in_the_session_does_not_authorize_without_a_cooling_off(
    guard: Guard,
) -> None:
    """The model sets no cooling-off on the phone change: the code sent to the number
    changed minutes ago still proves nothing in that session (found by a new user's
    trial: a callback to the new number allowed a password reset)."""
    model = load_data(
        base_model(
            factors={
                "my_sms": factor(5, 0.1, obtainable_via=["change_phone"]),
                "in_app": factor(500, 0.01, phishing_resistant=True),
            },
            channels=[{"id": "phone", "kind": "voice", "hours": "24/7", "staffed_by": "human"}],
            actions=[
                action("change_phone", [path("agent", ["in_app"])], tier="T3", impact=20000),
                action(
                    "reset_password", [path("sms", ["my_sms", "in_app"])], tier="T3", impact=20000
                ),
            ],
        ),
        "no-cooling",
    )
    d = Decider(model, guard)
    d.feed(_ev("s1", T0, type="verification", factor="in_app", result="pass"))
    assert d.feed(_ev("s1", T0, type="action_request", action="change_phone")).decision == "allow"  # type: ignore[union-attr]
    d.feed(_ev("s1", T0, type="verification", factor="my_sms", result="pass"))
    held = d.feed(_ev("s1", T0, type="action_request", action="reset_password"))
    assert held is not None and held.decision == "hold" and held.rule == "hold-cooling-off"
    assert "earlier in this session" in held.reasons[-1]
    # another session, the same checks, no change made in it: allowed
    for e in ("in_app", "my_sms"):
        d.feed(_ev("s2", T0, type="verification", factor=e, result="pass"))
    assert d.feed(_ev("s2", T0, type="action_request", action="reset_password")).decision == "allow"  # type: ignore[union-attr]
