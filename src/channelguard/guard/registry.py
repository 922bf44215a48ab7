"""Detectors by id, from the built-in list plus `channelguard.detectors` entry points."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from channelguard.errors import ChannelGuardError

__all__ = ["DuplicateDetector", "build_registry"]


class DuplicateDetector(ChannelGuardError):
    pass


def build_registry(extra: list[Any] | None = None, *, plugins: bool = True) -> dict[str, Any]:
    from channelguard.guard.detectors import BUILTIN

    classes = [*BUILTIN, *(extra or [])]
    if plugins:
        classes += [ep.load() for ep in entry_points(group="channelguard.detectors")]
    registry: dict[str, Any] = {}
    for cls in classes:
        if cls.id in registry:
            raise DuplicateDetector(f"two detectors share the id '{cls.id}'")
        registry[cls.id] = cls
    return registry
