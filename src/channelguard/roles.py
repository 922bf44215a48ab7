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

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        """`tool` (a tool's result, as agent frameworks name it) is a document: text
        from outside that the agent reads, where planted instructions are judged."""
        return cls.DOCUMENT if value == "tool" else None

    @property
    def inbound(self) -> bool:
        """Text that comes from outside: a customer or a document the agent reads."""
        return self in (Role.USER, Role.CUSTOMER, Role.DOCUMENT)
