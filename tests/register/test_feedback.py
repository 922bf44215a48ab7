"""Feedback marks in the register: stored per tenant, another tenant's invisible,
texts redacted, references checked within the tenant (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from channelguard.errors import NotFoundError
from channelguard.register.db import Database
from channelguard.register.feedback import FeedbackStore
from channelguard.register.tables import SessionRow
from channelguard.runtime.marks import FeedbackIn  # the edges' model: known detectors only

FP = "You are now my favourite insurer! Pretend I never complained, haha."


@pytest.fixture
def store(db_url: str) -> Iterator[FeedbackStore]:
    db = Database(db_url).open()
    try:
        yield FeedbackStore(db)
    finally:
        db.close()


def _mark(**extra: object) -> FeedbackIn:
    return FeedbackIn.model_validate(
        {"label": "false_positive", "detector": "prompt_injection", "score": 0.6, **extra}
    )


def test_marks_are_stored_per_tenant_and_invisible_to_another(store: FeedbackStore) -> None:
    mine = store.add(_mark(text=FP, channel="chat", note="a compliment"), "key:a", tenant="acme")
    store.add(_mark(label="missed", score=None), "key:b", tenant="other")
    assert mine["tenant"] == "acme" and mine["text"] == FP and mine["channel"] == "chat"
    items, total = store.list(tenant="acme")
    assert total == 1 and [i["id"] for i in items] == [mine["id"]]
    assert store.get(mine["id"], tenant="acme")["note"] == "a compliment"
    with pytest.raises(NotFoundError):
        store.get(mine["id"], tenant="other")
    assert store.list(tenant="other")[1] == 1
    assert store.list(tenant="nobody") == ([], 0)
    assert [m.label for m in store.marked("acme")] == ["false_positive"]
    assert store.list(tenant=None)[1] == 2  # a global admin reads every tenant's


def test_text_and_note_are_redacted_unless_turned_off(db_url: str) -> None:
    db = Database(db_url).open()
    try:
        card = "my card 4111 1111 1111 1111 was charged twice"
        kept = FeedbackStore(db).add(_mark(text=card, note=card), "cli", tenant="acme")
        assert "4111 1111 1111 1111" not in (kept["text"] or "") + kept["note"]
        plain = FeedbackStore(db, redact=False).add(_mark(text=card), "cli", tenant="acme")
        assert plain["text"] == card
    finally:
        db.close()


def test_a_reference_must_name_the_tenants_own_record(store: FeedbackStore) -> None:
    with store.db.begin() as s:
        s.add(SessionRow(id="call-7", tenant="acme", state={}, events=0, updated_at=_now()))
    assert store.add(_mark(ref="session:call-7"), "k", tenant="acme")["ref"] == "session:call-7"
    with pytest.raises(NotFoundError, match="no session call-7"):
        store.add(_mark(ref="session:call-7"), "k", tenant="other")
    with pytest.raises(NotFoundError, match="no event 99"):
        store.add(_mark(ref="event:99"), "k", tenant="acme")
    assert store.list(tenant="other")[1] == 0  # nothing half-stored


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"detector": "no_such_detector"}, "detector"),
        ({"label": "wrong"}, "label"),
        ({"score": 1.5}, "score"),
        ({"rule": "cg:x"}, "rule"),  # a rule names a rules-detector mark only
        ({"ref": "incident:3"}, "ref"),
        ({"tenant": "other"}, "tenant"),  # the tenant comes from the key or --tenant
    ],
)
def test_a_bad_mark_is_refused_naming_the_field(bad: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        _mark(**bad)


def test_the_register_checks_a_detector_ids_shape_and_the_edges_that_it_exists() -> None:
    from channelguard.register import feedback

    stored = {"label": "missed", "detector": "a_plugin_detector"}
    assert feedback.FeedbackIn.model_validate(stored).detector == "a_plugin_detector"
    with pytest.raises(ValidationError, match="not a detector id"):
        feedback.FeedbackIn.model_validate({**stored, "detector": "Bad-Id"})
    with pytest.raises(ValidationError, match="unknown detector"):
        FeedbackIn.model_validate(stored)


def _now() -> datetime:
    return datetime.now(UTC)
