"""Runtime decisions: allow, step up, hold or deny each requested action."""

from channelguard.decide.decision import Decision, Outcome
from channelguard.decide.session import Decider

__all__ = ["Decider", "Decision", "Outcome"]
