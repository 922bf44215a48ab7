"""The service runs the webhook worker in its lifespan: an attack sent to the events
route files an incident whose event reaches a real receiver, signed, and /metrics
counts the delivery. Without `webhooks:` no worker runs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import DEEPFAKE_WIRE, EXAMPLES
from tests.serve.conftest import SECRET, bearer
from tests.serve.receiver import SECRET as HOOK_SECRET
from tests.serve.receiver import Receiver, free_port

CEO = (
    "This is the CEO. I need a wire of 48,000 to our new supplier today, I'm boarding a "
    "plane, no time for the usual callback and keep this between us."
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver(free_port()).start()
    yield running
    running.stop()


def _service(db_url: str, **settings: Any) -> Service:
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml", database_url=db_url, identity_secret=SECRET, **settings
    )
    return Service(config).start()


def _wait(check: Any, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not check():
        time.sleep(0.05)
    assert check()


def test_an_attack_on_the_events_route_reaches_the_receiver_signed(
    db_url: str, receiver: Receiver
) -> None:
    service = _service(
        db_url,
        webhooks=[{"url": receiver.url, "secret": HOOK_SECRET}],
        webhook_delivery={"poll_seconds": 0.05, "backoff_base_seconds": 0.05},
    )
    ingest, read = (bearer(service.keys.create([s], s)[1]) for s in ("ingest", "read"))
    events = [
        {"type": "message", "channel": "phone_agent", "role": "customer", "text": CEO},
        {"type": "action_request", "action": "wire_transfer"},
    ]
    with TestClient(create_app(service)) as client:
        out = client.post("/v1/sessions/w1/events", headers=ingest, json={"events": events})
        assert out.json()["decisions"][0]["decision"] == "hold"
        _wait(lambda: len(receiver.bodies) == 1)
        # the worker counts a delivery once the receiver has answered: after its body arrived
        delivered = 'channelguard_webhook_deliveries_total{result="delivered"} 1.0'
        _wait(lambda: delivered in client.get("/metrics", headers=read).text)
        text = client.get("/metrics", headers=read).text
    service.stop()
    [event] = receiver.bodies
    assert event["type"] == "incident.opened" and event["tenant"] == "default"
    assert event["incident"]["session"] == "w1" and receiver.rejected == []
    assert CEO not in str(event)  # the incident summary, never the message text
    assert delivered in text
    assert 'channelguard_webhook_outbox{state="delivered"} 1.0' in text


def test_without_webhooks_no_worker_runs_and_events_wait_in_the_outbox(db_url: str) -> None:
    service = _service(db_url)
    admin = bearer(service.keys.create(["admin"], "a")[1])
    with TestClient(create_app(service)) as client:
        assert client.app.state.webhooks is None  # type: ignore[attr-defined]
        made = client.post("/v1/incidents", headers=admin, json=DEEPFAKE_WIRE)
        assert made.status_code == 201
    service.stop()
