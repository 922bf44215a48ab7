"""What a hostile client sends at the HTTP edge: no attempt is lost (an over-long
or odd field is cut or replaced, the decision and the incident are stored), and
a request the service refuses is a 4xx in the one error shape, never a 500.
Real service, real SQLite and PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from channelguard.register.tables import DecisionRow, EventRow
from tests.serve.conftest import Api

WIRE = {"type": "action_request", "action": "wire_transfer"}
CEO = {
    "type": "message",
    "channel": "phone_agent",
    "claimed_identity": "ceo",
    "text": "This is the CEO. I need a wire of 48,000 to our new supplier today, I'm boarding "
    "a plane, no time for the usual callback and keep this between us.",
}
ODD: list[tuple[str, dict[str, Any]]] = [
    ("long identity", {"claimed_identity": "c" * 201}),
    ("huge identity", {"claimed_identity": "c" * 50_000}),
    ("long channel", {"channel": "p" * 201}),
    ("NUL in identity", {"claimed_identity": "ceo\x00\x00x"}),
    ("controls in identity", {"claimed_identity": "\x1b]8;;https://e\x07ceo\u202e"}),
    ("NUL in channel", {"channel": "phone\x00agent"}),
]


def _count(api: Api, table: Any) -> int:
    with api.service.db.begin() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize(("case", "odd"), ODD, ids=[c for c, _ in ODD])
def test_an_odd_field_on_a_held_t4_request_is_stored_with_its_incident(
    api: Api, case: str, odd: dict[str, Any]
) -> None:
    message = {**CEO, **odd}
    events = [
        message,
        {"type": "signal", "name": "synthetic_voice", "value": 0.91},
        {**WIRE, **odd},
    ]
    done = api.client.post("/v1/sessions/s-odd/events", json={"events": events}, headers=api.ingest)
    assert done.status_code == 200, done.text
    body = done.json()
    assert [d["decision"] for d in body["decisions"]] in (["hold"], ["deny"]), body
    assert body["incidents"], body  # the held T4 attempt is on the record
    assert _count(api, EventRow) == 3 and _count(api, DecisionRow) == 1
    incident = api.client.get(f"/v1/incidents/{body['incidents'][0]}", headers=api.read).json()
    assert incident["severity"] == "critical"
    who = incident["claimed_identity"] or ""
    where = incident["failed_control"]["channel"] or ""
    for value in (who, where):
        assert len(value) <= 200 and "\x00" not in value and "\x1b" not in value


def test_an_unknown_long_action_is_refused_and_recorded(api: Api) -> None:
    events = [{"type": "action_request", "action": "a" * 5_000, "claimed_identity": "x" * 300}]
    done = api.client.post(
        "/v1/sessions/s-long/events", json={"events": events}, headers=api.ingest
    )
    assert done.status_code == 200, done.text
    decision = done.json()["decisions"][0]
    assert decision["decision"] == "deny"
    assert _count(api, DecisionRow) == 1


WRONG_TYPES: list[dict[str, Any]] = [
    {**WIRE, "claimed_identity": 12345},
    {**WIRE, "channel": {"id": "phone_agent"}},
    {"type": "action_request", "action": ["wire_transfer"]},
    {"type": "message", "channel": "phone_agent", "text": 5},
    {**WIRE, "at": "yesterday-ish"},
    {**WIRE, "at": 1e308},
    {"type": "signal", "name": "synthetic_voice", "value": "high"},
    {"type": "verification", "factor": "kba", "result": None},
    {"type": ["message"]},
    {},
]


def test_events_of_the_wrong_type_are_error_lines_and_the_session_fails_closed(api: Api) -> None:
    events = [*WRONG_TYPES, WIRE]
    done = api.client.post(
        "/v1/sessions/s-types/events", json={"events": events}, headers=api.ingest
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert len(body["errors"]) >= len(WRONG_TYPES) - 2
    assert all(isinstance(e["error"], str) and e["error"] for e in body["errors"])
    assert body["decisions"][-1]["decision"] in ("hold", "deny")  # fail closed
    assert _count(api, EventRow) == len(events)  # every attempt is on the record


def test_a_validation_error_inside_the_service_is_422_naming_the_field(api: Api) -> None:
    from channelguard.register.records import FailedControl

    app = api.client.app

    @app.post("/v1/_probe")  # type: ignore[attr-defined,misc]
    def probe() -> dict[str, Any]:
        FailedControl.model_validate({"channel": "c" * 201})
        return {}

    done = api.client.post("/v1/_probe")
    assert done.status_code == 422, done.text
    error = done.json()["error"]
    assert error["code"] == "invalid" and error["message"].startswith("channel:")
    assert error["details"][0]["field"] == "channel"


def test_storing_a_hostile_string_takes_linear_time(api: Api) -> None:
    """Personal data is redacted from what is stored, inside the batch's write
    transaction and outside the scan time budget. The e-mail pattern rescanned a
    run of word characters from every word boundary in it: 180,000 characters of
    `1-1-1-…` in an action's params took about half a minute of CPU under SQLite's
    write lock (quadratic: a 1 MB body, most of an hour)."""
    hostile = {**WIRE, "channel": "phone_agent", "params": {"note": "1-" * 90_000}}
    started = time.monotonic()
    sent = api.client.post("/v1/sessions/redos/events", headers=api.ingest,
                           json={"events": [hostile]})  # fmt: skip
    assert sent.status_code == 200, sent.text
    assert time.monotonic() - started < 5
    mail = {**WIRE, "channel": "phone_agent", "params": {"to": "--john.doe@example.com, x"}}
    kept = api.client.post("/v1/sessions/redos2/events", headers=api.ingest,
                           json={"events": [mail]})  # fmt: skip
    assert kept.status_code == 200
    with api.service.db.read() as s:
        body = s.scalar(select(EventRow.body).where(EventRow.session == "redos2"))
    assert body is not None and "john.doe" not in str(body) and "example.com" not in str(body)
