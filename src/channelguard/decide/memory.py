"""What the Decider remembers beyond one session, and how risk adds up.

Risk in a session accumulates: each threat (a finding on an inbound message,
a risk signal) and each failed verification counts, combined as independent
evidence (1 - the product of 1 - each), so two moderate signals can reach
what one strong one does. Turn by turn, older evidence fades (each later
message keeps FADE_PER_TURN of it), so pressure that keeps rising weighs more
than one stray remark long ago.

Across sessions, evidence is kept per claimed identity (the event field
`claimed_identity`, e.g. the account or executive a caller claims to be): a
caller held in one session who rings again an hour later starts with that
risk, halved every HALF_LIFE_HOURS. A session's identity is the first one it
claims; claiming another later is itself a signal.

Keys: a claimed identity is remembered under "identity:VALUE", a session's own
memory (its cooling-offs when it claims no identity) under "session:ID", both
after the memory's scope (the service's tenant, "TENANT/"): a claimed identity
spelled like a session's key never reaches that session's memory.

Time only moves forward: each identity keeps the latest instant it was seen at,
and what it remembers fades, prunes and ends its cooling-offs by that instant,
never by an earlier one.

Cooling-off: when an action with `cooling_off_hours` (a phone, e-mail or
address change) is allowed, the factors it controls (those `obtainable_via`
it) cannot authorize T2+ actions for that identity until the period ends.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from channelguard.decide.evidence import SignalSeen
from channelguard.decide.state import SessionState
from channelguard.model.factors import Factor
from channelguard.model.schema import Action

__all__ = [
    "FADE_PER_TURN",
    "FAILURE_WEIGHT",
    "HALF_LIFE_HOURS",
    "Change",
    "Evidence",
    "Identity",
    "Memory",
    "combine",
    "merged",
]

FADE_PER_TURN = 0.9
FAILURE_WEIGHT = 0.15  # one failed verification; three hold outright (MAX_FAILURES)
HALF_LIFE_HOURS = 24.0
# what one identity keeps at most: pieces of evidence (the weakest go first), and
# running cooling-offs (beyond it, one per action: the one ending last)
MAX_EVIDENCE = 200
MAX_CHANGES = 50


@dataclass(frozen=True, kw_only=True, slots=True)
class Evidence:
    score: float
    why: str
    session: str
    at: float  # seconds since the epoch
    turn: int  # the session's message count when it was seen


@dataclass(frozen=True, kw_only=True, slots=True)
class Change:
    action: str
    at: float
    hours: float
    session: str

    def running(self, now: float) -> bool:
        """The cooling-off this change started has not ended at `now`."""
        return now - self.at < self.hours * 3600


@dataclass(kw_only=True)
class Identity:
    evidence: list[Evidence] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    last_at: float = 0.0

    def to_state(self) -> dict[str, Any]:
        return {
            "evidence": [[e.score, e.why, e.session, e.at, e.turn] for e in self.evidence],
            "changes": [[c.action, c.at, c.hours, c.session] for c in self.changes],
            "last_at": self.last_at,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Identity:
        return cls(
            evidence=[
                Evidence(score=float(s), why=str(w), session=str(ss), at=float(a), turn=int(t))
                for s, w, ss, a, t in state.get("evidence", [])
            ],
            changes=[
                Change(action=str(a), at=float(t), hours=float(h), session=str(ss))
                for a, t, h, ss in state.get("changes", [])
            ],
            last_at=float(state.get("last_at", 0.0)),
        )

    def prune(self, now: float) -> None:
        """Forget what no longer counts: evidence past 8 half-lives, ended cooling-offs.
        Over the bounds, the weakest evidence goes first (never the oldest: a flood of
        faint evidence would push a remembered attack out), and only the cooling-off
        ending last of each action is kept (more changes never end a running one)."""
        horizon = now - 8 * HALF_LIFE_HOURS * 3600
        kept = [e for e in self.evidence if e.at >= horizon]
        if len(kept) > MAX_EVIDENCE:
            weight = [aged(e, now) for e in kept]
            heaviest = sorted(range(len(kept)), key=lambda n: (-weight[n], -n))[:MAX_EVIDENCE]
            kept = [kept[n] for n in sorted(heaviest)]  # in the order they came
        self.evidence = kept
        running = [c for c in self.changes if c.running(now)]
        if len(running) > MAX_CHANGES:
            last: dict[str, Change] = {}
            for c in running:  # per action, the one ending last
                held = last.get(c.action)
                if held is None or c.at + c.hours * 3600 >= held.at + held.hours * 3600:
                    last[c.action] = c
            running = [c for c in running if last[c.action] is c]
        self.changes = running


class Memory:
    """Identities, least recently seen first; bounded in count."""

    def __init__(self, max_identities: int = 100_000, *, scope: str = "") -> None:
        self.max_identities = max_identities
        self.scope = scope
        self.identities: OrderedDict[str, Identity] = OrderedDict()

    def identity_key(self, identity: str) -> str:
        return f"{self.scope}identity:{identity}"

    def session_key(self, session: str) -> str:
        return f"{self.scope}session:{session}"

    def _key(self, session: str, state: SessionState) -> str:
        """Where a session's cooling-offs live: its identity's memory, else its own."""
        if state.identity is not None:
            return self.identity_key(state.identity)
        return self.session_key(session)

    def get(self, key: str, now: float) -> Identity:
        found = self.identities.get(key)
        if found is None:
            found = self.identities[key] = Identity()
        self.identities.move_to_end(key)
        while len(self.identities) > self.max_identities:
            self.identities.popitem(last=False)
        found.last_at = max(found.last_at, now)  # never backwards
        found.prune(found.last_at)
        return found

    def claim(self, session_id: str, state: SessionState, identity: str, now: float) -> None:
        """A session's identity is the first it claims; claiming another is a red flag."""
        if state.identity is None:
            state.identity = identity[:200]
        elif state.identity != identity[:200]:
            why = f"claimed identity changed from '{state.identity}' to '{identity[:60]}'"
            if all(w != why for _, w, _ in state.threats):
                state.threats.append((0.6, why, state.messages))
                state.findings.append(SignalSeen(signal="claimed_identity_changed", score=0.6))
                self.remember(session_id, state, now)

    def remember(self, session_id: str, state: SessionState, now: float) -> None:
        """Copy the session's new evidence to its identity, for its later sessions."""
        if state.identity is None:
            return
        identity = self.get(self.identity_key(state.identity), now)
        known = {(e.why, e.turn) for e in identity.evidence if e.session == session_id}
        for score, why, turn in state.threats:
            if (why, turn) not in known:
                identity.evidence.append(
                    Evidence(score=score, why=why, session=session_id, at=now, turn=turn)
                )

    def allowed(
        self, session: str, state: SessionState, action: Action, now: float
    ) -> tuple[str, ...]:
        """An allowed contact change starts its cooling-off and asks for a notice."""
        action_id = action.id
        if action.cooling_off_hours > 0:
            kept = self.get(self._key(session, state), now)
            kept.changes.append(
                Change(
                    action=action_id,
                    at=kept.last_at,
                    hours=action.cooling_off_hours,
                    session=session,
                )
            )
        return ("old_contact",) if action.notifies_old_contact else ()

    def cooling(
        self, session: str, state: SessionState, now: float, factors: Mapping[str, Factor]
    ) -> dict[str, str]:
        """Factors under a cooling-off for this identity: factor -> why."""
        key = self._key(session, state)
        if key not in self.identities:
            return {}
        out: dict[str, str] = {}
        kept = self.get(key, now)
        now = kept.last_at
        for change in kept.changes:
            left = change.hours - (now - change.at) / 3600
            if left <= 0:
                continue
            for fid, factor in factors.items():
                if change.action in factor.obtainable_via:
                    out[fid] = (
                        f"'{change.action}' was done {change.hours - left:.1f} h ago: "
                        f"{fid} cannot authorize this until its {change.hours:g} h cooling-off ends"
                    )
        return out

    def threat(self, session: str, state: SessionState, now: float) -> tuple[float, list[str]]:
        """The strongest evidence in the session, or what all of it adds up to (fading
        turn by turn; failed checks; earlier sessions of the identity, fading by the
        hour), whichever is higher: padding with harmless turns never dilutes an attack."""
        parts: list[tuple[float, str]] = [
            (score * 0.9 ** max(0, state.messages - turn), why)
            for score, why, turn in state.threats
        ]
        failed = sum(state.failures.values())
        if failed:
            parts.append((combine([FAILURE_WEIGHT] * failed), f"{failed} failed verification(s)"))
        key = self.identity_key(state.identity) if state.identity is not None else None
        if key is not None and key in self.identities:
            kept = self.get(key, now)
            now = kept.last_at
            for e in kept.evidence:
                if e.session != session:
                    parts.append(
                        (
                            faded(e, session, state.messages, now),
                            f"earlier session of '{state.identity}': {e.why}",
                        )
                    )
        strongest = max((score for score, _, _ in state.threats), default=0.0)
        total = max(strongest, combine(p for p, _ in parts))
        if total <= 0:
            return 0.0, []
        top = sorted(parts, key=lambda t: -t[0])[:3]
        return total, [f"{why} (score {score:.2f})" for score, why in top if score > 0]

    def export(self, key: str) -> dict[str, Any] | None:
        found = self.identities.get(key)
        return found.to_state() if found is not None else None

    def restore(self, key: str, state: dict[str, Any] | None) -> None:
        if state is None:
            self.identities.pop(key, None)
        else:
            self.identities[key] = Identity.from_state(state)


