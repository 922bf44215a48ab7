"""Decision state kept in memory: a replay's sessions and identities.

The service keeps this state in the database (runtime/store.py); a replay
(`channelguard decide FILE`) and the Python API (`Decider.feed`) keep it
here. Past `max_sessions` the least recently used session is forgotten, past
`max_identities` the least recently seen identity.
"""

from __future__ import annotations

from collections import OrderedDict

from channelguard.decide.memory import Memory
from channelguard.decide.state import SessionState
from channelguard.decide.step import RunState

__all__ = ["LocalState"]


class LocalState:
    def __init__(self, *, max_sessions: int = 100_000, max_identities: int = 100_000) -> None:
        self.max_sessions = max_sessions
        self.sessions: OrderedDict[str, SessionState] = OrderedDict()
        self.memory = Memory(max_identities)

    def state(self, session_id: str) -> RunState:
        """The session's state for one step (its session None when not held)."""
        return RunState(
            session_id=session_id, session=self.sessions.get(session_id), memory=self.memory
        )

    def keep(self, state: RunState) -> None:
        """Hold the stepped session as the most recently used."""
        if state.session is None:
            return
        self.sessions[state.session_id] = state.session
        self.sessions.move_to_end(state.session_id)
        while len(self.sessions) > self.max_sessions:
            self.sessions.popitem(last=False)
