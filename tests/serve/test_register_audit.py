"""The register's side of service security over HTTP, on SQLite and PostgreSQL:
flood control configured and applied, the audit trail (who, old and new values,
the key whose events filed an incident) readable through the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from channelguard.errors import ConfigError
from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import EXAMPLES
from tests.serve.conftest import Api

ATTACK = json.loads((EXAMPLES / "service_events.json").read_text())["events"]


def _actor(api: Api, headers: dict[str, str]) -> str:
    key = api.service.keys.verify(headers["Authorization"].split(" ", 1)[1])
    assert key is not None
    return key.actor


@pytest.fixture
def capped(db_url: str) -> Iterator[Api]:
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml", database_url=db_url, filing_evidence_cap=2
    )
    service = Service(config).start()
    keys = {s: service.keys.create([s], f"test {s}")[1] for s in ("admin", "ingest", "read")}
    bearer = {s: {"Authorization": f"Bearer {k}"} for s, k in keys.items()}
    with TestClient(create_app(service), raise_server_exceptions=False) as client:
        yield Api(client, service, bearer["admin"], bearer["ingest"], bearer["read"])
    service.stop()


def test_one_campaign_over_many_sessions_is_one_capped_incident_naming_the_key(
    capped: Api,
) -> None:
    c = capped.client
    filed = [
        c.post(f"/v1/sessions/call-{n}/events", headers=capped.ingest, json={"events": ATTACK})
        for n in range(3)
    ]
    assert all(r.status_code == 200 for r in filed)
    assert {tuple(r.json()["incidents"]) for r in filed} == {(1,)}
    made = c.get("/v1/incidents/1", headers=capped.read).json()
    assert made["seen"] == 3 and made["evidence_omitted"] == 1 and len(made["evidence"]) == 2
    assert made["sessions"] == ["call-0", "call-1", "call-2"] and made["session_count"] == 3
    trail = c.get("/v1/incidents/1/timeline", headers=capped.read)
    assert trail.status_code == 200 and trail.json()["incident"] == 1
    opened = trail.json()["timeline"][0]
    assert opened["what"] == "opened automatically"
    assert opened["caused_by"] == _actor(capped, capped.ingest)
    assert opened["changes"]["severity"] == {"old": None, "new": "critical"}
    note = {"kind": "note", "body": {"text": "called the bank"}}
    posted = [
        c.post("/v1/incidents/1/evidence", headers=capped.ingest, json=note).status_code
        for _ in range(3)
    ]
    assert posted == [201, 201, 409]  # by hand past the cap: refused, never dropped


def test_every_change_names_its_key_and_the_old_and_new_values(api: Api) -> None:
    c = api.client
    made = c.post(
        "/v1/incidents",
        headers=api.admin,
        json={
            "title": "Deepfaked CFO ordered a wire",
            "domain": "security",
            "cause": "adversarial",
            "harm_type": "executive_payment_fraud",
            "severity": "high",
        },
    ).json()
    changed = c.patch(
        f"/v1/incidents/{made['id']}",
        headers=api.admin,
        json={"version": 1, "status": "triaged", "severity": "critical", "note": "wire confirmed"},
    )
    assert changed.status_code == 200
    c.post(f"/v1/incidents/{made['id']}/steps", headers=api.admin, json={"step": "recall_payment"})
    trail = c.get(f"/v1/incidents/{made['id']}/timeline", headers=api.read).json()["timeline"]
    assert [t["actor"] for t in trail] == [_actor(api, api.admin)] * 3
    change = trail[1]
    assert change["what"] == "changed severity, status: wire confirmed"
    assert change["changes"] == {
        "status": {"old": "open", "new": "triaged"},
        "severity": {"old": "high", "new": "critical"},
    }
    assert trail[2]["changes"]["steps.recall_payment"]["old"] is None
    assert c.get(f"/v1/incidents/{made['id']}", headers=api.read).json()["timeline"] == trail
    assert c.get("/v1/incidents/99/timeline", headers=api.read).status_code == 404


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CHANNELGUARD_FILING_EVIDENCE_CAP", "1"),
        ("CHANNELGUARD_FILING_WINDOW_SECONDS", "0"),
        ("CHANNELGUARD_FILING_MAX_INCIDENTS_PER_HOUR", "0"),
    ],
)
def test_flood_limits_come_from_the_environment_and_are_checked(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: Any
) -> None:
    monkeypatch.setenv(variable, value)
    name = variable.removeprefix("CHANNELGUARD_").lower()
    with pytest.raises(ConfigError, match=name):
        ServiceConfig.load(model=EXAMPLES / "bank.yaml")
    monkeypatch.setenv(variable, "7")
    assert getattr(ServiceConfig.load(model=EXAMPLES / "bank.yaml"), name) == 7
