"""Without a plan no format reads as an all-clear: `plan` and `exposed_after_plan`
are null, `plan_complete` is never true, and the text says no plan was computed."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from channelguard.model.loader import load_data, load_file
from channelguard.report.documents import to_html, to_markdown
from channelguard.report.review_json import review_to_dict
from channelguard.report.terminal import print_review
from channelguard.review.review import run_review
from tests.conftest import EXAMPLES, action, path, run_cli


def test_json_without_a_plan_says_none_was_computed() -> None:
    done = run_cli("review", str(EXAMPLES / "bank.yaml"), "--no-plan", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    summary = data["summary"]
    assert summary["exposed"] > 0
    assert data["plan"] is None
    assert summary["plan_computed"] is False
    assert summary["exposed_after_plan"] is None
    assert summary["plan_complete"] is None
    assert summary["plan_items"] is None
    assert "no plan computed" in summary["plan_note"]


def test_json_with_a_plan_keeps_the_contract_shape() -> None:
    data = review_to_dict(run_review(load_file(EXAMPLES / "bank.yaml")))
    assert data["summary"]["plan_computed"] is True
    assert isinstance(data["plan"], list) and isinstance(
        data["summary"]["exposed_after_plan"], list
    )


@pytest.mark.parametrize("width", [200, 80])
def test_terminal_without_a_plan_never_says_nothing_is_exposed(width: int) -> None:
    review = run_review(load_file(EXAMPLES / "bank.yaml"), with_plan=False)
    console = Console(record=True, width=width)
    print_review(review, console)
    text = console.export_text()
    assert "no plan computed" in text
    assert "Still exposed after the plan: none" not in text
    assert "No exposed action" not in text


def test_documents_without_a_plan_say_no_plan_computed() -> None:
    loaded = load_file(EXAMPLES / "bank.yaml")
    review = run_review(loaded, with_plan=False)
    for text in (to_markdown(loaded, review), to_html(loaded, review)):
        assert "no plan computed" in text
        assert "Still exposed after the plan: none" not in text


def test_an_empty_plan_on_an_exposed_model_is_not_an_all_clear() -> None:
    # exposed, and no catalogue control reaches a T0 path that checks nothing
    data = {
        "organization": "o",
        "version": "1",
        "channels": [{"id": "web", "kind": "web", "staffed_by": "self_service"}],
        "actions": [action("info", [path("p", [], channel="web")], tier="T0", impact=500)],
    }
    review = run_review(load_data(data, "m"))
    assert review.exposed and not review.plan
    console = Console(record=True, width=200)
    print_review(review, console)
    text = console.export_text()
    assert "No exposed action" not in text and "info" in text
