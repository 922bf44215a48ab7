"""The server's clock is the truth: an event's `at` is evidence of when the
customer acted, never what ages memory, cooling-off or a session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import action, base_model, factor, path
from tests.serve.conftest import SECRET, bearer

CEO = (
    "This is the CEO. I need a wire of 48,000 to our new supplier today, I'm boarding a "
    "plane, no time for the usual callback and keep this between us."
)


def _model(tmp_path: Path) -> Path:
    data = base_model(
        factors={
            "my_sms": factor(5, 0.1, obtainable_via=["change_phone"]),
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
            ),
            action("reset_password", [path("sms", ["my_sms", "in_app"])], tier="T3", impact=20000),
            action("move_money", [path("app", ["in_app"])], tier="T2", impact=1000),
        ],
    )
    file = tmp_path / "model.yaml"
    file.write_text(yaml.safe_dump(data))
    return file


class Served:
    def __init__(self, client: TestClient, key: dict[str, str]) -> None:
        self.client, self.key = client, key

    def post(self, session: str, *events: dict[str, Any]) -> dict[str, Any]:
        body = {"events": [{"channel": "phone", **e} for e in events]}
        response = self.client.post(f"/v1/sessions/{session}/events", headers=self.key, json=body)
        assert response.status_code == 200, response.text
        out: dict[str, Any] = response.json()
        return out


def _serve(tmp_path: Path, db_url: str, **settings: Any) -> Iterator[Served]:
    config = ServiceConfig.load(
        model=_model(tmp_path), database_url=db_url, identity_secret=SECRET, **settings
    )
    service = Service(config).start()
    key = bearer(service.keys.create(["ingest"], "clock test")[1])
    with TestClient(create_app(service), raise_server_exceptions=False) as client:
        yield Served(client, key)
    service.stop()


@pytest.fixture
def served(tmp_path: Path, db_url: str) -> Iterator[Served]:
    yield from _serve(tmp_path, db_url)


def _future(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def _passes(*factors: str, **extra: Any) -> list[dict[str, Any]]:
    return [{"type": "verification", "factor": f, "result": "pass", **extra} for f in factors]


def test_a_future_at_cannot_age_out_a_remembered_held_attack(served: Served) -> None:
    attack = {"type": "message", "role": "customer", "text": CEO, "claimed_identity": "cust-1"}
    held = served.post("x1", attack, {"type": "action_request", "action": "move_money"})
    assert held["decisions"][0]["decision"] == "hold"
    # another session of the identity, dated ten days ahead
    ahead = served.post("x2", *_passes("in_app", claimed_identity="cust-1", at=_future(days=10)))
    assert ahead["errors"] and "'at'" in ahead["errors"][0]["error"]
    assert "clock" in ahead["errors"][0]["error"]
    later = served.post(
        "x3",
        *_passes("in_app", claimed_identity="cust-1"),
        {"type": "action_request", "action": "move_money"},
    )
    assert later["decisions"][0]["decision"] == "hold", later


def test_a_future_at_cannot_end_a_running_cooling_off(served: Served) -> None:
    changed = served.post(
        "c1",
        *_passes("in_app", claimed_identity="cust-2"),
        {"type": "action_request", "action": "change_phone"},
    )
    assert changed["decisions"][0]["decision"] == "allow"
    served.post("c2", *_passes("in_app", claimed_identity="cust-2", at=_future(hours=25)))
    after = served.post(
        "c3",
        *_passes("in_app", "my_sms", claimed_identity="cust-2"),
        {"type": "action_request", "action": "reset_password"},
    )
    assert after["decisions"][0]["rule"] == "hold-cooling-off", after


def test_a_future_at_cannot_expire_a_held_session(served: Served) -> None:
    attack = {"type": "message", "role": "customer", "text": CEO}
    held = served.post("h1", attack, {"type": "action_request", "action": "move_money"})
    assert held["decisions"][0]["decision"] == "hold"
    ahead = served.post(
        "h1", {"type": "signal", "name": "new_device", "value": False, "at": _future(hours=5)}
    )
    assert ahead["accepted"] == 0 and ahead["errors"]
    again = served.post(
        "h1", *_passes("in_app"), {"type": "action_request", "action": "move_money"}
    )
    assert again["decisions"][0]["decision"] == "hold", again


def test_an_at_within_the_skew_is_taken_and_beyond_it_holds_the_session(served: Served) -> None:
    near = served.post(
        "k1",
        *_passes("in_app", at=_future(minutes=4)),
        {"type": "action_request", "action": "move_money"},
    )
    assert near["errors"] == [] and near["decisions"][0]["decision"] == "allow"
    past = served.post("k2", *_passes("in_app", at="2020-01-01T00:00:00Z"))
    assert past["errors"] == []  # evidence of when the customer acted, not a clock
    far = served.post(
        "k3",
        {"type": "signal", "name": "new_device", "value": False, "at": _future(minutes=6)},
        *_passes("in_app"),
        {"type": "action_request", "action": "move_money"},
    )
    assert far["errors"][0]["index"] == 0
    assert far["decisions"][0]["decision"] == "hold"  # fail closed: T2+ held
    assert far["decisions"][0]["rule"] == "hold-unweighable-evidence"


@pytest.mark.parametrize("plain", [True, False])
def test_a_claimed_identity_spelled_like_a_session_key_writes_nothing_into_it(
    tmp_path: Path, db_url: str, plain: bool
) -> None:
    settings: dict[str, Any] = {"claimed_identities": "plain"} if plain else {}
    for served in _serve(tmp_path, db_url, **settings):
        served.post("victim", {"type": "message", "role": "customer", "text": "hello"})
        # the attacker's identity is spelled like the victim session's own memory
        changed = served.post(
            "attacker",
            *_passes("in_app", claimed_identity="session:victim"),
            {"type": "action_request", "action": "change_phone"},
        )
        assert changed["decisions"][0]["decision"] == "allow"
        mine = served.post(
            "victim",
            *_passes("in_app", "my_sms"),
            {"type": "action_request", "action": "reset_password"},
        )
        assert mine["decisions"][0]["decision"] == "allow", mine  # no cooling-off of theirs
