"""`channelguard mcp`: serve scan, decide and review as MCP tools (stdio, or
streamable HTTP on loopback), for agents that speak the Model Context Protocol.
Needs the mcp extra: `pip install 'channelguard[mcp]'`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from channelguard.cli_support import guarded

__all__ = ["mcp"]


class McpTransport(StrEnum):
    stdio = "stdio"
    http = "streamable-http"


def mcp(
    model: Annotated[
        list[Path] | None,
        typer.Option(
            "--model",
            metavar="<path>",
            help="A channel model to serve (repeat for more); id: its stem",
        ),
    ] = None,
    transport: Annotated[
        McpTransport, typer.Option(help="stdio (a client starts us) or streamable-http")
    ] = McpTransport.stdio,
    host: Annotated[str, typer.Option(help="streamable-http: the address to listen on")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="streamable-http: the port")] = 8765,
) -> None:
    """Serve scan, decide and review as MCP tools (and guard_tool_output for tool results)."""

    def run() -> None:
        from channelguard.integrations.mcp_server import serve

        serve(models=list(model or []), transport=transport.value, host=host, port=port)

    guarded(run)
