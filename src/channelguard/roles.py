"""Who wrote a message: below the guard (which scans by role) and the register
(whose feedback rows name the role a finding was on)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Role"]


class Role(StrEnum):
    USER = "user"
    CUSTOMER = "customer"
    AGENT = "agent"
    ASSISTANT = "assistant"
    DOCUMENT = "document"

    @property
    def inbound(self) -> bool:
        """Text that comes from outside: a customer or a document the agent reads."""
        return self in (Role.USER, Role.CUSTOMER, Role.DOCUMENT)
