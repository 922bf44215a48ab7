"""The dashboard in Debian's chromium, driven by Playwright, against a real
`channelguard serve` on a loopback port with a seeded SQLite register: sign in,
every page with real data, an incident changed through the page and seen in the
API's audit timeline, a graph click-through; no console error, no request to
another host, no serious or critical axe-core violation on any page.
Screenshots go to the artifacts folder the run prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from channelguard.model.loader import load_file
from channelguard.register.db import Database
from tests.conftest import DEEPFAKE_WIRE, EXAMPLES, action, base_model, dump, factor, path
from tests.serve.process import call, free_port, make_key, start, stop
from tests.ui.conftest import HOSTILE_TITLE, SECRET
from tests.watch.streams import write_stream

pytestmark = [pytest.mark.browser, pytest.mark.service]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PAGES = {
    "posture": ("/ui", "Posture: "),
    "graph": ("/ui/graph", "Attack graph"),
    "plan": ("/ui/plan", "Hardening plan"),
    "incidents": ("/ui/incidents", "Incidents"),
    "incident": ("/ui/incidents/1", "#1 "),
    "runtime": ("/ui/runtime", "Run time"),
    "drift": ("/ui/drift", "Drift"),
}


def _wait_until(page: Any, expression: str, timeout: float = 15.0) -> Any:
    """Poll a JavaScript expression until it is truthy. Playwright's own
    wait_for_function polls inside the page with eval(), which the dashboard's
    Content-Security-Policy (no 'unsafe-eval') rightly refuses once the first
    try is false; page.evaluate goes through the DevTools protocol instead."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout:.0f} s: {expression}")
        page.wait_for_timeout(50)


@dataclass
class Served:
    port: int
    admin: str
    read: str
    artifacts: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("ui-served")
    db_url = f"sqlite:///{folder / 'register.db'}"
    admin, read, ingest = (make_key(db_url, s) for s in ("admin", "read", "ingest"))
    db = Database(db_url).open()  # a week of stored decisions, the last day shifted
    write_stream(db, until=datetime.now(UTC), shifted=True, tenant="default", channel="ai_chat",
                 per_day=120)  # fmt: skip
    db.close()
    for _ in range(2):  # two saved reviews: the posture trend's two points
        subprocess.run([sys.executable, "-m", "channelguard", "review", str(EXAMPLES / "bank.yaml"),
                        "--save", "--database", db_url, "--tenant", "default"],
                       check=True, capture_output=True)  # fmt: skip
    port = free_port()
    # the what-if test compares the page's plan with one computed without a budget
    budget = {"CHANNELGUARD_REVIEW_PLAN_BUDGET_SECONDS": "600"}
    proc = start(db_url, port, env={"CHANNELGUARD_IDENTITY_SECRET": SECRET, **budget})
    try:
        made = call(port, "POST", "/v1/incidents", admin, {**DEEPFAKE_WIRE, "title": HOSTILE_TITLE})
        assert made[0] == 201, made
        events = json.loads((EXAMPLES / "service_events.json").read_text())
        for session in ("browser-1", "browser-2"):
            done = call(port, "POST", f"/v1/sessions/{session}/events", ingest, events)
            assert done[0] == 200, done
        artifacts = Path(os.environ.get("CHANNELGUARD_UI_ARTIFACTS") or folder / "artifacts")
        artifacts.mkdir(parents=True, exist_ok=True)
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"dashboard screenshots: {artifacts}")
        yield Served(port=port, admin=admin, read=read, artifacts=artifacts)
    finally:
        stop(proc)


