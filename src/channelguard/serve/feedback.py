"""`/v1/feedback`: a deployment marks findings wrong, right or missed, for its
own tenant (the key's, never the body's), with a key of the `feedback` scope
(or admin): marks move the tenant's operating points, so an ingest key, which
agent integrations embed, cannot write them. Reads (`read`) see the key's
tenant only (another tenant's mark is 404). Calibration reads them offline:
`channelguard guard calibrate`. Keys' request rates and the body size are
limited as on every route (auth.py, body.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from channelguard.register.feedback import MAX_PAGE
from channelguard.register.keys import ApiKey
from channelguard.register.records import MAX_ROW_ID
from channelguard.runtime.marks import FeedbackIn
from channelguard.serve.auth import require

__all__ = ["FeedbackOut", "FeedbackPage", "feedback_router"]

Marking = Annotated[ApiKey, Depends(require("feedback"))]
Read = Annotated[ApiKey, Depends(require("read"))]
Label = Literal["false_positive", "missed", "confirmed"]


class FeedbackOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    tenant: str
    created_at: str
    actor: str
    label: Label
    detector: str
    rule: str | None
    score: float | None
    role: str
    channel: str | None
    note: str
    ref: str | None
    text: str | None  # as stored: personal data redacted


class FeedbackPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[FeedbackOut]
    total: int
    limit: int
    offset: int


def feedback_router() -> APIRouter:
    router = APIRouter(tags=["guard"])

    @router.post(
        "/v1/feedback",
        status_code=201,
        responses={201: {"model": FeedbackOut, "description": "the mark stored"}},
    )
    def mark(body: FeedbackIn, key: Marking, request: Request) -> JSONResponse:
        """Mark a finding `false_positive` or `confirmed`, or a message a detector
        `missed`, for the key's tenant. The text is kept only if sent (redacted)."""
        if key.tenant is None:
            raise HTTPException(403, "this key is global (no tenant): mark with a tenant's key")
        stored = request.app.state.service.feedback.add(body, key.actor, tenant=key.tenant)
        return JSONResponse(
            stored, status_code=201, headers={"Location": f"/v1/feedback/{stored['id']}"}
        )

    @router.get("/v1/feedback", response_model=FeedbackPage)
    def marks(
        key: Read,
        request: Request,
        label: Label | None = None,
        detector: Annotated[str | None, Query(max_length=64)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
    ) -> dict[str, Any]:
        """The key's tenant's marks, newest first (a global admin key: every tenant's)."""
        items, total = request.app.state.service.feedback.list(
            tenant=key.tenant, label=label, detector=detector, limit=limit, offset=offset
        )
        return {"items": items, "total": total, "limit": limit, "offset": offset}

    @router.get("/v1/feedback/{feedback_id}", response_model=FeedbackOut)
    def one(
        feedback_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], key: Read, request: Request
    ) -> dict[str, Any]:
        """One mark; another tenant's is 404."""
        found: dict[str, Any] = request.app.state.service.feedback.get(
            feedback_id, tenant=key.tenant
        )
        return found

    return router
