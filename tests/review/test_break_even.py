"""An action whose expected cost equals its impact is not exposed (the contract: an
action is exposed when its impact exceeds the expected cost), though the sum is
computed in floating point: $150 + $150 at 0.1 x 0.1 (0.010000000000000002) is
$29,999.999999999993 against $30,000 (review/exposure.py compares once, for every
module and format)."""

from __future__ import annotations

from channelguard.model.loader import load_data
from channelguard.review.review import run_review
from tests.conftest import action, base_model, factor, path


def test_an_action_at_break_even_is_not_exposed() -> None:
    model = base_model(
        factors={"code_a": factor(150, 0.1), "code_b": factor(150, 0.1)},
        actions=[action("wire", [path("a", ["code_a", "code_b"])], impact=30000)],
    )
    review = run_review(load_data(model, "m.yaml"), with_plan=False)
    (wire,) = review.actions
    assert 300 / (0.1 * 0.1) != 30000  # the floating-point sum is a hair under
    assert not wire.exposed  # the exact figure is $30,000: break-even
