"""What the pages show, from the served model's review and a register with days
of stored decisions (SQLite and PostgreSQL): the figures are the review's and the
register's own, each tenant's only, and looking files nothing."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

from channelguard.report.review_json import review_to_dict
from channelguard.review.review import run_review
from tests.ui.conftest import Ui, sign_in
from tests.watch.streams import write_stream


def test_posture_shows_the_reviews_figures(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    page = ui.client.get("/ui").text
    review = review_to_dict(run_review(ui.service.loaded, with_plan=False))
    summary = review["summary"]
    assert (
        f'<span class="figure">{summary["exposed"]}</span> of {summary["actions"]} actions' in page
    )
    for action in review["actions"]:
        assert f'href="/ui/graph#{action["id"]}"' in page
    chart = json.loads(re.search(r'id="cost-impact-data">(.*?)</script>', page, re.S).group(1))
    exposed = {p["label"] for p in chart["datasets"][0]["data"]}
    assert exposed == {a["id"] for a in review["actions"] if a["exposed"]}


def test_the_graph_page_carries_the_attack_graph(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    page = ui.client.get("/ui/graph").text
    elements = json.loads(re.search(r'id="graph-data">(.*?)</script>', page, re.S).group(1))
    nodes = {e["data"]["id"] for e in elements if "source" not in e["data"]}
    assert nodes == {a.id for a in ui.service.loaded.model.actions}
    assert any(e["data"].get("cheapest") for e in elements)
    panel = ui.client.get("/ui/graph/actions/wire_transfer").text
    assert "Paths, cheapest first" in panel and "Plan items that raise it" in panel


def test_runtime_and_drift_read_the_register_and_file_nothing(ui: Ui) -> None:
    write_stream(ui.service.db, until=datetime.now(UTC), shifted=True, tenant="default",
                 channel="ai_chat", per_day=120)  # fmt: skip
    before = ui.service.store.list(limit=50)[1]
    sign_in(ui.client, ui.keys["read"])
    runtime = ui.client.get("/ui/runtime", params={"days": 7}).text
    total = int(re.search(r'<span class="figure">(\d+)</span> decisions', runtime).group(1))
    assert 6 * 120 <= total <= 8 * 120  # the stream's decisions within the last 7 days
    assert "callback_lure" in runtime
    drift = ui.client.get("/ui/drift", params={"window": "1d", "reference": "7d"}).text
    alerts = drift.split("<h2>Alerts</h2>")[1].split("</ul>")[0]
    assert "hold_rate" in alerts and "default / ai_chat" in alerts
    assert ui.service.store.list(limit=50)[1] == before  # the page filed no incident
    # another tenant sees none of it
    sign_in(ui.client, ui.keys["other"])
    assert "No alert." in ui.client.get("/ui/drift").text
    assert '<span class="figure">0</span> decisions' in ui.client.get("/ui/runtime").text
    # unknown choices fall back to the defaults, never an error
    odd = ui.client.get("/ui/drift", params={"window": "<x>", "reference": "99y"})
    assert odd.status_code == 200
    assert ui.client.get("/ui/runtime", params={"days": "1000"}).status_code == 422


def _shown(panel: str) -> dict[str, list[str]]:
    div = re.search(r'<div id="whatif-result" ([^>]*)>', panel)
    assert div, "no what-if result"
    attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', div.group(1)))
    return {k: json.loads(html.unescape(v)) for k, v in attrs.items()}


def _plan_ids(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="item" value="([^"]+)">', page)


def test_the_graph_what_if_applies_ticked_plan_items_and_stores_nothing(ui: Ui) -> None:
    sign_in(ui.client, ui.keys["read"])
    data = review_to_dict(run_review(ui.service.loaded, with_plan=True))
    ids = _plan_ids(ui.client.get("/ui/graph").text)
    assert len(ids) == len(data["plan"]) >= 2
    # the first item alone: the plan's own effects of its first item
    first = data["plan"][0]
    one = ui.client.get("/ui/graph/whatif", params={"item": ids[0]})
    assert one.status_code == 200
    shown = _shown(one.text)
    closes = [
        e["action"] for e in first["effects"] if e["exposed_before"] and not e["exposed_after"]
    ]
    assert sorted(shown["closed"]) == sorted(closes)
    assert shown["chosen"] == [ids[0]]
    for effect in first["effects"]:
        if effect["before_usd"] != effect["after_usd"]:
            assert f'<tr data-action="{effect["action"]}">' in one.text
    # every item: what the plan leaves exposed, and the plan's costs after
    every = ui.client.get("/ui/graph/whatif", params=[("item", i) for i in ids]).text
    shown = _shown(every)
    assert sorted(shown["exposed"]) == sorted(data["summary"]["exposed_after_plan"])
    before = {a["id"] for a in data["actions"] if a["exposed"]}
    assert set(shown["closed"]) == before - set(data["summary"]["exposed_after_plan"])
    # nothing ticked, or only ids the plan does not have: nothing changes
    for params in ({}, {"item": "no-such@x/y"}, {"item": "<script>"}):
        none = ui.client.get("/ui/graph/whatif", params=params)
        assert none.status_code == 200 and "Tick plan items" in none.text
    assert "script" not in none.text
    # read-only: no mark stored, the graph page as before
    assert ui.client.get("/ui/plan").text.count('class="done"') == 0
    assert _plan_ids(ui.client.get("/ui/graph").text) == ids


def test_the_what_if_needs_a_signed_in_reader(ui: Ui) -> None:
    answer = ui.client.get("/ui/graph/whatif", params={"item": "x"}, follow_redirects=False)
    assert answer.status_code in (303, 307) and answer.headers["location"].endswith("/ui/login")
    sign_in(ui.client, ui.keys["read"])
    many = [("item", f"x{i}") for i in range(500)]
    assert ui.client.get("/ui/graph/whatif", params=many).status_code == 422