@dataclass
class Watched:
    page: Any
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any, served: Served) -> Iterator[Watched]:
    """A page whose console errors and requests to any other host are recorded
    (and those requests aborted)."""
    context = browser.new_context(base_url=served.base, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    seen = Watched(page=page)

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            seen.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on(
        "console",
        lambda m: seen.errors.append(f"{page.url}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: seen.errors.append(f"{page.url}: {e}"))
    yield seen
    context.close()


def _sign_in(page: Any, key: str) -> None:
    page.goto("/ui/incidents")
    assert page.url.endswith("/ui/login")  # nothing visible without signing in
    page.fill("#key", key)
    page.click("button[type=submit]")
    page.wait_for_url("**/ui")


def _axe(page: Any) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # via DevTools: the page's CSP stays on
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document)).violations
             .filter(v => v.impact === "serious" || v.impact === "critical")
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))}))"""
    )
    return found


def test_every_page_renders_real_data_accessibly(watched: Watched, served: Served) -> None:
    page = watched.page
    _sign_in(page, served.admin)
    for name, (url, heading) in PAGES.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert heading in page.inner_text("h1"), name
        assert _axe(page) == [], name
        page.screenshot(path=str(served.artifacts / f"{name}.png"), full_page=True)
    page.goto("/ui")
    assert "wire_transfer" in page.inner_text("main")
    assert page.locator("canvas[data-chart]").count() == 2  # cost/impact and the trend
    assert page.locator("table.trend tbody tr").count() == 2
    trend = page.locator('canvas[data-chart="trend-data"]').bounding_box()
    assert trend is not None and trend["width"] > 100 and trend["height"] > 100
    drawn = page.evaluate(
        "() => window.Chart.getChart(document.querySelector('canvas[data-chart=\"trend-data\"]'))"
        ".data.datasets.map(d => d.data.length)"
    )
    assert drawn == [2, 2]
    axis = page.evaluate(
        "() => window.Chart.getChart(document.querySelector('canvas[data-chart=\"trend-data\"]'))"
        ".scales.x.type"
    )
    assert axis == "linear"  # a time axis of saved times, not evenly spaced labels
    page.goto("/ui/runtime")
    decided = int(page.inner_text(".card .figure"))
    assert decided >= 2 + 6 * 120  # the seeded sessions' and the stream's decisions
    page.goto("/ui/drift")
    assert "hold_rate" in page.inner_text("ul.alerts")  # the shifted last day alerts
    page.goto("/ui/incidents")
    assert HOSTILE_TITLE in page.inner_text("table.board")  # shown as text, never run
    assert page.title() != "owned"
    assert watched.errors == [] and watched.outside == []


def test_an_incident_changed_on_the_page_is_in_the_audit_timeline(
    watched: Watched, served: Served
) -> None:
    page = watched.page
    _sign_in(page, served.admin)
    page.goto("/ui/incidents/1")
    page.select_option("select[name=status]", "contained")
    page.fill("input[name=note]", "contained from the dashboard")
    page.click("form.edit button[type=submit]")
    page.wait_for_selector("#incident .message:has-text('Saved.')")
    status, got = call(served.port, "GET", "/v1/incidents/1", served.admin)
    assert status == 200 and got["status"] == "contained"
    status, trail = call(served.port, "GET", "/v1/incidents/1/timeline", served.admin)
    last = trail["timeline"][-1]
    assert last["actor"].startswith(f"key:{served.admin[:10]}")
    assert "contained from the dashboard" in last["what"]
    assert "contained from the dashboard" in page.inner_text(".timeline")
    page.locator("table.steps button").first.click()
    page.wait_for_selector("table.steps td:has-text('key:')")
    page.screenshot(path=str(served.artifacts / "incident-edited.png"), full_page=True)
    assert watched.errors == [] and watched.outside == []


def test_a_graph_click_shows_the_actions_paths(watched: Watched, served: Served) -> None:
    page = watched.page
    _sign_in(page, served.admin)
    page.goto("/ui/graph")
    _wait_until(page, "window.channelguardGraph && window.channelguardGraph.nodes().length > 0")
    where = page.evaluate(
        """() => {
             const cy = window.channelguardGraph, box = cy.container().getBoundingClientRect();
             const at = cy.$id("wire_transfer").renderedPosition();
             return {x: box.left + at.x, y: box.top + at.y};
           }"""
    )
    page.mouse.click(where["x"], where["y"])
    page.wait_for_selector("#detail h2:has-text('wire_transfer')")
    detail = page.inner_text("#detail")
    assert "Paths, cheapest first" in detail and "Plan items that raise it" in detail
    assert page.evaluate("window.channelguardGraph.$('.faded').length") > 0  # focused
    page.fill("#graph-search", "reset_password")
    page.dispatch_event("#graph-search", "change")
    page.wait_for_selector("#detail h2:has-text('reset_password')")
    page.screenshot(path=str(served.artifacts / "graph-focused.png"))
    assert watched.errors == [] and watched.outside == []


def _first_items_that_close() -> tuple[int, list[str]]:
    """How many of the bank plan's first items, ticked together, close an action (no
    single item does: each raises, the cooling-off on a new device then closes the
    wire), and what they close."""
    from channelguard.review.review import run_review
    from channelguard.serve.ui.whatif import _item_id, plan_what_if

    loaded = load_file(EXAMPLES / "bank.yaml")
    review = run_review(loaded)
    for count in range(1, len(review.plan) + 1):
        done = plan_what_if(loaded, review, [_item_id(i) for i in review.plan[:count]])
        if done.closed:
            return count, list(done.closed)
    raise AssertionError("the bank plan closes nothing")


def test_a_plan_item_ticked_in_the_graphs_what_if(watched: Watched, served: Served) -> None:
    page = watched.page
    _sign_in(page, served.read)  # read-only: a reader may ask "what if"
    page.goto("/ui/graph")
    _wait_until(page, "window.channelguardGraph && window.channelguardGraph.nodes().length")
    assert "Tick plan items" in page.inner_text("#whatif")
    count, closes = _first_items_that_close()  # as the review computes them
    boxes = page.locator("#whatif-form input[name=item]")
    for n in range(count):
        boxes.nth(n).check()
    page.wait_for_selector("#whatif-result strong:has-text('stops being exposed')")
    shown = page.inner_text("#whatif")
    assert all(a in shown for a in closes) and "yes → no" in shown
    assert page.locator("#whatif table.whatif tbody tr[data-action]").count() >= 1
    _wait_until(page, "window.channelguardGraph.nodes('.closed').length > 0")
    closed = page.evaluate("window.channelguardGraph.nodes('.closed').map(n => n.id())")
    assert sorted(closed) == sorted(closes)
    page.screenshot(path=str(served.artifacts / "graph-what-if.png"))
    for n in range(count):
        boxes.nth(n).uncheck()
    page.wait_for_selector("#whatif-result:has-text('Tick plan items')")
    _wait_until(page, "window.channelguardGraph.nodes('.closed').length === 0")
    page.goto("/ui/plan")
    assert page.locator("#plan-items li.done").count() == 0  # nothing was stored
    assert watched.errors == [] and watched.outside == []


def test_a_plan_item_marked_done_on_the_page(watched: Watched, served: Served) -> None:
    page = watched.page
    _sign_in(page, served.admin)
    page.goto("/ui/plan")
    page.locator("#plan-items button").first.click()
    page.wait_for_selector("#plan-items .message:has-text('Saved.')")
    assert page.locator("#plan-items li.done").count() == 1
    page.reload()
    assert page.locator("#plan-items li.done").count() == 1  # stored, not only shown
    assert watched.errors == [] and watched.outside == []


def test_a_read_key_sees_no_edit_controls(watched: Watched, served: Served) -> None:
    page = watched.page
    _sign_in(page, served.read)
    page.goto("/ui/incidents/1")
    assert page.locator("form.edit").count() == 0
    assert "read only" in page.inner_text("header")
    page.click("text=Sign out")
    page.wait_for_url("**/ui/login")
    page.goto("/ui")
    assert page.url.endswith("/ui/login")


def _big_model(n: int) -> dict[str, Any]:
    """n actions in chains of ten: each opens the next with a token it hands over."""
    factors: dict[str, Any] = {}
    actions = []
    for i in range(n):
        needs = ["kba"]
        if i % 10:
            needs = [f"token_{i:03d}"]
            factors[needs[0]] = factor(40 + i, 0.6, obtainable_via=[f"act_{i - 1:03d}"])
        paths = [path("p", needs), path("q", ["kba", "account_details"])]
        actions.append(
            action(f"act_{i:03d}", paths, tier=f"T{i % 4 + 1}", impact=1000 * (i % 7 + 1))
        )
    return base_model(actions=actions, factors=factors)


def test_a_graph_of_120_actions_is_searchable(browser: Any, tmp_path: Path, served: Served) -> None:
    model = tmp_path / "big.yaml"
    model.write_text(dump(_big_model(120)), encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'register.db'}"
    read = make_key(db_url, "read")
    port = free_port()
    proc = start(db_url, port, env={"CHANNELGUARD_IDENTITY_SECRET": SECRET}, model=model)
    context = browser.new_context(
        base_url=f"http://127.0.0.1:{port}", viewport={"width": 1400, "height": 1000}
    )
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        _sign_in(page, read)
        page.goto("/ui/graph")
        _wait_until(page, "window.channelguardGraph && window.channelguardGraph.nodes().length")
        assert page.evaluate("window.channelguardGraph.nodes().length") == 120
        assert page.evaluate("window.channelguardGraph.edges('[?cheapest]').length") > 0
        page.fill("#graph-search", "act_119")
        page.dispatch_event("#graph-search", "change")
        page.wait_for_selector("#detail h2:has-text('act_119')")
        # focused: its chain (act_110 .. act_119) stays, the rest fades
        faded = page.evaluate("window.channelguardGraph.nodes('.faded').length")
        assert 100 <= faded < 120
        page.check("#graph-exposed")
        page.screenshot(path=str(served.artifacts / "graph-120.png"))
        assert errors == []
    finally:
        context.close()
        stop(proc)
