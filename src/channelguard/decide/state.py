"""A decision session's state, and reading the fields of an event."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from channelguard.errors import InputError

__all__ = ["SessionState", "event_field", "event_time"]


@dataclass(kw_only=True)
class SessionState:
    channel: str | None = None
    verified: set[str] = field(default_factory=set)
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    threats: list[tuple[float, str, int]] = field(default_factory=list)  # (score, why, turn)
    # findings that describe the request and no attack on it (Finding.request_only):
    # weighed against the verification passed, never a hold by themselves
    requests: list[tuple[float, str, int]] = field(default_factory=list)
    tainted: list[str] = field(default_factory=list)  # what could not be weighed
    findings: list[dict[str, Any]] = field(default_factory=list)  # security findings, signals
    messages: int = 0
    last_at: datetime | None = None
    identity: str | None = None  # the first claimed identity (memory.py)

    def to_state(self) -> dict[str, Any]:
        """Everything the next decision needs, as JSON (for a shared database)."""
        return {
            "channel": self.channel,
            "verified": sorted(self.verified),
            "failures": dict(self.failures),
            "threats": [[score, why, turn] for score, why, turn in self.threats],
            "requests": [[score, why, turn] for score, why, turn in self.requests],
            "tainted": list(self.tainted),
            "findings": list(self.findings),
            "messages": self.messages,
            "last_at": self.last_at.isoformat() if self.last_at else None,
            "identity": self.identity,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SessionState:
        last = state.get("last_at")
        return cls(
            channel=state.get("channel"),
            verified=set(state.get("verified", [])),
            failures=defaultdict(int, state.get("failures", {})),
            threats=[
                (float(t[0]), str(t[1]), int(t[2]) if len(t) > 2 else 0)
                for t in state.get("threats", [])
            ],
            requests=[
                (float(t[0]), str(t[1]), int(t[2]) if len(t) > 2 else 0)
                for t in state.get("requests", [])
            ],
            tainted=list(state.get("tainted", [])),
            findings=list(state.get("findings", [])),
            messages=int(state.get("messages", 0)),
            last_at=datetime.fromisoformat(last) if last else None,
            identity=state.get("identity"),
        )


def event_time(event: dict[str, Any]) -> datetime | None:
    """The event's `at` (ISO 8601; without a zone, UTC), or None when it has none."""
    value = event.get("at")
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError("field 'at' is not an ISO 8601 time")
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"field 'at': '{value[:40]}' is not an ISO 8601 time") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def event_field(event: dict[str, Any], name: str, kind: type) -> Any:
    value = event.get(name)
    if not isinstance(value, kind) or (isinstance(value, str) and not value):
        raise InputError(f"field '{name}' is missing or not a {kind.__name__}")
    return value
