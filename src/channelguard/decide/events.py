"""The event contract: what a session may send, parsed once at each edge.

An event is one JSON object (docs/spec/io-formats.md, "the runtime decision
stream"), told apart by `type`:

    message         role customer | user | agent | assistant | document, text
                    (agent and assistant turns are the agent's own output;
                    document is retrieved or attached content: a tool's output,
                    an order note, a claim attachment)
    verification    factor, result pass | fail
    signal          name, value true | false | a score in [0, 1]
    action_request  action, params (optional)

and every kind may carry `session`, `at` (ISO 8601; without a zone, UTC),
`channel` and `claimed_identity`. Keys beyond these are kept as sent (the wire
format only grows), never read.

`parse_event` is the one place a raw dict is read: it returns an `Event`, or a
`Rejected` that names the field and says whether the session is marked by it
(fail closed: a message or signal we could not weigh, or an `at` we could not
place, counts against the session's T2+ actions; an unread verification
counts for nothing anyway).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from channelguard.guard.types import Role
from channelguard.ids import canonical, id_problem
from channelguard.roles import role_names

__all__ = [
    "EVENT_TYPES",
    "TRUE_SIGNAL_SCORE",
    "ActionRequest",
    "Event",
    "Message",
    "Rejected",
    "Signal",
    "Verification",
    "parse_event",
]

EVENT_TYPES = ("message", "verification", "signal", "action_request")
TRUE_SIGNAL_SCORE = 0.6  # a signal that is simply true: reason for a human on T2+ actions
# the order fields are checked in: the first wrong one is the one named
_ORDER = ("session", "type", "at", "channel", "claimed_identity")
_UNMARKED = ("session", "type", "channel", "claimed_identity", "action")  # refused, not weighed
# evidence: refused for any field, it is not weighed, so it marks its session (fail
# closed: a bad claimed identity or channel must not hide an injection or a signal)
_EVIDENCE = ("message", "signal")

Name = Annotated[str, Field(min_length=1)]


class _Event(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    session: Name
    at: datetime | None = None
    channel: Name | None = None
    claimed_identity: Name | None = None

    @field_validator("session")
    @classmethod
    def _session_id(cls, value: str) -> str:
        """The identifier rule (ids.py), as the service holds its route's id: a
        CR/LF or an invisible character would make two sessions that look one, in
        `decide FILE` and `Decider.feed` as over HTTP."""
        if (problem := id_problem(value)) is not None:
            raise ValueError(f"field 'session': {problem}")
        return value

    @field_validator("claimed_identity")
    @classmethod
    def _visible(cls, value: str | None) -> str | None:
        """An identity names someone: only whitespace, control or invisible
        characters name no one (ids.py: such characters are dropped before)."""
        if value is not None and not canonical(value):
            raise ValueError(
                "field 'claimed_identity': no visible characters (only whitespace, "
                "control or invisible ones)"
            )
        return value

    @field_validator("at", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("field 'at' is not an ISO 8601 time")
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"field 'at': '{value[:40]}' is not an ISO 8601 time") from None
        return at if at.tzinfo is not None else at.replace(tzinfo=UTC)

    @property
    def instant(self) -> float | None:
        """The event's `at` in seconds since the epoch, None when it has none."""
        return self.at.timestamp() if self.at is not None else None


class Message(_Event):
    type: Literal["message"]
    text: Name
    role: Role = Role.CUSTOMER

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Role:
        try:
            return Role(value)
        except ValueError:
            known = ", ".join(role_names())
            raise ValueError(f"field 'role': '{value}' is not one of {known}") from None

    @property
    def outbound(self) -> bool:
        """The agent's own turn (its output), not evidence of an attack on it."""
        return not self.role.inbound

    @property
    def stored_content(self) -> bool:
        """Retrieved or attached content that stays (a tool's output, a note)."""
        return self.role is Role.DOCUMENT


class Verification(_Event):
    type: Literal["verification"]
    factor: Name
    result: str

    @field_validator("result", mode="before")
    @classmethod
    def _result(cls, value: Any) -> str:
        if not isinstance(value, str) or not value:
            raise ValueError("field 'result' is missing or not a str")
        if value not in ("pass", "fail"):
            raise ValueError(f"field 'result': '{value}' is not pass or fail")
        return value

    @property
    def passed(self) -> bool:
        return self.result == "pass"


class Signal(_Event):
    type: Literal["signal"]
    name: Name
    value: bool | float

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: Any) -> bool | float:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and math.isfinite(value) and 0.0 <= value <= 1.0:
            return float(value)
        raise ValueError(f"field 'value': {value!r} is not true, false or a score in [0, 1]")

    @property
    def score(self) -> float:
        """The threat the signal carries: 0 for false, TRUE_SIGNAL_SCORE for true,
        the score itself for a number."""
        if isinstance(self.value, bool):
            return TRUE_SIGNAL_SCORE if self.value else 0.0
        return self.value


