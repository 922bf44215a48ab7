"""The service as separate processes: what it acknowledged survives `kill -9`,
and two replicas on one PostgreSQL decide as one process."""

from __future__ import annotations

import http.client
import json
import signal
import threading
from typing import Any

import pytest
from sqlalchemy import select

from channelguard.decide.session import Decider
from channelguard.guard.guard import Guard
from channelguard.model.loader import load_file
from channelguard.register.db import Database
from channelguard.register.tables import EventRow, IncidentRow, SessionRow
from tests.conftest import EXAMPLES
from tests.serve.process import call, free_port, make_key, start, stop

pytestmark = [pytest.mark.service, pytest.mark.slow]


def test_what_was_acknowledged_survives_kill_9(db_url: str) -> None:
    key = make_key(db_url)
    port = free_port()
    server = start(db_url, port)
    acked_events: list[tuple[str, int]] = []
    acked_incidents: list[int] = []
    done = threading.Event()

    def client(n: int) -> None:
        i = 0
        while not done.is_set():
            i += 1
            try:
                if i % 4 == 0:
                    status, body = call(
                        port,
                        "POST",
                        "/v1/incidents",
                        key,
                        {
                            "title": f"t{n}.{i}",
                            "domain": "security",
                            "cause": "adversarial",
                            "harm_type": "account_takeover",
                            "severity": "high",
                        },
                    )
                    if status == 201:
                        acked_incidents.append(body["id"])
                else:
                    session = f"k{n}-{i % 7}"
                    status, body = call(
                        port,
                        "POST",
                        f"/v1/sessions/{session}/events",
                        key,
                        {
                            "events": [
                                {"type": "message", "channel": "ai_chat", "text": f"hello {i}"}
                            ]
                        },
                    )
                    if status == 200:
                        acked_events.append((session, body["accepted"]))
            except (OSError, http.client.HTTPException):
                # The server is gone: refused, reset, or killed between the
                # headers and the body (IncompleteRead). A cut-off answer is
                # not an acknowledgement, so nothing is recorded for it.
                return

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(3)]
    for t in threads:
        t.start()
    while len(acked_events) + len(acked_incidents) < 60:
        threading.Event().wait(0.05)
    stop(server, signal.SIGKILL)
    done.set()
    for t in threads:
        t.join(timeout=60)
    db = Database(db_url).open()
    with db.begin() as s:
        stored_incidents = set(s.scalars(select(IncidentRow.id)).all())
        counts: dict[str, int] = {}
        for session in s.scalars(select(EventRow.session)).all():
            counts[session] = counts.get(session, 0) + 1
    db.close()
    assert set(acked_incidents) <= stored_incidents
    wanted: dict[str, int] = {}
    for session, n in acked_events:
        wanted[session] = wanted.get(session, 0) + n
    for session, n in wanted.items():
        assert counts.get(session, 0) >= n, session
    assert len(acked_incidents) > 0 and len(acked_events) > 0


@pytest.mark.postgres
def test_two_replicas_on_one_postgresql_decide_as_one_process(pg_url: str) -> None:
    url = pg_url
    key = make_key(url, "ingest")
    ports = [free_port(), free_port()]
    servers = [start(url, p) for p in ports]
    try:
        lines = [
            json.loads(x) for x in (EXAMPLES / "events.jsonl").read_text().splitlines() if x.strip()
        ]
        alone = Decider(load_file(EXAMPLES / "bank.yaml"), Guard().load())
        expected = [d.to_dict() for e in lines if (d := alone.feed(dict(e))) is not None]
        got: list[dict[str, Any]] = []
        for i, event in enumerate(lines):  # alternate replicas event by event
            status, body = call(
                ports[i % 2],
                "POST",
                f"/v1/sessions/{event['session']}/events",
                key,
                {"events": [event]},
            )
            assert status == 200, body
            got += body["decisions"]
        assert got == expected

        errors: list[Any] = []

        def hammer(port: int) -> None:  # both replicas at once on one session: no lost event
            for _ in range(40):
                status, body = call(
                    port,
                    "POST",
                    "/v1/sessions/shared/events",
                    key,
                    {"events": [{"type": "verification", "factor": "otp_sms", "result": "fail"}]},
                )
                if status != 200:
                    errors.append(body)

        threads = [threading.Thread(target=hammer, args=(p,)) for p in ports]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        db = Database(url).open()
        with db.begin() as s:
            seqs = s.scalars(select(EventRow.seq).where(EventRow.session == "shared")).all()
            state = s.get(SessionRow, {"tenant": "default", "id": "shared"})
        db.close()
        assert sorted(seqs) == list(range(1, 81))
        assert state is not None and state.state["failures"]["otp_sms"] == 80
    finally:
        for server in servers:
            stop(server)


def test_exercise_replays_the_scenarios_against_a_live_service(tmp_path: Any) -> None:
    from tests.conftest import run_cli

    url = f"sqlite:///{tmp_path / 'ex.db'}"
    key = make_key(url, "ingest")
    bank = tmp_path / "bank_scenarios"  # the service decides on the bank model
    bank.mkdir()
    for scenario in sorted((EXAMPLES / "scenarios").glob("*.yaml")):
        if "model: ../bank.yaml" in scenario.read_text():
            (bank / scenario.name).write_text(scenario.read_text())
    port = free_port()
    server = start(url, port)
    try:
        endpoint = f"http://127.0.0.1:{port}/v1/sessions/{{session}}/events"
        done = run_cli(
            "exercise", str(bank), "--endpoint", endpoint, "--key", key, "--format", "json"
        )
        outcomes = json.loads(done.stdout)
        assert done.returncode == 0, [o["problems"] for o in outcomes]
        assert len(outcomes) == 8 and all(o["passed"] for o in outcomes)
        wrong_key = run_cli(
            "exercise", str(bank), "--endpoint", endpoint, "--key", "cg_wrong", "--format", "json"
        )
        assert wrong_key.returncode == 1
        assert "HTTP 401" in json.loads(wrong_key.stdout)[0]["problems"][0]
    finally:
        stop(server)
    gone = run_cli("exercise", str(bank), "--endpoint", endpoint, "--format", "json")
    assert gone.returncode == 1 and "could not be reached" in gone.stdout


def test_the_served_process_logs_each_request_and_believes_no_forwarded_address(
    db_url: str,
) -> None:
    """`channelguard serve` as run: one JSON access line per request on stderr, and an
    X-Forwarded-For header from a client that is not a named proxy is not believed
    (uvicorn alone trusts 127.0.0.1)."""
    from tests.serve.process import _stderr

    key = make_key(db_url, "read")
    port = free_port()
    server = start(db_url, port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "GET",
            "/v1/playbooks?q=secret",
            headers={"Authorization": f"Bearer {key}", "X-Forwarded-For": "203.0.113.7"},
        )
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200
        # the line is written before the response goes out
        text = _stderr(server)
    finally:
        stop(server)
    lines = [json.loads(x) for x in text.splitlines() if x.startswith("{")]
    mine = [x for x in lines if x["route"] == "/v1/playbooks"]
    assert len(mine) == 1, lines
    assert mine[0]["client"] == "127.0.0.1" and mine[0]["status"] == 200
    assert mine[0]["key"] is not None
    assert "secret" not in text and key not in text
