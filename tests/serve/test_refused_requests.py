"""Every action request gets exactly one decision (docs/spec/io-formats.md), even
one the service refuses: a gateway that reads only `decisions` must see a
hold or deny, never nothing. The error entry is kept. Real service, real
SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from channelguard.register.tables import DecisionRow
from tests.serve.conftest import Api

WIRE = {"type": "action_request", "channel": "mobile_app", "action": "wire_transfer"}
REFUSED: list[tuple[dict[str, Any], str, str, str]] = [
    ({**WIRE, "at": "not-a-date"}, "'at'", "hold", "hold-unreadable-request"),
    ({**WIRE, "at": "2099-01-01T00:00:00Z"}, "'at'", "hold", "hold-unreadable-request"),
    ({**WIRE, "action": 123}, "'action'", "deny", "deny-unknown-action"),
    ({**WIRE, "params": "amount=5"}, "'params'", "hold", "hold-unreadable-request"),
    ({**WIRE, "action": ""}, "'action'", "deny", "deny-unknown-action"),
    # another session named in this one's stream: decided here, never there
    ({**WIRE, "session": "s-other"}, "'session'", "hold", "hold-unreadable-request"),
]


def test_a_refused_action_request_gets_a_fail_closed_decision_and_its_error(api: Api) -> None:
    hello = {"type": "message", "channel": "mobile_app", "text": "Hi, a transfer please."}
    events = [hello, *[e for e, *_ in REFUSED], {**WIRE, "action": "balance_inquiry"}]
    done = api.client.post("/v1/sessions/s-bad/events", json={"events": events}, headers=api.ingest)
    assert done.status_code == 200, done.text
    body = done.json()
    assert [e["index"] for e in body["errors"]] == [1, 2, 3, 4, 5, 6]  # kept as before
    decisions = body["decisions"]
    assert len(decisions) == len(REFUSED) + 1  # one per action request, in their order
    for (_, field, kind, rule), error, decided in zip(
        REFUSED, body["errors"], decisions, strict=False
    ):
        assert field in error["error"]
        assert (decided["decision"], decided["rule"]) == (kind, rule), decided
        assert field in decided["reasons"][0] and decided["session"] == "s-bad"
    assert decisions[2]["action"] == "123"
    assert decisions[-1]["action"] == "balance_inquiry"
    with api.service.db.read() as s:
        assert s.scalar(select(func.count()).select_from(DecisionRow)) == len(decisions)
