"""POST /v1/review recomputed the served model's review (seconds of CPU on a
large model) on every call: it is now computed once a process, with and
without the plan, and shared with the dashboard. Real service, real SQLite."""

from __future__ import annotations

from typing import Any

import pytest

import channelguard.review.review as reviews
from tests.serve.conftest import Api


def test_repeated_reviews_are_computed_once_per_plan_flag(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    if api.service.db.dialect != "sqlite":
        pytest.skip("the cache is in the process: one database is enough")
    real, calls = reviews.run_review, []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("with_plan"))
        return real(*args, **kwargs)

    monkeypatch.setattr(reviews, "run_review", counted)
    first = api.client.post("/v1/review", headers=api.read)
    again = api.client.post("/v1/review", headers=api.read)
    assert first.status_code == again.status_code == 200, first.text
    assert first.json() == again.json() and not first.json().get("plan")
    planned = [
        api.client.post("/v1/review", headers=api.read, json={"plan": True}) for _ in range(2)
    ]
    assert planned[0].json() == planned[1].json() and planned[0].json()["plan"]
    assert calls == [False, True]  # once each, not once a call
    assert api.service.review(with_plan=True) is api.service.review(with_plan=True)


def test_the_plan_budget_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from channelguard.errors import ConfigError
    from channelguard.serve import ServiceConfig
    from tests.conftest import EXAMPLES

    model = EXAMPLES / "bank.yaml"
    monkeypatch.setenv("CHANNELGUARD_REVIEW_PLAN_BUDGET_SECONDS", "42.5")
    assert ServiceConfig.load(model=model).review_plan_budget_seconds == 42.5
    monkeypatch.setenv("CHANNELGUARD_REVIEW_PLAN_BUDGET_SECONDS", "0")
    with pytest.raises(ConfigError, match="review_plan_budget_seconds"):
        ServiceConfig.load(model=model)
