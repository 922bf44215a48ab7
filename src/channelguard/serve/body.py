"""The request body, checked before any route reads it:

- size: over the limit is 413 however it is sent (a declared Content-Length, a
  false one, or chunked): the bytes are counted as they arrive, and the route
  never starts, so no parser can turn the overflow into a 400;
- JSON nesting: deeper than MAX_DEPTH levels is 422, found by a scan of the
  brackets before anything parses (parsers recurse: a 500 and a traceback);
- duplicate keys: an object that names a key twice is 422 (parsers keep the
  last, so `"result": "fail", "result": "pass"` would pass as "pass").

The body read here is handed on to the route unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from channelguard.lines import MAX_DEPTH, json_depth
from channelguard.serve.errors import error_response

__all__ = ["RequestBody"]


class _Duplicate(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


def json_problem(raw: bytes) -> str | None:
    """Why this JSON body is refused before parsing (nesting, a duplicate key), or
    None. A body that is not JSON is left for the route to refuse."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.count("[") + text.count("{") > MAX_DEPTH and json_depth(text) > MAX_DEPTH:
        return f"the JSON body is nested deeper than {MAX_DEPTH} levels"
    try:
        json.loads(text, object_pairs_hook=_no_duplicates)
    except _Duplicate as exc:
        return f"the JSON body names the key '{str(exc.args[0])[:100]}' twice in one object"
    except (ValueError, RecursionError):
        return None  # not JSON: the route says so, naming the field
    return None


def _is_json(scope: Scope) -> bool:
    headers = dict(scope.get("headers", []))
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind in (b"", b"application/json") or kind.endswith(b"+json")


class RequestBody:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send, 413, f"request body over {self.max_bytes:,} bytes")
            return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                await self._refuse(scope, send, 413, f"request body over {self.max_bytes:,} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        problem = json_problem(raw) if raw and _is_json(scope) else None
        if problem is not None:
            await self._refuse(scope, send, 422, problem)
            return
        await self.app(scope, _replay(raw, receive), send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await error_response(status, message)(scope, nothing, send)


def _replay(raw: bytes, receive: Receive) -> Receive:
    """The body once, then whatever the server says next (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replay
