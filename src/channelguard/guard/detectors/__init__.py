"""Built-in detectors: one list, one registry."""

from channelguard.guard.detectors.learned import ENCODER_DETECTORS
from channelguard.guard.detectors.safety import SAFETY_DETECTORS
from channelguard.guard.detectors.security import SECURITY_DETECTORS

BUILTIN = [*SECURITY_DETECTORS, *SAFETY_DETECTORS, *ENCODER_DETECTORS]

__all__ = ["BUILTIN"]
