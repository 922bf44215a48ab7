"""The events route takes at most `scan_max_request_chars` characters of message
text a batch, as /v1/scan does: one 961k-character message took 8.8 s to
inspect. More is 422 naming the event, before anything is inspected or
stored. And it inspects within `scan_time_budget_seconds`: messages the budget
did not reach count as uninspected (a threat: fail closed), never as clean.
Real service, real SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from channelguard.register.tables import EventRow
from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import EXAMPLES
from tests.serve.conftest import SECRET, bearer

CAP = 2_000


Served = tuple[TestClient, Service, dict[str, str]]


def _serve(db_url: str, **overrides: Any) -> Iterator[Served]:
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml",
        database_url=db_url,
        identity_secret=SECRET,
        max_request_bytes=2_000_000,
        **overrides,
    )
    service = Service(config).start()
    key = bearer(service.keys.create(["ingest"], "gateway")[1])
    with TestClient(create_app(service), raise_server_exceptions=False) as client:
        yield client, service, key
    service.stop()


@pytest.fixture
def served(db_url: str) -> Iterator[Served]:
    yield from _serve(db_url, scan_max_request_chars=CAP)


@pytest.fixture
def hurried(db_url: str) -> Iterator[Served]:
    """A time budget no batch of more than one chunk of messages fits in."""
    yield from _serve(db_url, scan_time_budget_seconds=1e-9)


def _message(chars: int) -> dict[str, Any]:
    return {"type": "message", "channel": "phone_agent", "text": "a" * chars}


def _events(served: Served, *events: Any) -> Any:
    client, _, key = served
    return client.post("/v1/sessions/s1/events", json={"events": list(events)}, headers=key)


def _stored(service: Service) -> int:
    with service.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(EventRow)) or 0)


def test_message_text_over_the_cap_is_422_naming_the_event(
    served: Served,
) -> None:
    one = _events(served, _message(961_000))
    assert one.status_code == 422, one.text
    assert one.json()["error"]["message"].startswith("events[0].text: ")
    assert "scan_max_request_chars" in one.json()["error"]["message"]
    split = _events(
        served, {"type": "signal", "name": "new_device", "value": False},
        _message(CAP // 2), _message(CAP // 2 + 1),
    )  # fmt: skip
    assert split.status_code == 422, split.text
    assert split.json()["error"]["message"].startswith("events[2].text: ")
    assert _stored(served[1]) == 0  # nothing inspected or stored


def test_message_text_up_to_the_cap_is_taken(
    served: Served,
) -> None:
    done = _events(served, _message(CAP // 2), _message(CAP // 2))
    assert done.status_code == 200, done.text
    assert done.json()["accepted"] == 2 and _stored(served[1]) == 2


def test_messages_past_the_time_budget_count_as_threats(hurried: Served) -> None:
    hello = {"type": "message", "channel": "phone_agent", "text": "Hi, a quick question."}
    wire = {"type": "action_request", "action": "wire_transfer"}
    calm = _events(hurried, hello, wire)  # one chunk: always inspected
    assert calm.status_code == 200, calm.text
    assert calm.json()["decisions"][0]["rule"] != "hold-threat-on-t2-plus"
    client, _, key = hurried
    many = client.post(
        "/v1/sessions/s2/events", json={"events": [hello] * 12 + [wire]}, headers=key
    )
    assert many.status_code == 200, many.text
    decided = many.json()["decisions"][0]
    assert (decided["decision"], decided["rule"]) == ("hold", "hold-threat-on-t2-plus")
    assert any("time budget" in r for r in decided["reasons"]), decided["reasons"]
