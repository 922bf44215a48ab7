"""The event contract: each kind parsed into its type once, bad input named by field."""

from __future__ import annotations

from typing import Any

import pytest

from channelguard.decide.events import (
    ActionRequest,
    Message,
    Rejected,
    Signal,
    Verification,
    parse_event,
)
from channelguard.guard.types import Role

BASE = {"session": "s1", "channel": "phone_agent", "at": "2026-11-22T23:10:00Z"}


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ({"type": "message", "role": "document", "text": "note"}, Message),
        ({"type": "verification", "factor": "kba", "result": "pass"}, Verification),
        ({"type": "signal", "name": "new_device", "value": 0.4}, Signal),
        ({"type": "action_request", "action": "wire_transfer", "params": {"a": 1}}, ActionRequest),
    ],
)
def test_each_kind_is_its_own_type(raw: dict[str, Any], kind: type) -> None:
    event = parse_event({**BASE, **raw, "extra": "kept"})
    assert isinstance(event, kind)
    assert event.session == "s1" and event.at is not None and event.at.tzinfo is not None
    assert event.model_extra == {"extra": "kept"}  # the wire format only grows


def test_a_message_knows_its_direction_and_stored_content() -> None:
    doc = parse_event({**BASE, "type": "message", "role": "document", "text": "x"})
    out = parse_event({**BASE, "type": "message", "role": "assistant", "text": "x"})
    plain = parse_event({**BASE, "type": "message", "text": "x"})
    assert isinstance(doc, Message) and doc.stored_content and not doc.outbound
    assert isinstance(out, Message) and out.outbound and not out.stored_content
    assert isinstance(plain, Message) and plain.role is Role.CUSTOMER


@pytest.mark.parametrize(
    ("raw", "named", "marks"),
    [
        ([1, 2], "JSON object", False),
        ({"type": "message", "text": "x"}, "field 'session'", False),
        ({"session": "s", "type": "telepathy"}, "field 'type': 'telepathy'", False),
        ({"session": "s", "type": "message", "text": ""}, "field 'text'", True),
        ({"session": "s", "type": "message", "text": 5}, "field 'text'", True),
        ({"session": "s", "type": "message", "text": "x", "role": "boss"}, "field 'role'", True),
        ({"session": "s", "type": "message", "text": "x", "at": "noon"}, "field 'at'", True),
        ({"session": "s", "type": "signal", "name": "velocity", "value": "yes"}, "'value'", True),
        ({"session": "s", "type": "signal", "name": "velocity"}, "'value' is missing", True),
        ({"session": "s", "type": "signal", "name": "velocity", "value": 2}, "'value'", True),
        ({"session": "s", "type": "verification", "factor": "kba", "result": "ok"}, "'result'", False),
        ({"session": "s", "type": "action_request"}, "field 'action'", False),
        ({"session": "s", "type": "action_request", "action": "x", "channel": 3}, "'channel'", False),
        # evidence refused for any field is not weighed: it marks (fail closed)
        ({"session": "s", "type": "message", "text": "x", "claimed_identity": 5},
         "'claimed_identity'", True),
        ({"session": "s", "type": "message", "text": "x", "claimed_identity": " "},
         "'claimed_identity'", True),
        ({"session": "s", "type": "message", "text": "x", "channel": ["a"]}, "'channel'", True),
        ({"session": "s", "type": "signal", "name": "synthetic_voice", "value": 0.9,
          "claimed_identity": 5}, "'claimed_identity'", True),
        ({"session": "s", "type": "verification", "factor": "kba", "result": "fail",
          "channel": 3}, "'channel'", True),
        ({"session": "s", "type": "verification", "factor": "kba", "result": "pass",
          "channel": 3}, "'channel'", False),
    ],
)  # fmt: skip
def test_a_bad_event_names_its_field_and_whether_it_marks_the_session(
    raw: Any, named: str, marks: bool
) -> None:
    rejected = parse_event(raw)
    assert isinstance(rejected, Rejected)
    assert named in rejected.error and rejected.marks is marks


def test_a_number_is_never_taken_for_a_string_nor_a_flag() -> None:
    assert isinstance(parse_event({"session": 1, "type": "message", "text": "x"}), Rejected)
    one = parse_event({"session": "s", "type": "signal", "name": "velocity", "value": 1})
    assert isinstance(one, Signal) and one.value == 1.0 and one.score == 1.0
    true = parse_event({"session": "s", "type": "signal", "name": "velocity", "value": True})
    assert isinstance(true, Signal) and true.score == 0.6


def test_the_edge_fills_in_its_session_and_refuses_another() -> None:
    ours = parse_event({"type": "action_request", "action": "x"}, session="s9")
    theirs = parse_event({"session": "s8", "type": "action_request", "action": "x"}, session="s9")
    assert isinstance(ours, ActionRequest) and ours.session == "s9"
    assert isinstance(theirs, Rejected) and "'s8' is not this session" in theirs.error
    # sent in s9's stream: it marks s9 (fail closed) and the request is decided there
    assert theirs.session == "s9" and theirs.marks and theirs.action_request
    assert theirs.action == "x"


@pytest.mark.parametrize(
    ("session", "why"),
    [
        ("s\u200b1", "U+200B"),  # looks like s1
        ("s1\r\nX-Forged: 1", "U+000D"),
        ("s\u202e1", "U+202E"),
        ("   ", "only whitespace"),
        ("x" * 201, "1-200 characters"),
    ],
)
def test_a_session_id_is_held_to_the_identifier_rule_at_every_edge(session: str, why: str) -> None:
    """`decide FILE` and `Decider.feed` read the session from the event: held to the
    rule the service's route is held to (it let 's\\u200b1' be a second 's1')."""
    for kind in (
        {"type": "action_request", "action": "wire_transfer"},
        {"type": "message", "role": "customer", "text": "hi"},
    ):
        event = parse_event({**BASE, **kind, "session": session})
        assert isinstance(event, Rejected)
        assert event.error.startswith("field 'session'") and why in event.error
        assert event.session is None and not event.action_request  # no session to decide in
