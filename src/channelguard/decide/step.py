"""What one step of the Decider takes (RunState) and gives (Outcome)."""

from __future__ import annotations

from dataclasses import dataclass

from channelguard.decide.decision import Decision
from channelguard.decide.memory import Memory
from channelguard.decide.state import SessionState

__all__ = ["Outcome", "RunState"]


@dataclass(kw_only=True)
class RunState:
    """What one step of the Decider reads and updates: the session (None: not seen
    yet, or forgotten) and the memory of the identities it touches. The caller
    owns it: the service loads it from the database for one batch and stores it
    back; a replay keeps it in memory (local.py)."""

    session_id: str
    session: SessionState | None
    memory: Memory


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """One step of the Decider: the state after the event, the decision (action
    requests only), lenient-mode warnings, and what was wrong with the event (an
    error event: not taken; a marked session cannot get T2+ actions allowed)."""

    state: RunState
    decision: Decision | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
