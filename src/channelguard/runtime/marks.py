"""A feedback mark as the edges take it (the API's body, a CLI line): the
register's FeedbackIn, and its detector one the guard has. The register checks
only the id's shape; which detectors exist is the guard's to say, and the
register does not import the guard."""

from __future__ import annotations

from pydantic import field_validator

from channelguard.register import feedback

__all__ = ["FeedbackIn"]


class FeedbackIn(feedback.FeedbackIn):
    __doc__ = feedback.FeedbackIn.__doc__

    @field_validator("detector")
    @classmethod
    def _known_detector(cls, value: str) -> str:
        from channelguard.guard.registry import build_registry

        known = build_registry()
        if value not in known:
            raise ValueError(f"unknown detector '{value}'; known: {', '.join(known)}")
        return value