def combine(scores: Iterable[float]) -> float:
    """Independent evidence: 1 - prod(1 - s)."""
    keep = 1.0
    for s in scores:
        keep *= 1.0 - min(max(s, 0.0), 1.0)
    return 1.0 - keep


def faded(e: Evidence, session: str, turn: int, now: float) -> float:
    """One piece of evidence as it weighs now: by turns in its own session, by
    hours (half-life) when it came from another session of the identity."""
    if e.session == session:
        return e.score * FADE_PER_TURN ** max(0, turn - e.turn)
    return aged(e, now)


def aged(e: Evidence, now: float) -> float:
    """One piece of evidence as it weighs now by the hours since it came (half-life)."""
    hours = max(0.0, (now - e.at) / 3600)
    return e.score * math.pow(0.5, hours / HALF_LIFE_HOURS)


def merged(one: dict[str, Any], other: dict[str, Any]) -> dict[str, Any] | None:
    """Two remembered states of one identity as one: all evidence and changes, the
    latest instant. None when either cannot be read (the caller keeps both)."""
    try:
        a, b = Identity.from_state(one or {}), Identity.from_state(other or {})
    except (TypeError, ValueError, AttributeError):
        return None
    return Identity(
        evidence=sorted([*a.evidence, *b.evidence], key=lambda e: e.at),
        changes=sorted([*a.changes, *b.changes], key=lambda c: c.at),
        last_at=max(a.last_at, b.last_at),
    ).to_state()
