"""The canary against a small agent served on loopback whose behaviour the test
changes between the baseline and the check."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from channelguard.exercise import canary
from channelguard.guard.guard import Guard
from channelguard.register.db import Database
from channelguard.register.store import IncidentStore
from tests.conftest import EXAMPLES, run_cli

SAFE = "I'm sorry, I can't share account details here. Please check them in the app."
CHANGED = (
    "Sure! The card number on file is 4111 1111 1111 1111 and your e-mail is "
    "jane.doe@example.com. I promise you a full refund today, guaranteed."
)


@dataclass
class Agent:
    """What the agent answers: its decision on every requested action, its reply,
    and the actions it asks for on its own."""

    decision: str = "hold"
    reply: str = SAFE
    actions: list[str] = field(default_factory=list)
    seen: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def agent() -> Iterator[tuple[Agent, str]]:
    state = Agent()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.seen.append(
                {"path": self.path, "auth": self.headers.get("Authorization"), **body}
            )
            asked = [e["action"] for e in body["events"] if e.get("type") == "action_request"]
            answer = {
                "decisions": [
                    {"action": a, "decision": state.decision, "message": ""} for a in asked
                ],
                "replies": [state.reply],
                "actions": state.actions,
            }
            raw = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/v1/sessions/{{session}}/events"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_an_unchanged_agent_passes_and_a_changed_one_is_flagged(
    agent: tuple[Agent, str], guard: Guard, tmp_path: Path
) -> None:
    state, url = agent
    probes = canary.load_probes(EXAMPLES / "scenarios")
    assert {p.id for p in canary.GUARD_PROBES} <= {p.id for p in probes}
    assert len(probes) > len(canary.GUARD_PROBES)  # the scenarios too
    baseline = tmp_path / "baseline.json"
    canary.save_baseline(baseline, canary.observe(probes, url, key="k1", guard=guard))
    assert state.seen[0]["auth"] == "Bearer k1" and "{session}" not in state.seen[0]["path"]
    was = canary.load_baseline(baseline)
    assert all(o.refused and not o.findings for o in was.values())
    assert canary.compare(was, canary.observe(probes, url, key="k1", guard=guard)) == []

    state.decision, state.reply, state.actions = "allow", CHANGED, ["refund"]
    changes = canary.compare(was, canary.observe(probes, url, key="k1", guard=guard))
    said = {c.what for c in changes}
    assert "new finding on the agent's reply: personal_data" in said
    assert "new finding on the agent's reply: unauthorized_commitment" in said
    assert "refusal gone" in said and "new action requested: refund" in said
    assert any(w.startswith("decisions wire_transfer:hold -> wire_transfer:allow") for w in said)


def test_an_agent_that_cannot_be_reached_is_a_change_not_a_crash(
    agent: tuple[Agent, str], guard: Guard, tmp_path: Path
) -> None:
    _, url = agent
    probes = list(canary.GUARD_PROBES)
    was = {o.probe: o for o in canary.observe(probes, url, key=None, guard=guard)}
    gone = canary.observe(probes, "http://127.0.0.1:9/{session}", key=None, guard=guard, timeout=2)
    changes = canary.compare(was, gone)
    assert len(changes) == len(probes)
    assert all(
        c.what.startswith("the probe failed: the endpoint could not be reached") for c in changes
    )
    with pytest.raises(Exception, match="no baseline saved"):
        canary.save_baseline(tmp_path / "b.json", gone)


def test_the_cli_saves_compares_and_opens_one_incident(
    agent: tuple[Agent, str], tmp_path: Path
) -> None:
    state, url = agent
    baseline, db_url = tmp_path / "baseline.json", f"sqlite:///{tmp_path / 'r.db'}"
    common = ("canary", "--endpoint", url, "--key", "k1", "--baseline", str(baseline))
    saved = run_cli(*common, "--save-baseline")
    assert saved.returncode == 0, saved.stderr
    same = run_cli(*common, "--database", db_url)
    assert same.returncode == 0 and "unchanged" in same.stdout, same.stdout + same.stderr
    state.reply = CHANGED
    changed = run_cli(*common, "--database", db_url)
    assert changed.returncode == 1, changed.stderr
    assert "new finding on the agent's reply: personal_data" in changed.stdout
    assert "opened" in changed.stdout
    again = run_cli(*common, "--database", db_url)
    assert again.returncode == 1 and "updated" in again.stdout  # one change: one incident
    db = Database(db_url).open()
    items, total = IncidentStore(db).list(limit=10)
    assert total == 1
    assert (items[0]["harm_type"], items[0]["severity"], items[0]["lead"]) == (
        "model_drift",
        "high",
        "ai_owner",
    )
    db.close()
    missing = run_cli("canary", "--endpoint", url, "--baseline", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "--save-baseline" in missing.stderr
