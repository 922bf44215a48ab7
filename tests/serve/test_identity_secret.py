"""Claimed identities are stored as keyed hashes: the service needs a secret
(or `claimed_identities: plain`), and what it stores and shows is the hash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from channelguard.errors import ConfigError
from channelguard.register.tables import EventRow, IdentityRow, IncidentRow, SessionRow
from channelguard.serve import Service, ServiceConfig
from tests.conftest import EXAMPLES, run_cli
from tests.serve.conftest import Api

CEO = (
    "This is the CEO. I need a wire of 48,000 to our new supplier today, I'm boarding a "
    "plane, no time for the usual callback and keep this between us."
)
CLAIMED = "jane.doe@example.com"


def test_without_a_secret_the_service_does_not_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CHANNELGUARD_IDENTITY_SECRET")
    model = EXAMPLES / "bank.yaml"
    with pytest.raises(ConfigError, match="CHANNELGUARD_IDENTITY_SECRET"):
        ServiceConfig.load(model=model)
    with pytest.raises(ConfigError, match="at least 32"):
        Service(ServiceConfig.load(model=model, identity_secret="short")).start()
    loose = tmp_path / "secret"
    loose.write_text("z" * 40)
    loose.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        Service(ServiceConfig.load(model=model, identity_secret_file=loose)).start()
    assert ServiceConfig.load(model=model, claimed_identities="plain").secret() is None
    loose.chmod(0o600)
    assert ServiceConfig.load(model=model, identity_secret_file=loose).secret() == b"z" * 40


def test_claimed_identities_are_stored_as_keyed_hashes(api: Api, tmp_path: Path) -> None:
    events = [
        {
            "type": "message",
            "channel": "phone_agent",
            "role": "customer",
            "text": CEO,
            "claimed_identity": CLAIMED,
        },
        {"type": "action_request", "action": "wire_transfer", "claimed_identity": CLAIMED},
    ]
    out = api.client.post("/v1/sessions/h-1/events", headers=api.ingest, json={"events": events})
    assert out.status_code == 200 and CLAIMED not in out.text
    with api.service.db.begin() as s:
        stored = [
            *(r.state for r in s.scalars(select(SessionRow))),
            *(r.id for r in s.scalars(select(IdentityRow))),
            *(r.body for r in s.scalars(select(EventRow))),
            *(r.claimed_identity for r in s.scalars(select(IncidentRow))),
        ]
    dump = json.dumps(stored)
    assert CLAIMED not in dump and "jane" not in dump and "hmac:" in dump
    incident = api.client.get(f"/v1/incidents/{out.json()['incidents'][0]}", headers=api.read)
    assert incident.json()["claimed_identity"].startswith("hmac:")
    for fmt in ("json", "csv", "stix", "md"):
        exported = api.client.get(f"/v1/incidents/export?format={fmt}", headers=api.read)
        assert exported.status_code == 200 and CLAIMED not in exported.text
    shown = run_cli("incidents", "show", "1", "--database", api.service.config.database_url)
    assert shown.returncode == 0 and CLAIMED not in shown.stdout + shown.stderr
    # the same identity in another tenant has another hash: not linkable across tenants
    ours = api.service.ledger.identities.stored("default", CLAIMED)
    assert ours == incident.json()["claimed_identity"]
    assert api.service.ledger.identities.stored("bank-b", CLAIMED) != ours


def test_claiming_another_identitys_hash_neither_reaches_nor_wipes_its_memory(api: Api) -> None:
    def post(session: str, claimed: str, text: str) -> dict[str, Any]:
        events = [
            {
                "type": "message",
                "channel": "phone_agent",
                "role": "customer",
                "text": text,
                "claimed_identity": claimed,
            },
            {"type": "action_request", "action": "wire_transfer"},
        ]
        out = api.client.post(
            f"/v1/sessions/{session}/events", headers=api.ingest, json={"events": events}
        )
        assert out.status_code == 200, out.text
        decision: dict[str, Any] = out.json()["decisions"][0]
        return decision

    assert post("v-1", CLAIMED, CEO)["decision"] == "hold"
    shown = api.service.ledger.identities.stored("default", CLAIMED)  # as incidents show it
    assert post("z-1", shown, "Hi there")["decision"] == "step_up"  # not the victim's memory
    again = post("v-2", CLAIMED, "Hi there")
    assert again["decision"] == "hold", again  # what is remembered about the victim stays