class ActionRequest(_Event):
    type: Literal["action_request"]
    action: Name
    params: dict[str, Any] | None = None


Event = Annotated[Message | Verification | Signal | ActionRequest, Field(discriminator="type")]
_EVENT: TypeAdapter[Message | Verification | Signal | ActionRequest] = TypeAdapter(Event)
_KIND = {"str": "str", "bool": "bool", "dict": "dict"}


@dataclass(frozen=True, kw_only=True, slots=True)
class Rejected:
    """An event that could not be read: what is wrong, and whose session it marks."""

    error: str
    session: str | None  # None: no session to mark
    kind: str | None
    marks: bool  # fail closed: the session cannot get T2+ actions allowed
    # what the event said of the session that was valid, when only its own
    # fields were wrong (they are taken, as they were before the contract)
    channel: str | None = None
    claimed_identity: str | None = None
    # an action request (its `type` read as action_request): the action as sent, as
    # text ("" when missing), for the fail-closed decision it still gets
    action: str | None = None

    @property
    def action_request(self) -> bool:
        return self.kind == "action_request" and self.session is not None


def parse_event(raw: Any, *, session: str | None = None) -> Event | Rejected:
    """The typed event, or what is wrong with it. `session`: the session the edge
    already knows (the HTTP route's); an event naming another is refused."""
    if not isinstance(raw, dict):
        why = f"an event must be a JSON object, got {type(raw).__name__}"
        return Rejected(error=why, session=None, kind=None, marks=False)
    if session is not None:
        named = raw.get("session", session)
        if named != session:  # sent in this session's stream: it marks this one (fail
            # closed), and an action request still gets its one decision here
            kind = raw.get("type")
            return Rejected(
                error=f"field 'session': {_as_text(named)[:60]!r} is not this session",
                session=session,
                kind=kind if isinstance(kind, str) and kind in EVENT_TYPES else None,
                marks=True,
                action=_as_text(raw.get("action")) if kind == "action_request" else None,
            )
        raw = {**raw, "session": session}
    kind = raw.get("type")
    if kind not in EVENT_TYPES:
        return _rejected_kind(raw, kind)
    try:
        return _EVENT.validate_python(raw)
    except ValidationError as exc:
        return _rejected(raw, str(kind), exc)


def _rejected_kind(raw: dict[str, Any], kind: Any) -> Rejected:
    owner = raw.get("session")
    if not isinstance(owner, str) or not owner:
        why = "field 'session' is missing or not a str"
    elif not isinstance(kind, str) or not kind:
        why = "field 'type' is missing or not a str"
    else:
        why = f"field 'type': '{kind}' is not one of {', '.join(EVENT_TYPES)}"
    return Rejected(error=why, session=None, kind=None, marks=False)


def _rejected(raw: dict[str, Any], kind: str, exc: ValidationError) -> Rejected:
    """The first wrong field, in the order the contract checks them."""
    errors = exc.errors(include_url=False)
    rank = {name: n for n, name in enumerate(_ORDER)}
    first = min(errors, key=lambda e: rank.get(str(e["loc"][-1]) if e["loc"] else "", 99))
    loc = [str(part) for part in first["loc"] if str(part) != kind]
    name = loc[0] if loc else "event"
    if first["type"] == "value_error":
        why = str(first["ctx"]["error"])
    elif name == "value" and first["type"] == "missing":
        why = "field 'value' is missing: a signal needs true, false or a score in [0, 1]"
    else:
        why = f"field '{name}' is missing or not a {_expected(name)}"
    owner = raw.get("session")
    valid_owner = isinstance(owner, str) and bool(owner) and name != "session"
    own = name not in _ORDER  # the session's fields were read before this one
    return Rejected(
        error=why,
        session=owner if valid_owner else None,
        kind=kind,
        marks=valid_owner and _marks(raw, kind, name),
        channel=_name(raw.get("channel")) if own else None,
        claimed_identity=_name(raw.get("claimed_identity")) if own else None,
        action=_as_text(raw.get("action")) if kind == "action_request" else None,
    )


def _marks(raw: dict[str, Any], kind: str, name: str) -> bool:
    """Whether a refused event marks its session: evidence (a message, a signal, a
    failed verification) whatever field was wrong; others by the field."""
    if kind in _EVIDENCE or (kind == "verification" and raw.get("result") == "fail"):
        return True
    return name not in _UNMARKED and (kind != "verification" or name == "at")


def _as_text(value: Any) -> str:
    """An action as sent, as text for its decision: a string as it is, anything
    else as JSON, cut to 200 characters (the decisions' column)."""
    if value is None:
        return ""
    return (value if isinstance(value, str) else json.dumps(value, default=repr))[:200]


def _name(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _expected(name: str) -> str:
    return "dict" if name == "params" else "str"
