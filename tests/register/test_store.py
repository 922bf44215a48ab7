"""The incident register on SQLite and PostgreSQL: the record, its timeline,
optimistic concurrency, links, steps, clocks, filters and redaction."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from channelguard.errors import ConflictError, InputError, NotFoundError
from channelguard.register.db import Database
from channelguard.register.records import IncidentIn, IncidentPatch, LinkIn, StepCheck
from channelguard.register.store import Filters, IncidentStore
from channelguard.register.vocab import Status
from tests.conftest import DEEPFAKE_WIRE


def incident(**extra: Any) -> IncidentIn:
    data = {**DEEPFAKE_WIRE, "owners": {"finance": "Dana", "security": "Sam"}, **extra}
    return IncidentIn.model_validate(data)


@pytest.fixture
def store(db_url: str) -> Any:
    db = Database(db_url).open()
    yield IncidentStore(db)
    db.close()


def test_the_record_gets_its_playbook_lead_clocks_and_a_timeline(store: IncidentStore) -> None:
    made = store.create(incident(atlas=["AML.T0073"], owasp=["LLM06:2025"]), "alice")
    assert made["lead"] == "finance"  # the deepfaked-executive playbook leads with finance
    assert made["playbook"] == "executive_payment_fraud"
    assert [c["kind"] for c in made["clocks"]] == ["wire_recall"]
    assert made["clocks"][0]["state"] == "running"
    assert made["steps"][0]["step"] == "recall_payment" and made["steps"][0]["owner"] == "Dana"
    [created] = made["timeline"]
    assert (created["actor"], created["what"]) == ("alice", "created")
    assert created["changes"]["lead"] == {"old": None, "new": "finance"}
    again = store.get(made["id"])
    assert again["atlas"] == ["AML.T0073"] and again["version"] == 1


def test_clocks_by_what_happened(store: IncidentStore) -> None:
    leak = store.create(
        incident(
            harm_type="personal_data_leak",
            domain="safety",
            cause="accidental",
            money_moved=False,
            ai_act="widespread",
            owners={},
        ),
        "a",
    )
    kinds = {c["kind"]: c for c in leak["clocks"]}
    assert set(kinds) == {
        "gdpr_breach_notification",
        "eu_ai_act_widespread_or_critical_infrastructure",
    }
    detected = datetime.fromisoformat(leak["detected_at"])
    assert datetime.fromisoformat(
        kinds["gdpr_breach_notification"]["due_at"]
    ) == detected + timedelta(hours=72)
    due = datetime.fromisoformat(kinds["eu_ai_act_widespread_or_critical_infrastructure"]["due_at"])
    assert due == detected + timedelta(days=2)


def test_a_clock_past_due_is_overdue_and_one_met_late_is_late(store: IncidentStore) -> None:
    old = datetime.now(UTC) - timedelta(days=5)
    made = store.create(incident(detected_at=old), "a")
    assert made["clocks"][0]["state"] == "overdue"
    assert made["steps"][0]["state"] == "overdue"
    done = store.update(made["id"], IncidentPatch(version=1, clocks_done=["wire_recall"]), "b")
    assert done["clocks"][0]["state"] == "late"


def test_a_stale_update_is_refused_and_changes_nothing(store: IncidentStore) -> None:
    made = store.create(incident(), "a")
    store.update(made["id"], IncidentPatch(version=1, status="triaged"), "b")
    with pytest.raises(ConflictError, match="changed since version 1"):
        store.update(made["id"], IncidentPatch(version=1, status="closed"), "c")
    now = store.get(made["id"])
    assert now["status"] == "triaged" and now["version"] == 2
    assert [t["actor"] for t in now["timeline"]] == ["a", "b"]


def test_concurrent_writers_lose_no_update(store: IncidentStore) -> None:
    made = store.create(incident(), "a")
    writers, rounds = 6, 5

    def write(n: int) -> None:
        for r in range(rounds):
            while True:  # read, change, write; on a conflict read again (what a client does)
                current = store.get(made["id"])
                patch = IncidentPatch(
                    version=current["version"], summary=current["summary"] + f"[{n}.{r}]"
                )
                try:
                    store.update(made["id"], patch, f"writer{n}")
                    break
                except ConflictError:
                    continue

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = store.get(made["id"])
    for n in range(writers):
        for r in range(rounds):
            assert f"[{n}.{r}]" in final["summary"]
    assert final["version"] == 1 + writers * rounds


def test_lead_must_be_an_owner(store: IncidentStore) -> None:
    made = store.create(incident(), "a")
    with pytest.raises(InputError, match="not one of the owners"):
        store.update(made["id"], IncidentPatch(version=1, lead="legal"), "b")
    with pytest.raises(ValidationError, match="not one of the owners"):
        incident(lead="legal")


def test_ids_are_validated_against_owasp_with_year_and_atlas() -> None:
    with pytest.raises(ValidationError, match="with its year"):
        incident(owasp=["LLM01"])
    with pytest.raises(ValidationError, match="not a MITRE ATLAS"):
        incident(atlas=["AML.T9999"])
    with pytest.raises(ValidationError, match="domain_reason"):
        incident(domain="both")
    with pytest.raises(ValidationError, match="extra"):
        IncidentIn.model_validate({**incident().model_dump(mode="json"), "colour": "red"})


def test_links_steps_and_their_errors(store: IncidentStore) -> None:
    leak = store.create(
        incident(harm_type="personal_data_leak", domain="safety", cause="accidental", owners={}),
        "a",
    )
    wire = store.create(incident(), "a")
    linked = store.link(leak["id"], LinkIn(to=wire["id"], type="enabled", note="codes leaked"), "b")
    assert linked.links[0].to_json() | {"at": None} == {
        "from": leak["id"],
        "to": wire["id"],
        "type": "enabled",
        "note": "codes leaked",
        "at": None,
        "actor": "b",
    }
    assert store.get(wire["id"])["links"][0]["from"] == leak["id"]
    with pytest.raises(ConflictError):
        store.link(leak["id"], LinkIn(to=wire["id"], type="enabled"), "b")
    with pytest.raises(InputError, match="itself"):
        store.link(leak["id"], LinkIn(to=leak["id"], type="same_actor"), "b")
    with pytest.raises(NotFoundError):
        store.link(leak["id"], LinkIn(to=9999, type="same_actor"), "b")
    done = store.check_step(leak["id"], StepCheck(step="contain_output"), "carol")
    step = next(s for s in done["steps"] if s["step"] == "contain_output")
    assert step["state"] == "done" and step["done_by"] == "carol"
    with pytest.raises(InputError, match="not a step of personal_data_leak"):
        store.check_step(leak["id"], StepCheck(step="recall_payment"), "carol")


def test_filters_and_pages(store: IncidentStore) -> None:
    for i in range(7):
        store.create(incident(title=f"wire {i}", severity="medium" if i % 2 else "critical"), "a")
    store.create(
        incident(
            harm_type="harmful_output",
            domain="safety",
            cause="accidental",
            severity="low",
            owners={},
        ),
        "a",
    )
    page, total = store.list(limit=3)
    assert total == 8 and page[0]["title"] == "Deepfaked CFO ordered a wire"
    assert len(store.list(limit=3, offset=6)[0]) == 2
    assert store.list(Filters(severity="critical"))[1] == 4
    assert store.list(Filters(severity="medium"))[1] == 7  # medium or higher
    assert store.list(Filters(domain="safety"))[1] == 1
    assert store.list(Filters(owner="customer_experience"))[1] == 1
    assert store.list(Filters(since=datetime.now(UTC) + timedelta(hours=1)))[1] == 0
    with pytest.raises(InputError):
        store.list(limit=0)


def test_personal_data_is_redacted_before_storage_unless_configured(db_url: str) -> None:
    db = Database(db_url).open()
    text = "Caller gave card 4111 1111 1111 1111 and jane.doe@example.com"
    made = IncidentStore(db).create(incident(summary=text), "a")
    assert "4111" not in made["summary"] and "[CARD_NUMBER]" in made["summary"]
    assert "[EMAIL]" in made["summary"]
    raw = IncidentStore(db, redact=False).create(incident(summary=text), "a")
    assert "4111 1111 1111 1111" in raw["summary"]
    db.close()


def test_unknown_incident_is_not_found(store: IncidentStore) -> None:
    with pytest.raises(NotFoundError, match="no incident 42"):
        store.get(42)


def test_an_actor_longer_than_its_column_is_recorded_cut_on_every_database(
    store: IncidentStore,
) -> None:
    made = store.create(incident(), "a" * 300)
    changed = store.update(made["id"], IncidentPatch(version=1, status=Status.TRIAGED), "b" * 300)
    assert changed["version"] == 2
    actors = {c["actor"] for c in store.get(made["id"])["timeline"]}
    assert actors == {"a" * 200, "b" * 200}


PII = "jane.doe@example.com"
CARD = "4111 1111 1111 1111"


def _free_text_everywhere(store: IncidentStore) -> int:
    made = store.create(
        incident(
            title=f"Caller {PII} got a wire",
            domain="both",
            domain_reason=f"the agent read {CARD} back",
            owners={"finance": f"Dana <{PII}>", "security": "Sam"},
            compromised=[{"factor": "otp_sms", "note": f"codes sent to {PII}"}],
        ),
        "a",
    )
    other = store.create(incident(), "a")
    store.update(
        made["id"],
        IncidentPatch(version=1, title=f"Re: {PII}", note=f"called {CARD}", summary=PII),
        "b",
    )
    store.link(made["id"], LinkIn(to=other["id"], type="same_actor", note=f"same {PII}"), "b")
    store.check_step(made["id"], StepCheck(step="recall_payment", note=f"bank {CARD}"), "b")
    return int(made["id"])


def _stored(db: Database) -> str:
    """Everything the database holds, as text."""
    from sqlalchemy import text

    from channelguard.register.tables import Base

    with db.begin() as s:
        rows = [s.execute(text(f"SELECT * FROM {t}")).all() for t in Base.metadata.tables]
    return repr(rows)


def test_every_free_text_field_is_redacted_before_storage_unless_configured(db_url: str) -> None:
    db = Database(db_url).open()
    store = IncidentStore(db)
    found = store.get(_free_text_everywhere(store))
    assert found["title"] == "Re: [EMAIL]" and found["owners"]["finance"] == "Dana <[EMAIL]>"
    assert found["domain_reason"] == "the agent read [CARD_NUMBER] back"
    assert found["compromised"][0]["note"] == "codes sent to [EMAIL]"
    assert found["links"][0]["note"] == "same [EMAIL]"
    assert found["timeline"][1]["what"] == "changed summary, title: called [CARD_NUMBER]"
    assert found["timeline"][1]["changes"]["title"] == {
        "old": "Caller [EMAIL] got a wire",
        "new": "Re: [EMAIL]",
    }
    try:
        # not in any table, any column, the timeline's old values included (the whole
        # card number: "4111" alone also turns up in a timestamp's microseconds)
        held = _stored(db)
        assert PII not in held and "4111 1111" not in held
        raw = IncidentStore(db, redact=False)
        raw.get(_free_text_everywhere(raw))
        assert PII in _stored(db) and CARD in _stored(db)
    finally:
        db.close()


def test_a_title_longer_once_redacted_is_cut_to_its_column(store: IncidentStore) -> None:
    made = store.create(incident(title="a@b.co " * 42), "a")  # 294 characters, 378 redacted
    assert len(made["title"]) == 300 and made["title"].startswith("[EMAIL] [EMAIL]")
