"""Runtime decisions: allow, step up, hold or deny each requested action."""

from channelguard.decide.session import Decider, Decision

__all__ = ["Decider", "Decision"]
