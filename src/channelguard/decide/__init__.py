"""Runtime decisions: allow, step up, hold or deny each requested action."""

from channelguard.decide.decision import Decision
from channelguard.decide.session import Decider
from channelguard.decide.step import Outcome

__all__ = ["Decider", "Decision", "Outcome"]
