"""A session's evidence of an attack, as its decisions carry it: a security
finding of the guard on one of its messages, or a risk signal the caller sent.
Typed here, JSON (`to_dict`) only at the edge: the decision's `findings`, the
session state stored for the next event.

    FindingSeen(message=1, detector="impersonation", category="LLM01:2025", score=0.8)
    SignalSeen(signal="synthetic_voice", score=0.9)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channelguard.errors import StorageError

__all__ = ["FindingSeen", "SessionFinding", "SignalSeen", "finding_from_dict"]


@dataclass(frozen=True, kw_only=True, slots=True)
class FindingSeen:
    """A security finding of the guard on message `message` of the session."""

    message: int
    detector: str
    category: str
    score: float
    request_only: bool = False  # it describes the request, no attack on it
    role: str | None = None  # stored content (a document, a tool's output): its role

    @property
    def source(self) -> str:
        return self.detector

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message": self.message,
            "detector": self.detector,
            "category": self.category,
            "score": self.score,
        }
        if self.request_only:
            out["request_only"] = True
        if self.role is not None:
            out["role"] = self.role
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class SignalSeen:
    """A risk signal the caller sent (synthetic voice, a SIM swap), or one the
    Decider raised itself (a claimed identity that changed)."""

    signal: str
    score: float

    @property
    def source(self) -> str:
        return f"signal:{self.signal}"

    def to_dict(self) -> dict[str, Any]:
        return {"signal": self.signal, "score": self.score}


SessionFinding = FindingSeen | SignalSeen


def finding_from_dict(data: dict[str, Any]) -> SessionFinding:
    """One finding of a stored session state (written by `to_dict`)."""
    try:
        if "signal" in data:
            return SignalSeen(signal=str(data["signal"]), score=float(data["score"]))
        return FindingSeen(
            message=int(data["message"]),
            detector=str(data["detector"]),
            category=str(data["category"]),
            score=float(data["score"]),
            request_only=bool(data.get("request_only", False)),
            role=str(data["role"]) if data.get("role") is not None else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StorageError(f"a stored session finding is not readable: {exc!r}") from None
