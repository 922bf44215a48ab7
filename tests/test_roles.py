"""Roles as every entry point parses them."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from channelguard.roles import Role


class _Line(BaseModel):
    role: Role


def test_tool_is_read_as_a_document_everywhere_a_role_is_parsed() -> None:
    """A new user labelled a tool result `"role": "tool"` and had it refused; agent
    frameworks call it that. It is a document (inbound, planted instructions judged)."""
    assert Role("tool") is Role.DOCUMENT and Role.DOCUMENT.inbound
    assert _Line.model_validate({"role": "tool"}).role is Role.DOCUMENT
    with pytest.raises(ValueError):
        Role("robot")
