"""What is remembered about a claimed identity is bounded in size, and the bound
never launders it: a caller who floods an identity's memory with harmless
evidence, or with allowed changes, keeps the attack and the cooling-off it
already left there (fail closed)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from channelguard.decide.signals import KNOWN_SIGNALS
from channelguard.decide.state import MAX_SESSION_EVIDENCE
from channelguard.register.tables import SessionRow
from channelguard.serve import Service, ServiceConfig, create_app
from tests.conftest import action, base_model, factor, path
from tests.serve.conftest import SECRET, Api, bearer
from tests.serve.test_clock import CEO, Served, _passes


def _model(tmp_path: Path) -> Path:
    data = base_model(
        factors={
            "my_sms": factor(5, 0.1, obtainable_via=["change_phone"]),
            "my_mail": factor(5, 0.1, obtainable_via=["change_email"]),
            "in_app": factor(500, 0.01, phishing_resistant=True),
        },
        channels=[{"id": "phone", "kind": "voice", "hours": "24/7", "staffed_by": "human"}],
        actions=[
            action(
                "change_phone",
                [path("agent", ["in_app"])],
                tier="T3",
                impact=20000,
                cooling_off_hours=24,
            ),
            action(
                "change_email",
                [path("agent", ["in_app"])],
                tier="T3",
                impact=20000,
                cooling_off_hours=24,
            ),
            action("reset_password", [path("sms", ["my_sms", "in_app"])], tier="T3", impact=20000),
            action("move_money", [path("app", ["in_app"])], tier="T2", impact=1000),
        ],
    )
    file = tmp_path / "model.yaml"
    file.write_text(yaml.safe_dump(data))
    return file


@pytest.fixture
def served(tmp_path: Path, db_url: str) -> Iterator[Served]:
    config = ServiceConfig.load(model=_model(tmp_path), database_url=db_url, identity_secret=SECRET)
    service = Service(config).start()
    key = bearer(service.keys.create(["ingest"], "flood test")[1])
    with TestClient(create_app(service), raise_server_exceptions=False) as client:
        yield Served(client, key)
    service.stop()


def _faint_flood(identity: str) -> list[dict[str, Any]]:
    """Over 200 pieces of evidence of next to no weight: a turn of small talk, then
    every known signal at a score of one in a billion, twelve times."""
    events: list[dict[str, Any]] = []
    for _ in range(12):
        events.append({"type": "message", "role": "customer", "text": "ok thanks",
                       "claimed_identity": identity})  # fmt: skip
        events += [{"type": "signal", "name": n, "value": 1e-9} for n in KNOWN_SIGNALS]
    return events


def test_faint_evidence_cannot_push_a_remembered_attack_out_of_memory(served: Served) -> None:
    attack = {"type": "message", "role": "customer", "text": CEO, "claimed_identity": "cust-f"}
    held = served.post("f1", attack, {"type": "action_request", "action": "move_money"})
    assert held["decisions"][0]["decision"] == "hold"
    flood = served.post("f2", *_faint_flood("cust-f"))
    assert flood["errors"] == [] and flood["accepted"] > 200
    later = served.post(
        "f3",
        *_passes("in_app", claimed_identity="cust-f"),
        {"type": "action_request", "action": "move_money"},
    )
    assert later["decisions"][0]["rule"] == "hold-threat-on-t2-plus", later


def test_many_allowed_changes_cannot_push_a_running_cooling_off_out(served: Served) -> None:
    changed = served.post(
        "g1",
        *_passes("in_app", claimed_identity="cust-g"),
        {"type": "action_request", "action": "change_phone"},
    )
    assert changed["decisions"][0]["decision"] == "allow"
    again = served.post(
        "g2",
        *_passes("in_app", claimed_identity="cust-g"),
        *[{"type": "action_request", "action": "change_email"}] * 60,
    )
    assert {d["decision"] for d in again["decisions"]} == {"allow"}
    after = served.post(
        "g3",
        *_passes("in_app", "my_sms", claimed_identity="cust-g"),
        {"type": "action_request", "action": "reset_password"},
    )
    assert after["decisions"][0]["rule"] == "hold-cooling-off", after


WIRE = {"type": "action_request", "action": "wire_transfer"}


def test_a_flood_of_evidence_keeps_a_session_bounded_and_holds_it(api: Api) -> None:
    """Each batch used to store (and rewrite per event) every piece of evidence the
    session ever sent: 15 batches of 1,000 faint signals made the next one take
    over 30 s under SQLite's write lock, for every tenant. Past the bound the
    session keeps what it has and holds its T2+ actions."""
    first = {"type": "message", "channel": "phone_agent", "role": "customer", "text": "hi"}
    faint = [{"type": "signal", "name": "new_device", "value": 1e-9}] * 1000
    for events in ([first, *faint[1:]], faint, faint):
        sent = api.client.post("/v1/sessions/big/events", headers=api.ingest,
                               json={"events": events})  # fmt: skip
        assert sent.status_code == 200, sent.text
    asked = api.client.post(
        "/v1/sessions/big/events",
        headers=api.ingest,
        json={"events": [*_passes("kba", "callback_known_number"), WIRE]},
    )
    decision = asked.json()["decisions"][0]
    assert decision["rule"] == "hold-unweighable-evidence", decision
    assert len(decision["findings"]) <= MAX_SESSION_EVIDENCE
    with api.service.db.read() as s:
        state = s.scalar(select(SessionRow.state).where(SessionRow.id == "big"))
    assert state is not None
    assert len(state["threats"]) <= MAX_SESSION_EVIDENCE
    assert len(state["findings"]) <= MAX_SESSION_EVIDENCE


@pytest.mark.parametrize(
    "spelled",
    ["cust-\u200bz", "\u202ecust-z", "cust-z\u00ad", "\uff43\uff55\uff53\uff54-z", "cust-z\ufeff"],
)
def test_an_invisible_or_compatibility_respelling_reaches_the_same_memory(
    served: Served, spelled: str
) -> None:
    """A claimed identity with a zero-width, bidi or soft-hyphen character, or in
    full-width letters, looks the same to the agent and used to be another identity
    to the service, with none of the attack remembered for the real one."""
    attack = {"type": "message", "role": "customer", "text": CEO, "claimed_identity": "cust-z"}
    held = served.post("z1", attack, {"type": "action_request", "action": "move_money"})
    assert held["decisions"][0]["decision"] == "hold"
    again = served.post(
        "z2",
        *_passes("in_app", claimed_identity=spelled),
        {"type": "action_request", "action": "move_money"},
    )
    assert again["decisions"][0]["rule"] == "hold-threat-on-t2-plus", again


def test_an_identity_claimed_after_a_session_expired_brings_its_memory(
    tmp_path: Path, db_url: str
) -> None:
    """A batch read the memory of the identity its session held before; once the
    session had expired (idle past its time-to-live) the batch's claim started a
    new identity whose remembered attack was never read, nor its new evidence kept."""
    config = ServiceConfig.load(
        model=_model(tmp_path), database_url=db_url, identity_secret=SECRET,
        session_ttl_seconds=0.5,
    )  # fmt: skip
    service = Service(config).start()
    key = bearer(service.keys.create(["ingest"], "ttl test")[1])
    with TestClient(create_app(service), raise_server_exceptions=False) as client:
        served = Served(client, key)
        attack = {"type": "message", "role": "customer", "text": CEO, "claimed_identity": "cust-t"}
        held = served.post("t1", attack, {"type": "action_request", "action": "move_money"})
        assert held["decisions"][0]["decision"] == "hold"
        served.post("t2", {"type": "message", "role": "customer", "text": "hello",
                           "claimed_identity": "decoy"})  # fmt: skip
        time.sleep(1.0)  # t2 expires
        later = served.post(
            "t2",
            *_passes("in_app", claimed_identity="cust-t"),
            {"type": "action_request", "action": "move_money"},
        )
    service.stop()
    assert later["decisions"][0]["rule"] == "hold-threat-on-t2-plus", later
