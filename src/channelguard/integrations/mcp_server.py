"""channelguard over MCP (`pip install 'channelguard[mcp]'`): the `channelguard
mcp` server, and a guard for tool results coming back from other MCP servers.

The server's tools:
- `scan(text, role)`: the guard's verdict, as `channelguard scan` writes it.
- `decide(events, model)`: feed runtime events (io-formats.md) to the Decider
  of a served channel model; one decision for each action_request. Sessions
  live as long as the server, so an agent can feed a session call by call.
- `review(model)`: the review of a served channel model, as `review --format json`.
- `guard_tool_output(text)`: the guard on a tool's output (role `document`):
  blocked on a security finding at the threshold (an injection in tool output).

A client names a served model by its file stem (`bank` for examples/bank.yaml);
the server reads no other file, so no client can make it open one.

`guard_tool_result(result, guard)` is for an MCP client: it inspects the text of
a result another server returned and, on an injection, returns an error result
naming the finding in its place, so the agent never reads the injected text.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from channelguard import ChannelGuardError, Guard, InputError
from channelguard.errors import DependencyError
from channelguard.integrations import core

try:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp_types import CallToolResult, TextContent
except ImportError:  # pragma: no cover - exercised in a subprocess test
    raise DependencyError("mcp", "mcp") from None

if TYPE_CHECKING:
    from channelguard import Decider

__all__ = ["build_server", "check_tool_result", "check_tool_text", "guard_tool_result"]

Transport = Literal["stdio", "streamable-http"]


class _Models:
    """The served channel models by id (file stem), each with its one Decider."""

    def __init__(self, paths: Sequence[Path], guard: Guard) -> None:
        self.paths: dict[str, Path] = {}
        for path in paths:
            if path.stem in self.paths:
                raise InputError(f"{path}: two served models share the id {path.stem!r}")
            self.paths[path.stem] = path
        self.guard = guard
        self.deciders: dict[str, Decider] = {}
        # the mcp library runs a sync tool in a worker thread, and a Decider's sessions
        # are not safe to change from two at once: one decide call at a time
        self.lock = threading.Lock()

    def path(self, model: str) -> tuple[str, Path]:
        if not self.paths:
            raise InputError("this server serves no channel model (start it with --model)")
        key = model or next(iter(self.paths))
        if key not in self.paths:
            raise InputError(f"model {key!r} is not served; served: {', '.join(self.paths)}")
        return key, self.paths[key]

    def decider(self, model: str) -> Decider:
        key, path = self.path(model)
        if key not in self.deciders:
            self.deciders[key] = core.make_decider(path, self.guard)
        return self.deciders[key]


def _answer(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A tool's answer; our errors reach the client as its error text (a bug stays
    on the server, as the mcp library does for any crash)."""
    try:
        return run()
    except ChannelGuardError as exc:
        raise ToolError(str(exc)) from None


def build_server(*, models: Sequence[Path] = (), guard: Guard | None = None) -> MCPServer:
    """The channelguard MCP server over the given channel models."""
    loaded_guard = core.make_guard(guard)
    served = _Models(list(models), loaded_guard)
    for path in served.paths.values():
        core.make_decider(path, loaded_guard)  # a bad model fails at start, not mid-call
    server: MCPServer = MCPServer(
        name="channelguard",
        instructions="Guard messages, decide requested actions, review channel models.",
    )

    @server.tool()
    def scan(text: str, role: core.RoleName = "user") -> dict[str, Any]:
        """Inspect one message: prompt injection, jailbreak, fraud, personal data,
        harmful requests. Returns flagged, score and the findings."""
        return _answer(lambda: core.scan_text(loaded_guard, text, role=role))

    @server.tool()
    def decide(events: list[dict[str, Any]], model: str = "") -> dict[str, Any]:
        """Feed runtime events (message, verification, signal, action_request, each
        with a session) and get allow / step_up / hold / deny for each action_request."""

        def run() -> dict[str, Any]:
            with served.lock:
                return {"decisions": core.decide_events(served.decider(model), events)}

        return _answer(run)

    @server.tool()
    def review(model: str = "") -> dict[str, Any]:
        """Review a served channel model: the cheapest impersonation path to each
        action and the plan that raises it."""
        return _answer(lambda: core.review_model(served.path(model)[1]))

    @server.tool()
    def guard_tool_output(text: str) -> dict[str, Any]:
        """Inspect a tool's output before an agent reads it: blocked when it carries
        an injection (a security finding at the guard's threshold)."""
        return _answer(lambda: check_tool_text(text, loaded_guard).to_dict())

    return server


def check_tool_text(text: str, guard: Guard) -> core.GuardCheck:
    """The guard on a tool's output: a document, blocked on a security finding."""
    return core.guard_text(guard, text, role="document", domain="security")


def check_tool_result(result: CallToolResult, guard: Guard) -> core.GuardCheck:
    """The guard on everything a tool result says (its text and structured content)."""
    parts = [block.text for block in result.content if isinstance(block, TextContent)]
    if result.structured_content is not None:
        parts.append(json.dumps(result.structured_content, ensure_ascii=False))
    return check_tool_text("\n".join(parts), guard)


def guard_tool_result(result: CallToolResult, guard: Guard) -> CallToolResult:
    """`result` when it is clean; an error result naming the finding when it is not."""
    check = check_tool_result(result, guard)
    if not check.blocked:
        return result
    text = f"channelguard withheld this tool result: {check.reason}"
    return CallToolResult(content=[TextContent(text=text)], is_error=True)


def serve(
    *, models: Sequence[Path], transport: Transport, host: str = "127.0.0.1", port: int = 8765
) -> None:
    """Run the server until its client goes (stdio) or it is stopped (HTTP)."""
    server = build_server(models=models)
    if transport == "stdio":
        server.run("stdio")
    else:
        server.run("streamable-http", host=host, port=port)
