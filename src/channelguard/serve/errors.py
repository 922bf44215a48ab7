"""One JSON error shape for every route:

{"error": {"status": 404, "code": "not_found", "message": "no incident 7",
           "details": []}}
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from channelguard.errors import (
    ChannelGuardError,
    ConfigError,
    ConflictError,
    InputError,
    ModelError,
    NotFoundError,
    StorageError,
)

__all__ = ["ERROR_SCHEMA", "UNAVAILABLE", "error_response", "install_error_handlers"]

UNAVAILABLE = "the service is unavailable: retry later"
log = logging.getLogger("channelguard.serve")

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media",
         422: "invalid", 429: "rate_limited", 500: "internal", 503: "unavailable"}  # fmt: skip

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "details"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "array", "items": {"type": "object"}},
            },
        }
    },
}


def error_response(
    status: int,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {
        "error": {
            "status": status,
            "code": CODES.get(status, "error"),
            "message": message,
            "details": details or [],
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


def _status(exc: ChannelGuardError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, StorageError):
        return 503
    if isinstance(exc, ConfigError):
        return 500
    if isinstance(exc, InputError | ModelError):
        return 422
    return 400


def _detail(e: Any) -> dict[str, str]:
    loc = list(e.get("loc", ()))
    if e.get("type") == "json_invalid" and len(loc) == 2 and isinstance(loc[1], int):
        # FastAPI puts the character position where a field name goes ("body.25"): say
        # it is the body, and where the JSON broke
        return {"field": str(loc[0]), "message": f"not valid JSON at character {loc[1]}"}
    return {"field": ".".join(str(p) for p in loc), "message": str(e.get("msg"))}


def _invalid_response(errors: Sequence[Any]) -> JSONResponse:
    details = [_detail(e) for e in errors]
    first = details[0] if details else {"field": "", "message": "invalid request"}
    return error_response(422, f"{first['field']}: {first['message']}", details)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ChannelGuardError)
    async def _ours(request: Request, exc: ChannelGuardError) -> JSONResponse:
        if isinstance(exc, StorageError) and getattr(request.state, "key", None) is None:
            # the database's host, name or path are not for a caller without a key
            # (nor one whose key could not be checked): the operator's log has them
            log.warning("503 to a caller without a verified key: %s", exc)
            return error_response(503, UNAVAILABLE)
        details = [{"issue": str(i)} for i in getattr(exc, "issues", ())]
        return error_response(
            _status(exc), str(exc).splitlines()[0] if str(exc) else "error", details
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid_response(exc.errors())

    @app.exception_handler(ValidationError)
    async def _invalid_inside(_: Request, exc: ValidationError) -> JSONResponse:
        # a record built from what the client sent did not validate: the client's
        # input, named by field, not a 500 (the transaction rolled back)
        return _invalid_response(exc.errors())

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception) -> JSONResponse:
        # nothing was committed (the transaction rolled back); say so, never leak a traceback
        return error_response(500, f"internal error, nothing was stored: {type(exc).__name__}")
