"""channelguard in the OpenAI Agents SDK (`pip install 'channelguard[agents]'`).

    cg = AgentGuard(model="examples/bank.yaml", actions={"send_wire": "wire_transfer"})
    agent = Agent(name="bank", input_guardrails=[cg.input_guardrail()],
                  output_guardrails=[cg.output_guardrail()],
                  tools=[function_tool(send_wire, tool_input_guardrails=[cg.tool_guardrail()])])

- The input guardrail inspects the user's message (role `user`) and trips on a
  security finding at the guard's threshold. It runs before the model is called
  (`run_in_parallel=False`): an injection never reaches the model.
- The output guardrail inspects the agent's reply (role `assistant`) and trips
  on a safety finding at the threshold: personal data, a commitment the agent may
  not make (a refund, a fee waived).
- The tool guard asks `decide` before a tool mapped to a channel-model action
  runs. `allow` runs the tool. `step_up`, `hold` and `deny` replace the tool's
  result with a text naming the evidence needed or the reason (the model reads
  it and tells the customer); the decisions in `tripwire_on` raise
  ToolInputGuardrailTripwireTriggered instead. A tool that maps to no action
  runs unguarded; a mapped action the model does not know is denied.

The session is `session_of(run_context)`: by default the context's `session`
key or attribute, or the context itself when it is a string. The user's
messages and `verified()` are the session's evidence for `decide`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from channelguard import Guard, InputError, LoadedModel
from channelguard.errors import DependencyError
from channelguard.integrations import core

try:
    from agents import (
        Agent,
        GuardrailFunctionOutput,
        InputGuardrail,
        OutputGuardrail,
        RunContextWrapper,
        ToolGuardrailFunctionOutput,
        ToolInputGuardrail,
        ToolInputGuardrailData,
    )
except ImportError:  # pragma: no cover - exercised in a subprocess test
    raise DependencyError("openai-agents", "agents") from None

if TYPE_CHECKING:
    from channelguard import Decider

__all__ = ["AgentGuard", "session_from_context"]

DecisionName = Literal["step_up", "hold", "deny"]


def session_from_context(context: Any) -> str:
    """The session id a run context carries: a string, a `session` key or attribute."""
    if isinstance(context, str):
        return context
    found = (
        context.get("session") if isinstance(context, dict) else getattr(context, "session", None)
    )
    if not isinstance(found, str) or not found:
        raise InputError("the run context names no session (pass context={'session': ...})")
    return found


class AgentGuard:
    """One guard (and, given a channel model, one Decider) for an agent's runs."""

    def __init__(
        self,
        *,
        model: LoadedModel | str | Path | None = None,
        guard: Guard | None = None,
        channel: str = "ai_chat",
        actions: dict[str, str] | None = None,
        tripwire_on: Iterable[DecisionName] = (),
        session_of: Callable[[Any], str] = session_from_context,
    ) -> None:
        self.guard = core.make_guard(guard)
        self.decider = core.make_decider(model, self.guard) if model is not None else None
        self.channel = channel
        self.actions = dict(actions or {})  # tool name -> channel-model action id
        if self.actions and self.decider is None:
            raise InputError("actions need a channel model (model=...) to decide on")
        self.tripwire_on = frozenset(tripwire_on)
        self.session_of = session_of

    def verified(self, session: str, factor: str, *, passed: bool = True) -> None:
        """Tell `decide` the session passed (or failed) a verification factor."""
        core.record_verification(self._decider(), session=session, factor=factor, passed=passed)

    def input_guardrail(self) -> InputGuardrail[Any]:
        async def channelguard_input(
            ctx: RunContextWrapper[Any], agent: Agent[Any], data: str | list[Any]
        ) -> GuardrailFunctionOutput:
            text = last_user_text(data)
            if self.decider is None:
                check = core.guard_text(self.guard, text, role="user", domain="security")
            else:  # the message is also the session's evidence for the tool guard
                session = self.session_of(ctx.context)
                check = core.guard_message(
                    self.guard, self.decider, session=session, channel=self.channel, text=text
                )
            return GuardrailFunctionOutput(
                output_info=check.to_dict(), tripwire_triggered=check.blocked
            )

        return InputGuardrail(guardrail_function=channelguard_input, run_in_parallel=False)

    def output_guardrail(self) -> OutputGuardrail[Any]:
        async def channelguard_output(
            ctx: RunContextWrapper[Any], agent: Agent[Any], output: Any
        ) -> GuardrailFunctionOutput:
            text = output if isinstance(output, str) else str(output)
            check = core.guard_text(self.guard, text, role="assistant", domain="safety")
            return GuardrailFunctionOutput(
                output_info=check.to_dict(), tripwire_triggered=check.blocked
            )

        return OutputGuardrail(guardrail_function=channelguard_output)

    def tool_guardrail(self) -> ToolInputGuardrail[Any]:
        async def channelguard_tool(data: ToolInputGuardrailData) -> ToolGuardrailFunctionOutput:
            action = self.actions.get(data.context.tool_name)
            if action is None:
                return ToolGuardrailFunctionOutput.allow()
            check = core.decide_action(
                self._decider(),
                session=self.session_of(data.context.context),
                channel=self.channel,
                action=action,
            )
            if check.allowed:
                return ToolGuardrailFunctionOutput.allow(output_info=check.detail)
            if check.decision in self.tripwire_on:
                return ToolGuardrailFunctionOutput.raise_exception(output_info=check.detail)
            return ToolGuardrailFunctionOutput.reject_content(check.text, output_info=check.detail)

        return ToolInputGuardrail(guardrail_function=channelguard_tool)

    def _decider(self) -> Decider:
        if self.decider is None:
            raise InputError("this needs a channel model: AgentGuard(model=...)")
        return self.decider


def last_user_text(data: str | list[Any]) -> str:
    """The text of the last user message of an agent's input (a string or items)."""
    if isinstance(data, str):
        return data
    for item in reversed(data):
        if not isinstance(item, dict) or item.get("role") != "user":
            continue
        content = item.get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            parts = [p.get("text", "") for p in content if isinstance(p, dict)]
            return "\n".join(p for p in parts if isinstance(p, str))
    return ""
