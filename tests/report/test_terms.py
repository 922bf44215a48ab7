"""Every figure of a chain can be recomputed from the output: the steps' own costs,
minutes and probabilities, and each term that changed them (a notification to the
old contact, a cooling-off, approvals), in JSON and in every text format."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import pytest
from rich.console import Console

from channelguard.model.loader import LoadedModel
from channelguard.report.documents import to_html, to_markdown
from channelguard.report.review_json import review_to_dict
from channelguard.report.sarif import review_to_sarif
from channelguard.report.terminal import print_review
from channelguard.review.review import run_review
from tests.conftest import action, factor, path

Build = Callable[..., LoadedModel]


def _chain(build: Build, hours: float) -> LoadedModel:
    # the code reaches the attacker once the phone number is theirs; passing it
    # directly is dearer than taking the number first
    return build(
        [
            action(
                "change_phone",
                [path("agent", ["kba"], approvals=1)],
                impact=100,
                notifies_old_contact=True,
                cooling_off_hours=hours,
            ),
            action("reset", [path("ivr", ["code"])], impact=100_000),
        ],
        {"code": factor(100_000, 0.9, obtainable_via=["change_phone"])},
    )


@pytest.mark.parametrize(("hours", "survival"), [(0, 0.85), (24, 0.4)])
def test_json_steps_recompute_the_chain(build: Build, hours: float, survival: float) -> None:
    data = review_to_dict(run_review(_chain(build, hours), with_plan=False))
    reset = next(a for a in data["actions"] if a["id"] == "reset")["cheapest"]
    first, last = reset["steps"]
    assert first["action"] == "change_phone" and last["action"] == "reset"
    kinds = {t["kind"]: t for t in first["terms"]}
    assert kinds["notifies_old_contact"]["probability_factor"] == pytest.approx(survival)
    assert "approvals" in kinds and first["factors"].count("second_approver") == 1
    probability = math.prod(
        s["success_probability"] * math.prod(t["probability_factor"] for t in s["terms"])
        for s in reset["steps"]
    )
    assert probability == pytest.approx(reset["success_probability"], rel=1e-5)
    assert sum(s["cost_usd"] for s in reset["steps"]) == pytest.approx(reset["cost_usd"])
    minutes = sum(s["minutes"] + sum(t["minutes"] for t in s["terms"]) for s in reset["steps"])
    assert minutes == pytest.approx(reset["minutes"], abs=0.2)
    assert (kinds.get("cooling_off") is not None) == (hours > 0)


def test_every_text_format_states_the_notification_term(build: Build) -> None:
    loaded = _chain(build, 24)
    review = run_review(loaded, with_plan=False)
    console = Console(record=True, width=250)
    print_review(review, console)
    sarif = json.dumps(review_to_sarif(loaded, review))
    for text in (
        console.export_text(),
        to_markdown(loaded, review),
        to_html(loaded, review),
        sarif,
    ):
        assert "x0.4: old contact notified" in text and "+24 h cooling-off" in text
