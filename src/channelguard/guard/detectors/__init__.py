"""Built-in detectors: one list, one registry."""

from channelguard.guard.detectors.learned import ENCODER_DETECTORS
from channelguard.guard.detectors.recognizers import RECOGNIZERS
from channelguard.guard.detectors.rulepack import RulePack
from channelguard.guard.detectors.safety import SAFETY_DETECTORS
from channelguard.guard.detectors.security import SECURITY_DETECTORS

BUILTIN = [*SECURITY_DETECTORS, RulePack, *SAFETY_DETECTORS, *RECOGNIZERS, *ENCODER_DETECTORS]

__all__ = ["BUILTIN"]
