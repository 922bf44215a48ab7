"""The posture trend on /ui: the signed-in tenant's saved reviews of the served
model, as a line chart's JSON and a table of the same numbers (SQLite and
PostgreSQL); another tenant's reviews never show; none saved says how to save one."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from typing import Any

from channelguard.register.reviews import save_review
from channelguard.report.review_json import review_to_dict
from channelguard.review.review import run_review
from tests.ui.conftest import Ui, sign_in

DIGEST = "a" * 64


def _review(ui: Ui) -> dict[str, Any]:
    return review_to_dict(run_review(ui.service.loaded, with_plan=False))


def _save(ui: Ui, review: dict[str, Any], when: datetime, tenant: str = "default") -> None:
    save_review(
        ui.service.db,
        tenant=tenant,
        model_name=review["organization"],
        model_digest=DIGEST,
        review=review,
        created_at=when,
    )


def _rows(page: str) -> list[list[str]]:
    table = re.search(r'<table class="rows trend".*?<tbody>(.*?)</tbody>', page, re.S)
    assert table, "no trend table on the page"
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)]  # fmt: skip


def test_two_saved_reviews_are_two_points(ui: Ui) -> None:
    first = _review(ui)
    second = copy.deepcopy(first)
    for a in second["actions"]:  # a hardened model: every attack costs a million more
        if a["cheapest"]:
            a["cheapest"]["expected_cost_usd"] += 1_000_000
    _save(ui, first, datetime(2026, 10, 15, 8, 30, tzinfo=UTC))
    _save(ui, second, datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    sign_in(ui.client, ui.keys["read"])
    page = ui.client.get("/ui").text
    rows = _rows(page)
    assert [r[0] for r in rows] == ["2026-10-15 08:30 UTC", "2026-12-01 09:00 UTC"]
    costs = [a["cheapest"]["expected_cost_usd"] for a in first["actions"] if a["cheapest"]]
    exposed = [a for a in second["actions"] if a["cheapest"]
               and a["impact_usd"] > a["cheapest"]["expected_cost_usd"]]  # fmt: skip
    assert [r[2] for r in rows] == [str(first["summary"]["exposed"]), str(len(exposed))]
    assert rows[0][4] == f"${min(costs):,.0f}" or rows[0][4] == f"${min(costs):,.2f}"
    chart = json.loads(re.search(r'id="trend-data">(.*?)</script>', page, re.S).group(1))
    # a time axis: each point at its saved time (ms since the epoch), not an even label
    assert chart["time"] is True and "labels" not in chart
    at = [datetime(2026, 10, 15, 8, 30, tzinfo=UTC), datetime(2026, 12, 1, 9, 0, tzinfo=UTC)]
    ms = [t.timestamp() * 1000 for t in at]
    assert chart["datasets"][0]["data"] == [
        {"x": ms[0], "y": first["summary"]["exposed"]},
        {"x": ms[1], "y": len(exposed)},
    ]
    assert chart["datasets"][1]["data"] == [
        {"x": ms[0], "y": min(costs)},
        {"x": ms[1], "y": min(costs) + 1_000_000},
    ]


def test_another_tenants_reviews_never_show(ui: Ui) -> None:
    review = _review(ui)
    _save(ui, review, datetime(2026, 10, 15, 8, 30, tzinfo=UTC))
    _save(ui, review, datetime(2021, 3, 4, 5, 6, tzinfo=UTC), tenant="other")
    sign_in(ui.client, ui.keys["read"])
    page = ui.client.get("/ui").text
    assert [r[0] for r in _rows(page)] == ["2026-10-15 08:30 UTC"]
    assert "2021-03-04" not in page
    sign_in(ui.client, ui.keys["other"])
    page = ui.client.get("/ui").text
    assert [r[0] for r in _rows(page)] == ["2021-03-04 05:06 UTC"]
    assert "2026-10-15" not in page


def test_another_models_reviews_are_not_this_trend(ui: Ui) -> None:
    review = {**_review(ui), "organization": "Some other bank"}
    _save(ui, review, datetime(2026, 10, 15, 8, 30, tzinfo=UTC))
    sign_in(ui.client, ui.keys["read"])
    page = ui.client.get("/ui").text
    assert 'id="trend-data"' not in page
    assert "channelguard review MODEL --save --database URL --tenant T" in page


def test_none_saved_says_how_to_save_one(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    page = ui.client.get("/ui").text
    assert "Trend across saved reviews" in page
    assert "channelguard review MODEL --save --database URL --tenant T" in page
    assert 'id="trend-data"' not in page and 'class="rows trend"' not in page
