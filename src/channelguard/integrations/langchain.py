"""channelguard in LangChain and LangGraph (`pip install 'channelguard[langchain]'`).

- `guard_runnable(direction="input")` is a Runnable for a chain: `guard | model`.
  It passes its input through unchanged when the guard finds nothing and raises
  BlockedError (carrying the check) when it blocks; `on_block="marker"` returns a
  `Blocked` instead, for a chain that routes on it. `direction="output"` guards
  the model's reply (`model | guard_runnable(direction="output")`) for safety.
- `guard_node()` is a LangGraph node over `GuardedState` (MessagesState plus the
  last check): it inspects the last message (a human or tool message for
  security, an AI message for safety). Blocked, it answers with `refusal`: after
  a human message it appends it; an unsafe AI reply it replaces (same id), so the
  customer never sees it. `route_on_guard` is the edge: "blocked" or "allowed".

What is inspected: a string, a message, a list of messages or a prompt value
(the last human message going in; the AI message coming out).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from channelguard import BlockedError, Guard, InputError
from channelguard.errors import DependencyError
from channelguard.integrations import core

try:
    from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
    from langchain_core.prompt_values import PromptValue
    from langchain_core.runnables import RunnableLambda
    from langgraph.graph import MessagesState
except ImportError:  # pragma: no cover - exercised in a subprocess test
    raise DependencyError("langchain-core and langgraph", "langchain") from None

__all__ = ["Blocked", "GuardedState", "guard_node", "guard_runnable", "route_on_guard"]

REFUSAL = "I can't help with that here. A colleague can take it from here."
Direction = Literal["input", "output"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Blocked:
    """The marker `on_block="marker"` returns in place of a blocked input."""

    check: dict[str, Any]


class GuardedState(MessagesState):
    channelguard: dict[str, Any]  # the guard's check of the last message


def guard_runnable(
    guard: Guard | None = None,
    *,
    direction: Direction = "input",
    on_block: Literal["raise", "marker"] = "raise",
) -> RunnableLambda[Any, Any]:
    """A Runnable that guards what passes through it (see the module docstring)."""
    loaded = core.make_guard(guard)

    def channelguard_guard(value: Any) -> Any:
        check = _check(loaded, _text(value, direction), direction)
        if not check.blocked:
            return value
        if on_block == "marker":
            return Blocked(check=check.to_dict())
        raise BlockedError(check.to_dict())

    return RunnableLambda(channelguard_guard, name=f"channelguard_{direction}")


def guard_node(
    guard: Guard | None = None, *, refusal: str = REFUSAL
) -> Callable[[GuardedState], dict[str, Any]]:
    """A LangGraph node that guards the last message of the state."""
    loaded = core.make_guard(guard)

    def channelguard_node(state: GuardedState) -> dict[str, Any]:
        messages = state["messages"]
        if not messages:
            raise InputError("the state has no message to guard")
        last = messages[-1]
        direction: Direction = "output" if isinstance(last, AIMessage) else "input"
        role: core.RoleName = "document" if isinstance(last, ToolMessage) else "user"
        check = _check(loaded, last.text, direction, role=role)
        update: dict[str, Any] = {"channelguard": check.to_dict()}
        if check.blocked and direction == "output":
            update["messages"] = [AIMessage(content=refusal, id=last.id)]  # replaces it
        elif check.blocked:
            update["messages"] = [AIMessage(content=refusal)]
        return update

    return channelguard_node


def route_on_guard(state: GuardedState) -> Literal["blocked", "allowed"]:
    """The edge after guard_node: fail closed when no check was made."""
    check = state.get("channelguard")
    return "allowed" if check is not None and not check["blocked"] else "blocked"


def _check(
    guard: Guard, text: str, direction: Direction, *, role: core.RoleName = "user"
) -> core.GuardCheck:
    if direction == "output":
        return core.guard_text(guard, text, role="assistant", domain="safety")
    return core.guard_text(guard, text, role=role, domain="security")


def _text(value: Any, direction: Direction) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, BaseMessage):
        return value.text
    if isinstance(value, PromptValue):
        value = value.to_messages()
    if isinstance(value, Sequence):
        kind = AIMessage if direction == "output" else HumanMessage
        for message in reversed(value):
            if isinstance(message, kind):
                return message.text
        return ""
    raise InputError(f"cannot guard a {type(value).__name__}: pass text, messages or a prompt")
