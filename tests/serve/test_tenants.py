"""Two integrators (tenants) on one service: neither can read, write or
influence the other's sessions, remembered identities or incidents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from channelguard.register.tables import DecisionRow, EventRow, IdentityRow, SessionRow
from channelguard.watch.traffic import read_traffic
from tests.conftest import DEEPFAKE_WIRE
from tests.serve.conftest import Api, bearer

CEO = (
    "This is the CEO. I need a wire of 48,000 to our new supplier today, I'm boarding a "
    "plane, no time for the usual callback and keep this between us."
)
WIRE = {"type": "action_request", "action": "wire_transfer"}
HELLO = {"type": "message", "channel": "phone_agent", "role": "customer", "text": "Hi there"}


def _post(api: Api, session: str, events: list[dict[str, Any]], key: dict[str, str]) -> Any:
    return api.client.post(f"/v1/sessions/{session}/events", headers=key, json={"events": events})


def _key(api: Api, scopes: list[str], tenant: str | None) -> dict[str, str]:
    return bearer(api.service.keys.create(scopes, f"{tenant} {scopes}", tenant=tenant)[1])


def test_another_tenants_key_cannot_approve_in_a_session(api: Api) -> None:
    """The same session id in another tenant is another session: its verifications
    never reach this one, and no refusal tells it the id is taken."""
    asked = _post(api, "a-call", [HELLO, WIRE], api.ingest).json()
    required = asked["decisions"][0]["required"]
    assert asked["decisions"][0]["decision"] == "step_up" and required
    intruder = _key(api, ["ingest"], "bank-b")
    passes = [{"type": "verification", "factor": f, "result": "pass"} for f in required]
    theirs = _post(api, "a-call", passes, intruder)
    assert theirs.status_code == 200, theirs.text  # taken for bank-b's own a-call
    assert theirs.json()["accepted"] == len(passes) and not theirs.json()["errors"]
    again = _post(api, "a-call", [WIRE], api.ingest).json()
    assert again["decisions"][0]["decision"] == "step_up"
    assert again["decisions"][0]["required"] == required
    with api.service.db.begin() as s:
        row = s.get(SessionRow, {"tenant": "default", "id": "a-call"})
        assert row is not None and row.events == 3 and not row.state["verified"]
        other = s.get(SessionRow, {"tenant": "bank-b", "id": "a-call"})
        assert other is not None and other.events == len(passes)


def _stored(s: Session, table: type[EventRow] | type[DecisionRow], tenant: str) -> list[Any]:
    """A tenant's stored rows of session call-7, in order."""
    mine = (table.session == "call-7", table.tenant == tenant)
    return list(s.scalars(select(table).where(*mine).order_by(table.seq)))


def test_two_tenants_one_session_id_decide_apart(api: Api) -> None:
    """A's session holds the step-up evidence, B's of the same id does not: each
    is decided, numbered and stored as its own, and drift reads each in its tenant."""
    b_ingest = _key(api, ["ingest"], "bank-b")
    asked = _post(api, "call-7", [HELLO, WIRE], api.ingest).json()
    required = asked["decisions"][0]["required"]
    passes = [{"type": "verification", "factor": f, "result": "pass"} for f in required]
    assert _post(api, "call-7", passes, api.ingest).status_code == 200
    verified = _post(api, "call-7", [WIRE], api.ingest).json()["decisions"][0]
    assert verified["decision"] == "allow", verified
    b_asked = _post(api, "call-7", [{**HELLO, "channel": "ai_chat"}, WIRE], b_ingest).json()
    b_decision = b_asked["decisions"][0]
    assert b_decision["decision"] == "step_up" and b_decision["required"], b_decision
    a_events = 2 + len(passes) + 1
    with api.service.db.begin() as s:
        events = {t: [e.seq for e in _stored(s, EventRow, t)] for t in ("default", "bank-b")}
        decided = {t: [d.decision for d in _stored(s, DecisionRow, t)] for t in events}
        ids = set(s.scalars(select(IdentityRow.id)))
    assert events == {"default": list(range(1, a_events + 1)), "bank-b": [1, 2]}
    assert decided == {"default": ["step_up", "allow"], "bank-b": ["step_up"]}
    assert {"default/session:call-7", "bank-b/session:call-7"} <= ids
    now = datetime.now(UTC)
    since = now - timedelta(hours=1)
    traffic = read_traffic(api.service.db, since=since, until=now)
    assert [(d.tenant, d.channel, d.outcome) for d in traffic.decisions] == [
        ("default", "phone_agent", "step_up"),
        ("default", "phone_agent", "allow"),
        ("bank-b", "ai_chat", "step_up"),
    ]  # one row each: a decision reads its own tenant's session, never both
    b_only = read_traffic(api.service.db, since=since, until=now, tenant="bank-b")
    assert [(d.channel, d.outcome) for d in b_only.decisions] == [("ai_chat", "step_up")]


def test_a_tenants_history_never_shows_in_anothers_decisions(api: Api) -> None:
    other = _key(api, ["ingest"], "bank-b")
    attack = [{**HELLO, "text": CEO, "claimed_identity": "ceo"}, WIRE]
    held = _post(api, "b-1", attack, other).json()
    assert held["decisions"][0]["decision"] == "hold" and held["incidents"]
    mine = _post(api, "a-1", [{**HELLO, "claimed_identity": "ceo"}, WIRE], api.ingest).json()
    decision = mine["decisions"][0]
    assert decision["decision"] == "step_up", decision
    assert not any("earlier session" in r for r in decision["reasons"])
    # the same identity in bank-b's next session is remembered there
    again = _post(api, "b-2", [{**HELLO, "claimed_identity": "ceo"}, WIRE], other).json()
    assert any("earlier session" in r for r in again["decisions"][0]["reasons"])


