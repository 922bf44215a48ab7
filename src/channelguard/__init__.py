"""channelguard: safety and security for AI in customer channels.

Public API: load a channel model and review it.

    from channelguard import load_model, run_review
    result = run_review(load_model("examples/bank.yaml"))

and inspect messages in a customer channel:

    from channelguard import Guard
    verdict = Guard().inspect("Ignore previous instructions", role="user")

and decide requested actions at run time:

    from channelguard import Decider
    decider = Decider(load_model("examples/bank.yaml"))
    decision = decider.feed({"session": "s1", "type": "action_request", ...})
"""

from channelguard.decide.session import Decider, Decision
from channelguard.errors import (
    BlockedError,
    ChannelGuardError,
    DependencyError,
    InputError,
    Issue,
    ModelError,
)
from channelguard.guard.guard import Guard
from channelguard.guard.types import Domain, Finding, Message, Role, ScanResult
from channelguard.model.loader import LoadedModel, lint_file, load_data
from channelguard.model.loader import load_file as load_model
from channelguard.review.review import Review, run_review

__all__ = [
    "BlockedError",
    "ChannelGuardError",
    "Decider",
    "Decision",
    "DependencyError",
    "Domain",
    "Finding",
    "Guard",
    "InputError",
    "Issue",
    "LoadedModel",
    "Message",
    "ModelError",
    "Review",
    "Role",
    "ScanResult",
    "lint_file",
    "load_data",
    "load_model",
    "run_review",
]
__version__ = "0.1.0"
