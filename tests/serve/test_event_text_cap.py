"""The events route takes at most `scan_max_request_chars` characters of message
text a batch, as /v1/scan does: one 961k-character message took 8.8 s to
inspect. More is 422 naming the event, before anything is inspected or
stored. Real service, real SQLite and PostgreSQL."""

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


@pytest.fixture
def served(db_url: str) -> Iterator[tuple[TestClient, Service, dict[str, str]]]:
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml",
        database_url=db_url,
        identity_secret=SECRET,
        max_request_bytes=2_000_000,
        scan_max_request_chars=CAP,
    )
    service = Service(config).start()
    key = bearer(service.keys.create(["ingest"], "gateway")[1])
    with TestClient(create_app(service), raise_server_exceptions=False) as client:
        yield client, service, key
    service.stop()


def _message(chars: int) -> dict[str, Any]:
    return {"type": "message", "channel": "phone_agent", "text": "a" * chars}


def _events(served: tuple[TestClient, Service, dict[str, str]], *events: Any) -> Any:
    client, _, key = served
    return client.post("/v1/sessions/s1/events", json={"events": list(events)}, headers=key)


def _stored(service: Service) -> int:
    with service.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(EventRow)) or 0)


def test_message_text_over_the_cap_is_422_naming_the_event(
    served: tuple[TestClient, Service, dict[str, str]],
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
    served: tuple[TestClient, Service, dict[str, str]],
) -> None:
    done = _events(served, _message(CAP // 2), _message(CAP // 2))
    assert done.status_code == 200, done.text
    assert done.json()["accepted"] == 2 and _stored(served[1]) == 2
