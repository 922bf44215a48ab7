"""Migration 0004 (tenants): a register left at 0003, with keys, sessions,
remembered identities and incidents, is served after it as one tenant,
"default", with nothing lost and what it remembered still counting."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from channelguard.register.db import MIGRATIONS
from channelguard.register.tables import EventRow, IdentityRow, IncidentRow, SessionRow
from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import EXAMPLES

SECRET = "migration-test-secret-" + "y" * 32
KEY = "cg_" + "m" * 43
NOW = time.time()


def _at_0003(url: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(url.replace("postgresql+psycopg", "postgresql+psycopg"))
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        conn.commit()
    held = {
        "evidence": [[0.95, "social_engineering (LLM01) in message 1", "old-1", NOW - 600, 1]],
        "changes": [],
        "last_at": NOW - 600,
    }
    rows: list[tuple[str, dict[str, Any]]] = [
        (
            "INSERT INTO api_keys (prefix, digest, scopes, label, created_at) "
            "VALUES (:p, :d, 'ingest,read', 'old', '2026-11-01 00:00:00')",
            {"p": KEY[:10], "d": hashlib.sha256(KEY.encode()).hexdigest()},
        ),
        (
            "INSERT INTO identities (id, state, updated_at) VALUES ('ceo', :s, :t)",
            {"s": json.dumps(held), "t": "2026-12-01 00:00:00"},
        ),
        (
            "INSERT INTO identities (id, state, updated_at) VALUES ('session:old-1', '{}', :t)",
            {"t": "2026-12-01 00:00:00"},
        ),
        (
            "INSERT INTO sessions (id, state, events, updated_at) VALUES ('old-1', :s, 1, :t)",
            {
                "s": json.dumps({"channel": "phone_agent", "identity": "ceo", "messages": 1}),
                "t": "2026-12-01 00:00:00",
            },
        ),
        (
            "INSERT INTO session_events (session, seq, at, body) VALUES ('old-1', 1, :t, '{}')",
            {"t": "2026-12-01 00:00:00"},
        ),
        (
            "INSERT INTO incidents (version, title, domain, domain_reason, cause, harm_type, "
            "severity, status, summary, owasp, atlas, failed_control, owners, lead, playbook, "
            "compromised, clocks, personal_data, money_moved, ai_act, session, "
            "claimed_identity, group_key, detected_at, created_at, updated_at, created_by) "
            "VALUES (1, 'old attack', 'security', '', 'adversarial', 'impersonation_attempt', "
            "'critical', 'open', '', '[]', '[]', '{}', '{}', 'security', "
            "'account_takeover', '[]', '{}', false, false, 'none', 'old-1', 'ceo', "
            "'ceo|social_engineering', :t, :t, :t, 'old')",
            {"t": "2026-12-01 00:00:00"},
        ),
    ]
    with engine.begin() as conn:
        for sql, values in rows:
            conn.execute(text(sql), values)
    engine.dispose()


def test_a_register_at_0003_is_served_as_the_default_tenant(db_url: str) -> None:
    _at_0003(db_url)
    config = ServiceConfig.load(
        model=EXAMPLES / "bank.yaml", database_url=db_url, identity_secret=SECRET
    )
    service = Service(config).start()  # migrates to head
    key = {"Authorization": f"Bearer {KEY}"}
    try:
        with TestClient(create_app(service), raise_server_exceptions=False) as client:
            found = client.get("/v1/incidents/1", headers=key)
            assert found.status_code == 200 and found.json()["tenant"] == "default"
            # the identity held before the migration is still remembered (now hashed)
            events = [
                {
                    "type": "message",
                    "channel": "phone_agent",
                    "role": "customer",
                    "text": "Hi there",
                    "claimed_identity": "ceo",
                },
                {"type": "action_request", "action": "wire_transfer"},
            ]
            out = client.post("/v1/sessions/new-1/events", headers=key, json={"events": events})
            assert out.status_code == 200, out.text
            assert out.json()["decisions"][0]["decision"] == "hold", out.json()
            # the old session goes on, in the default tenant
            more = client.post(
                "/v1/sessions/old-1/events",
                headers=key,
                json={"events": [{"type": "action_request", "action": "wire_transfer"}]},
            )
            assert more.status_code == 200, more.text
            assert more.json()["decisions"][0]["decision"] == "step_up"
        with service.db.begin() as s:
            ids = set(s.scalars(select(IdentityRow.id)))
            assert "default/session:old-1" in ids and "ceo" not in ids
            assert not any(i.endswith("identity:ceo") for i in ids)  # re-keyed on first use
            assert {r.tenant for r in s.scalars(select(SessionRow))} == {"default"}
            assert {r.tenant for r in s.scalars(select(EventRow))} == {"default"}
            old = s.get(IncidentRow, 1)
            assert old is not None and old.tenant == "default"
            assert old.group_key == "default|ceo|social_engineering"
            old_state = s.get(SessionRow, {"tenant": "default", "id": "old-1"})
            assert old_state is not None and old_state.state["identity"] != "ceo"
    finally:
        service.stop()