def test_incidents_are_read_and_changed_only_within_their_tenant(api: Api) -> None:
    b_ingest, b_read = _key(api, ["ingest"], "bank-b"), _key(api, ["read"], "bank-b")
    b_admin, overall = _key(api, ["admin"], "bank-b"), _key(api, ["admin"], None)
    filed = _post(api, "b-9", [{**HELLO, "text": CEO}, WIRE], b_ingest).json()["incidents"][0]
    mine = _post(api, "a-9", [{**HELLO, "text": CEO}, WIRE], api.ingest).json()["incidents"][0]
    c = api.client
    assert c.get(f"/v1/incidents/{filed}", headers=api.read).status_code == 404
    assert c.get(f"/v1/incidents/{filed}", headers=b_read).json()["tenant"] == "bank-b"
    assert [i["id"] for i in c.get("/v1/incidents", headers=api.read).json()["items"]] == [mine]
    assert [i["id"] for i in c.get("/v1/incidents", headers=b_read).json()["items"]] == [filed]
    exported = c.get("/v1/incidents/export", headers=b_read).json()["incidents"]
    assert [i["id"] for i in exported] == [filed]
    assert {i["id"] for i in c.get("/v1/incidents", headers=overall).json()["items"]} == {
        filed,
        mine,
    }
    patch = {"version": 1, "status": "triaged"}
    assert c.patch(f"/v1/incidents/{mine}", headers=b_admin, json=patch).status_code == 404
    note = {"kind": "note", "body": {"text": "seen"}}
    assert c.post(f"/v1/incidents/{mine}/evidence", headers=b_ingest, json=note).status_code == 404
    link = {"to": mine, "type": "same_actor"}
    assert c.post(f"/v1/incidents/{filed}/links", headers=b_admin, json=link).status_code == 404
    assert c.get(f"/v1/incidents/{mine}", headers=api.read).json()["version"] == 1
    assert c.patch(f"/v1/incidents/{mine}", headers=overall, json=patch).status_code == 200
    # a tenant's admin key opens incidents in its tenant; a global one in "default"
    theirs = c.post("/v1/incidents", headers=b_admin, json=DEEPFAKE_WIRE).json()
    assert theirs["tenant"] == "bank-b"
    assert c.get(f"/v1/incidents/{theirs['id']}", headers=api.read).status_code == 404
    assert c.post("/v1/incidents", headers=overall, json=DEEPFAKE_WIRE).json()["tenant"] == (
        "default"
    )


def test_a_global_key_cannot_post_events_and_only_admin_keys_may_be_global(api: Api) -> None:
    overall = _key(api, ["admin"], None)
    refused = _post(api, "g-1", [HELLO], overall)
    assert refused.status_code == 403 and "tenant" in refused.json()["error"]["message"]
    import pytest

    from channelguard.errors import InputError

    with pytest.raises(InputError, match="tenant"):
        api.service.keys.create(["ingest"], "x", tenant=None)
    with pytest.raises(InputError, match="tenant"):
        api.service.keys.create(["ingest"], "x", tenant="Bank B!")
    with pytest.raises(InputError, match="tenant"):  # '/' would reach into another's keys
        api.service.ledger.record("t-1", [HELLO], tenant="default/identity:x")


def test_a_claimed_identity_spelled_like_a_session_key_stays_an_identity(api: Api) -> None:
    # the session's own memory and a claimed identity live in separate namespaces
    _post(api, "victim", [HELLO], api.ingest)
    spelled = {**HELLO, "text": CEO, "claimed_identity": "session:victim"}
    _post(api, "attacker", [spelled, WIRE], api.ingest)
    with api.service.db.begin() as s:
        ids = set(s.scalars(__import__("sqlalchemy").select(IdentityRow.id)))
    victim = [i for i in ids if i.endswith("session:victim")]
    assert victim == ["default/session:victim"]
    with api.service.db.begin() as s:
        row = s.get(IdentityRow, "default/session:victim")
        assert row is not None and not row.state.get("evidence")


def test_body_checks_and_tenant_and_scope_rules_hold_together(api: Api) -> None:
    """The body checks (413, 422) run before any route, whoever sends the body; a
    body that passes them meets the tenant's 404 and the scope's 403 as before."""
    made = api.client.post("/v1/incidents", headers=api.admin, json=DEEPFAKE_WIRE).json()
    path = f"/v1/incidents/{made['id']}/evidence"
    note = {"kind": "note", "body": {"text": "rang again"}}
    intruder = _key(api, ["ingest"], "bank-b")
    json_type = {"content-type": "application/json"}
    deep = b'{"kind": "note", "body": ' + b"[" * 65 + b"]" * 65 + b"}"
    twice = b'{"kind": "note", "kind": "note", "body": {}}'
    big = b'{"kind": "note", "body": {"text": "' + b"a" * 1_100_000 + b'"}}'
    for key in (intruder, api.ingest):
        for body, status in ((deep, 422), (twice, 422), (big, 413)):
            r = api.client.post(path, headers={**key, **json_type}, content=body)
            assert r.status_code == status, r.text
            assert r.json()["error"]["status"] == status
    refused = api.client.post(path, headers=intruder, json=note)
    assert refused.status_code == 404 and "bank-b" not in refused.text
    assert api.client.post(path, headers=api.read, json=note).status_code == 403
    kept = api.client.post(path, headers=api.ingest, json=note)
    assert kept.status_code == 201 and kept.json()["version"] == made["version"] + 1
    assert api.client.get(f"/v1/incidents/{made['id']}", headers=api.read).json()["evidence"]
