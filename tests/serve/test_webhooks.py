"""Webhooks from the durable outbox, on SQLite and PostgreSQL, to a real receiver on
127.0.0.1 that verifies every signature: a receiver down for a while then up still
gets every incident event exactly once by id; a rolled-back change sends nothing;
two workers on one database never send one event twice; overdue clocks are
announced once; redirects are not followed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from channelguard.errors import ConflictError
from channelguard.register import outbox
from channelguard.register.db import Database
from channelguard.register.grouping import GroupKey
from channelguard.register.records import EvidenceIn, IncidentIn, IncidentPatch
from channelguard.register.store import IncidentStore
from channelguard.register.tables import IncidentRow, WebhookEventRow
from channelguard.serve.webhooks.config import WebhookDelivery, WebhookEndpoint
from channelguard.serve.webhooks.worker import WebhookWorker
from tests.conftest import DEEPFAKE_WIRE
from tests.serve.receiver import SECRET, Receiver, free_port

FAST = WebhookDelivery(
    poll_seconds=0.05,
    timeout_seconds=2,
    backoff_base_seconds=0.05,
    backoff_cap_seconds=0.2,
    max_attempts=1000,
)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url).open()
    yield database
    database.close()


def _endpoint(url: str, **extra: Any) -> WebhookEndpoint:
    return WebhookEndpoint(url=url, secret=SECRET, **extra)


def _events(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(WebhookEventRow.event_id).order_by(WebhookEventRow.id)))


def _some_changes(store: IncidentStore) -> None:
    """Each kind of incident change: opened by hand, changed, evidence, automatic filing
    (opened, then seen again)."""
    made = store.create(IncidentIn.model_validate(DEEPFAKE_WIRE), "alice")
    store.update(made["id"], IncidentPatch(version=1, status="triaged"), "alice")
    store.add_evidence(made["id"], EvidenceIn(kind="note", body={"text": "rang again"}), "bob")
    auto = IncidentIn.model_validate({**DEEPFAKE_WIRE, "title": "filed automatically"})
    for _ in range(2):
        store.open_or_update(
            auto, "auto", group=GroupKey(tenant="acme", technique="voice_clone"), evidence=[]
        )


def _until(check: Any, worker: WebhookWorker, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        worker.run_once()
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("the deliveries did not settle in time")


def test_every_change_enqueues_its_event_in_the_same_transaction(db: Database) -> None:
    _some_changes(IncidentStore(db))
    with db.read() as s:
        types = list(s.scalars(select(WebhookEventRow.type).order_by(WebhookEventRow.id)))
        tenants = set(s.scalars(select(WebhookEventRow.tenant)))
    assert types == ["incident.opened", "incident.updated", "incident.updated",
                     "incident.opened", "incident.updated"]  # fmt: skip
    assert tenants == {"default", "acme"}


def test_a_rolled_back_change_enqueues_nothing(db: Database) -> None:
    store = IncidentStore(db)
    data = IncidentIn.model_validate(DEEPFAKE_WIRE)
    with pytest.raises(RuntimeError), db.begin() as s:
        store.open_or_update(
            data, "auto", group=GroupKey(tenant="t", technique="x"), evidence=[], session=s
        )
        raise RuntimeError("the caller's transaction fails after the filing")
    made = store.create(data, "alice")
    with pytest.raises(ConflictError):  # a stale version: the change is refused whole
        store.update(made["id"], IncidentPatch(version=7, status="closed"), "alice")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(IncidentRow)) == 1
        assert list(s.scalars(select(WebhookEventRow.type))) == ["incident.opened"]


def test_a_receiver_down_then_up_gets_every_event_exactly_once(db: Database) -> None:
    port = free_port()
    receiver = Receiver(port)
    worker = WebhookWorker(db, (_endpoint(receiver.url),), FAST, seed=1)
    _some_changes(IncidentStore(db))
    down_until = time.monotonic() + 1.0
    failed = 0
    while time.monotonic() < down_until:  # nothing listens: connection refused
        failed += worker.run_once().failed
        time.sleep(0.05)
    assert failed >= 3, "the worker retried while the receiver was down"
    assert outbox.counts(db) == {"pending": 5}
    receiver.start()
    try:
        _until(lambda: outbox.counts(db) == {"delivered": 5}, worker)
        for _ in range(5):  # later rounds send nothing again
            worker.run_once()
    finally:
        receiver.stop()
    sent = _events(db)
    assert len(sent) == 5 and receiver.rejected == []
    assert dict(receiver.ids) == dict.fromkeys(sent, 1)
    first = next(b for b in receiver.bodies if b["id"] == sent[0])
    assert first["type"] == "incident.opened" and first["tenant"] == "default"
    assert first["incident"]["title"] == DEEPFAKE_WIRE["title"]
    assert datetime.fromisoformat(first["occurred_at"]).tzinfo is not None


def test_two_workers_on_one_database_never_send_an_event_twice(db_url: str) -> None:
    one, two = Database(db_url).open(), Database(db_url).open()
    receiver = Receiver(free_port()).start()
    try:
        store = IncidentStore(one)
        for n in range(12):
            store.create(IncidentIn.model_validate({**DEEPFAKE_WIRE, "title": f"n{n}"}), "a")
        workers = [WebhookWorker(d, (_endpoint(receiver.url),), FAST) for d in (one, two)]
        rounds: list[int] = []

        def run(worker: WebhookWorker) -> None:
            for _ in range(20):
                rounds.append(worker.run_once().delivered)

        threads = [threading.Thread(target=run, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert outbox.counts(one) == {"delivered": 12}
        assert sorted(receiver.ids) == sorted(_events(one))
        assert set(receiver.ids.values()) == {1}
        assert sum(rounds) == 12
    finally:
        receiver.stop()
        one.close()
        two.close()


def test_a_failing_receiver_is_retried_with_backoff_then_the_delivery_is_dead(
    db: Database,
) -> None:
    receiver = Receiver(free_port(), status=500).start()
    settings = FAST.model_copy(update={"max_attempts": 3})
    worker = WebhookWorker(db, (_endpoint(receiver.url),), settings, seed=2)
    IncidentStore(db).create(IncidentIn.model_validate(DEEPFAKE_WIRE), "alice")
    try:
        _until(lambda: outbox.counts(db) == {"dead": 1}, worker)
    finally:
        receiver.stop()
    [dead] = outbox.deliveries(db, state="dead")
    assert dead["attempts"] == 3 and dead["last_status"] == 500
    assert len(receiver.headers) == 3 and not receiver.ids
    stamps = {h["X-Channelguard-Event-Id"] for h in receiver.headers}
    assert stamps == {dead["event_id"]}  # one id across the retries
    assert outbox.retry_dead(db, now=datetime.now(UTC)) == 1
    assert outbox.counts(db) == {"pending": 1}


def test_backoff_doubles_up_to_the_cap_with_jitter(db: Database) -> None:
    settings = WebhookDelivery(backoff_base_seconds=1, backoff_cap_seconds=30)
    worker = WebhookWorker(db, (), settings, seed=3)
    for attempt, ceiling in [(1, 1), (2, 2), (3, 4), (5, 16), (6, 30), (40, 30)]:
        waits = {worker.backoff(attempt) for _ in range(20)}
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(waits) > 1  # jittered


def test_a_redirect_is_not_followed_and_counts_as_a_failure(db: Database) -> None:
    receiver = Receiver(free_port(), status=302).start()
    worker = WebhookWorker(db, (_endpoint(receiver.url),), FAST)
    IncidentStore(db).create(IncidentIn.model_validate(DEEPFAKE_WIRE), "alice")
    try:
        done = worker.run_once()
    finally:
        receiver.stop()
    assert done.failed == 1 and done.delivered == 0
    assert len(receiver.headers) == 1  # the Location was not visited
    [pending] = outbox.deliveries(db, state="pending")
    assert pending["last_status"] == 302 and "redirect" in pending["last_error"]


def test_an_endpoint_gets_only_its_events_and_its_tenant(db: Database) -> None:
    receiver = Receiver(free_port()).start()
    endpoint = _endpoint(receiver.url, events=("incident.opened",), tenant="acme")
    worker = WebhookWorker(db, (endpoint,), FAST)
    _some_changes(IncidentStore(db))
    try:
        worker.run_once()
    finally:
        receiver.stop()
    assert [(b["type"], b["tenant"]) for b in receiver.bodies] == [("incident.opened", "acme")]


def test_an_overdue_clock_is_announced_once(db: Database) -> None:
    receiver = Receiver(free_port()).start()
    store = IncidentStore(db)
    old = datetime.now(UTC) - timedelta(hours=80)  # the 72-hour wire recall is overdue
    late = store.create(IncidentIn.model_validate({**DEEPFAKE_WIRE, "detected_at": old}), "a")
    fresh = store.create(IncidentIn.model_validate(DEEPFAKE_WIRE), "a")
    endpoint = _endpoint(receiver.url, events=("incident.clock_overdue",))
    workers = [WebhookWorker(db, (endpoint,), FAST) for _ in range(2)]
    try:
        for w in workers * 3:  # two workers (or a restart) check the clocks again
            w.run_once()
    finally:
        receiver.stop()
    [event] = receiver.bodies
    assert event["type"] == "incident.clock_overdue"
    assert event["incident"]["id"] == late["id"] != fresh["id"]
    assert event["clock"]["kind"] == "wire_recall"


def test_drift_files_a_drift_alert_beside_the_incident_event(db: Database) -> None:
    drift = IncidentIn.model_validate(
        {**DEEPFAKE_WIRE, "harm_type": "model_drift", "domain": "safety", "cause": "accidental"}
    )
    IncidentStore(db).open_or_update(
        drift, "channelguard (drift)", group=GroupKey(tenant="t", technique="drift:x"),
        evidence=[],
    )  # fmt: skip
    with db.read() as s:
        rows = s.scalars(select(WebhookEventRow).order_by(WebhookEventRow.id)).all()
        assert [r.type for r in rows] == ["incident.opened", "drift.alert"]
        assert rows[1].body["opened"] is True


def test_retention_purges_settled_events_and_keeps_those_still_owed(db: Database) -> None:
    from channelguard.runtime.retention import purge

    store = IncidentStore(db)
    for n in range(3):
        store.create(IncidentIn.model_validate({**DEEPFAKE_WIRE, "title": f"n{n}"}), "a")
    now = datetime.now(UTC)
    outbox.fan_out(db, {"ops": frozenset(outbox.EVENT_TYPES)}, now=now)
    first, second, _ = outbox.claim(db, ["ops"], now=now, lease_seconds=30)
    outbox.settle(db, first, outbox.Outcome(delivered=True, status=204), now=now)
    outbox.settle(db, second, outbox.Outcome(delivered=False, error="x"), now=now)  # dead
    later = now + timedelta(days=3)
    counted = purge(db, 2, dry_run=True, now=later)
    assert counted["webhook_events"] == {"purged": 2, "kept_undelivered": 1}
    assert len(_events(db)) == 3
    purge(db, 2, now=later)
    assert outbox.counts(db) == {"pending": 1} and len(_events(db)) == 1


def test_a_slack_endpoint_gets_an_escaped_slack_message(db: Database) -> None:
    receiver = Receiver(free_port()).start()
    worker = WebhookWorker(db, (_endpoint(receiver.url, format="slack"),), FAST)
    title = "<!channel> call <https://evil.example|support>"
    IncidentStore(db).create(IncidentIn.model_validate({**DEEPFAKE_WIRE, "title": title}), "a")
    try:
        assert worker.run_once().delivered == 1
    finally:
        receiver.stop()
    [message] = receiver.bodies
    assert set(message) == {"text", "blocks"} and receiver.rejected == []
    assert "&lt;!channel&gt;" in message["text"] and "<!channel>" not in str(message)
