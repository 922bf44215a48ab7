"""A decision session's state."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from channelguard.decide.evidence import SessionFinding, finding_from_dict

__all__ = ["MAX_SESSION_EVIDENCE", "MAX_TAINTED", "SessionState"]

# what one session keeps at most of each kind of evidence (threats, requests,
# findings): a session past it holds its T2+ actions for a human (fail closed), so
# a flood of evidence never makes each later batch slower and larger
MAX_SESSION_EVIDENCE = 100
MAX_TAINTED = 20  # reasons the session cannot be weighed: any one holds T2+
OVERFLOW = (
    f"more than {MAX_SESSION_EVIDENCE} pieces of evidence in one session: "
    "not all of it is kept, so it cannot be weighed"
)


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
    findings: list[SessionFinding] = field(default_factory=list)  # security findings, signals
    messages: int = 0
    last_at: datetime | None = None
    identity: str | None = None  # the first claimed identity (memory.py)
    # actions allowed in this session: a factor obtainable via one of them (a callback
    # to a number changed minutes ago) is evidence the caller could have set up here
    changed: list[str] = field(default_factory=list)

    def bound(self) -> None:
        """Keep the session within its bounds: past MAX_SESSION_EVIDENCE pieces of one
        kind, the first ones and the strongest threat are kept and the session is
        tainted (its T2+ actions hold); the tainted reasons keep their first few."""
        over = False
        for name in ("threats", "requests"):
            kept: list[tuple[float, str, int]] = getattr(self, name)
            if len(kept) > MAX_SESSION_EVIDENCE:
                strongest = max(kept, key=lambda t: t[0])
                head = kept[: MAX_SESSION_EVIDENCE - 1]
                setattr(self, name, [*head, strongest] if strongest not in head else head)
                over = True
        if len(self.findings) > MAX_SESSION_EVIDENCE:
            self.findings = self.findings[:MAX_SESSION_EVIDENCE]
            over = True
        if over and OVERFLOW not in self.tainted:
            self.tainted.insert(0, OVERFLOW)
        del self.tainted[MAX_TAINTED:]

    def to_state(self) -> dict[str, Any]:
        """Everything the next decision needs, as JSON (for a shared database)."""
        return {
            "channel": self.channel,
            "verified": sorted(self.verified),
            "failures": dict(self.failures),
            "threats": [[score, why, turn] for score, why, turn in self.threats],
            "requests": [[score, why, turn] for score, why, turn in self.requests],
            "tainted": list(self.tainted),
            "findings": [f.to_dict() for f in self.findings],
            "messages": self.messages,
            "last_at": self.last_at.isoformat() if self.last_at else None,
            "identity": self.identity,
            "changed": list(self.changed),
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
            findings=[finding_from_dict(f) for f in state.get("findings", [])],
            messages=int(state.get("messages", 0)),
            last_at=datetime.fromisoformat(last) if last else None,
            identity=state.get("identity"),
            changed=[str(a) for a in state.get("changed", [])],
        )
