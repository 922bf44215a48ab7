"""The tier template rules fire where a path accepts less than its tier requires."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from channelguard.model.loader import LoadedModel
from channelguard.review.policy import RULES, check_policy
from tests.conftest import action, path

Build = Callable[..., LoadedModel]


def rules(loaded: LoadedModel) -> set[tuple[str, str | None]]:
    return {(f.rule, f.path) for f in check_policy(loaded)}


@pytest.mark.parametrize(
    ("tier", "requires", "extra", "rule"),
    [
        ("T1", [], {}, "no-verification"),
        ("T1", ["kba"], {}, "knowledge-alone"),
        ("T2", ["otp_sms"], {}, "T2-single-signal"),
        ("T3", ["kba", "otp_sms"], {}, "T3-minimum-evidence"),
        (
            "T3",
            ["caller_supplied_callback", "app_push_number_match"],
            {},
            "T3-caller-supplied-callback",
        ),
        ("T3", ["manager_override"], {}, "T3-override-without-approval"),
        ("T4", ["video_identification"], {}, "T4-inbound-evidence"),
        ("T4", ["oob_known_person"], {}, "T4-dual-control"),
    ],
)
def test_rule_fires(
    build: Build, tier: str, requires: list[str], extra: dict[str, object], rule: str
) -> None:
    loaded = build([action("a", [path("p", requires, **extra)], tier=tier)])
    assert (rule, "p") in rules(loaded)


@pytest.mark.parametrize(
    ("tier", "requires", "approvals"),
    [
        ("T1", ["app_push_number_match"], 0),
        ("T2", ["app_push_number_match", "caller_id_match"], 0),
        ("T3", ["passkey"], 0),
        ("T3", ["kba", "sim_swap_check", "callback_known_number"], 0),
        ("T3", ["manager_override", "app_push_number_match"], 1),
        ("T4", ["oob_known_person"], 1),
    ],
)
def test_compliant_paths_have_no_path_findings(
    build: Build, tier: str, requires: list[str], approvals: int
) -> None:
    loaded = build([action("a", [path("p", requires, approvals=approvals)], tier=tier)])
    assert {r for r, p in rules(loaded) if p == "p"} == set()


def test_ai_autonomy_only_on_ai_channels(build: Build) -> None:
    from channelguard.model.loader import load_data
    from tests.conftest import base_model

    push = ["app_push_number_match"]
    data = base_model(actions=[action("a", [path("p", push, channel="bot")])])
    data["channels"].append({"id": "bot", "kind": "ai_agent", "staffed_by": "ai"})
    assert ("T3-ai-autonomy", "p") in rules(load_data(data))
    assert ("T3-ai-autonomy", "p") not in rules(build([action("a", [path("p", push)])]))


def test_a_t3_path_that_needs_a_passkey_does_not_rest_on_the_agent(build: Build) -> None:
    from channelguard.model.loader import load_data
    from tests.conftest import base_model

    for tier, fires in (("T3", False), ("T4", True)):
        data = base_model(actions=[action("a", [path("p", ["passkey"], channel="bot")], tier=tier)])
        data["channels"].append({"id": "bot", "kind": "ai_agent", "staffed_by": "ai"})
        assert (("T3-ai-autonomy", "p") in rules(load_data(data))) is fires


def test_contact_change_without_cooling_off_or_notice(build: Build) -> None:
    from tests.conftest import factor

    loaded = build(
        [action("change", [path("p", ["passkey"])]), action("use", [path("p", ["held"])])],
        {"held": factor(10, 0.5, obtainable_via=["change"])},
    )
    found = rules(loaded)
    assert ("T3-no-cooling-off", None) in found and ("T3-no-notification", None) in found
    safe = build(
        [
            action(
                "change", [path("p", ["passkey"])], cooling_off_hours=48, notifies_old_contact=True
            ),
            action("use", [path("p", ["held"])]),
        ],
        {"held": factor(10, 0.5, obtainable_via=["change"])},
    )
    assert not {r for r, _ in rules(safe)} & {"T3-no-cooling-off", "T3-no-notification"}


def test_weaker_fallback_is_a_finding(build: Build) -> None:
    loaded = build(
        [action("a", [path("main", ["passkey"]), path("fb", ["kba"], fallback_of="main")])]
    )
    assert ("fallback-weaker", "fb") in rules(loaded)


def test_rule_ids_are_unique() -> None:
    assert len(RULES) == len(set(RULES))
