"""Who wrote a message: below the guard (which scans by role) and the register
(whose feedback rows name the role a finding was on)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

__all__ = ["ROLE_ALIASES", "Role", "role_names"]

# names agent frameworks use, read as one of the roles
ROLE_ALIASES = {"tool": "document"}


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
        if not isinstance(value, str) or value == value.strip().lower():
            alias = ROLE_ALIASES.get(value) if isinstance(value, str) else None
            return None if alias is None else cls(alias)
        # "Document", " user ": the same role however it is cased or spaced
        return cls(value.strip().lower())

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """The service's OpenAPI lists the aliases as the validator takes them."""
        schema: dict[str, Any] = handler.resolve_ref_schema(handler(core_schema))
        schema["enum"] = list(role_names())
        schema["description"] = "who wrote the text; 'tool' (a tool's result) is read as 'document'"
        return schema

    @property
    def inbound(self) -> bool:
        """Text that comes from outside: a customer or a document the agent reads."""
        return self in (Role.USER, Role.CUSTOMER, Role.DOCUMENT)


def role_names() -> tuple[str, ...]:
    """Every name a role is given by: the roles, then their aliases."""
    return (*(r.value for r in Role), *ROLE_ALIASES)
