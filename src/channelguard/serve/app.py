"""The FastAPI application over a started Service. Every route but /healthz
(and /docs and /openapi.json when `docs: open`) needs an API key with the
route's scope; every error has one JSON shape.
A key reaches its own tenant's sessions and incidents only: a session is the
tenant's and the client's id together (another tenant's of the same id is
another session), another tenant's incident is 404, as if it did not exist (a
global admin key reaches every tenant's incidents and sends no events)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import text
from starlette.routing import Match

from channelguard import __version__
from channelguard.guard.types import Role
from channelguard.lines import scrub
from channelguard.register.db import Instant
from channelguard.register.export import MEDIA_TYPES, export_incidents
from channelguard.register.keys import ApiKey
from channelguard.register.records import (
    MAX_ROW_ID,
    EvidenceIn,
    IncidentIn,
    IncidentPatch,
    LinkIn,
    StepCheck,
)
from channelguard.register.store import MAX_PAGE, Filters
from channelguard.register.tables import DEFAULT_TENANT
from channelguard.register.vocab import Cause, IncidentDomain, OwnerRole, Severity, Status
from channelguard.serve.auth import health, require
from channelguard.serve.body import RequestBody
from channelguard.serve.cost import check_event_text, scan_within
from channelguard.serve.docs import install_docs
from channelguard.serve.errors import ERROR_SCHEMA, install_error_handlers
from channelguard.serve.feedback import feedback_router
from channelguard.serve.metrics import Metrics
from channelguard.serve.schemas import (
    BatchOut,
    EvidenceAdded,
    Health,
    IncidentOut,
    IncidentPage,
    PlaybookList,
    ScanOut,
    TimelineOut,
)
from channelguard.serve.service import Service
from channelguard.serve.telemetry import instrument
from channelguard.serve.ui import install_ui
from channelguard.serve.webhooks.worker import WebhookWorker

__all__ = ["create_app"]

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": why, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for code, why in [(401, "no valid API key"), (403, "the key lacks the scope"),
                      (404, "not found"), (409, "conflict"), (413, "request too large"),
                      (422, "invalid request"), (429, "the key is over its request rate"),
                      (503, "database unavailable")]
}  # fmt: skip

Ingest = Annotated[ApiKey, Depends(require("ingest"))]
Read = Annotated[ApiKey, Depends(require("read"))]
Admin = Annotated[ApiKey, Depends(require("admin"))]
IncidentId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
SessionId = Annotated[str, Path(min_length=1, max_length=200)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScanMessage(_Body):
    text: str = Field(max_length=1_000_000)
    role: Role = Role.USER
    id: str | None = Field(default=None, max_length=200)


class ScanIn(_Body):
    messages: list[ScanMessage] = Field(min_length=1, max_length=100)


class EventsIn(_Body):
    events: list[dict[str, Any]] = Field(min_length=1, max_length=1000)

    @field_validator("events")
    @classmethod
    def _no_lone_surrogates(cls, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # valid in a JSON escape, not in UTF-8: replaced by U+FFFD as `decide` and
        # `scan` do for files, instead of failing at the database or the answer (500)
        cleaned: list[dict[str, Any]] = scrub(events)
        return cleaned


class ReviewIn(_Body):
    plan: bool = False  # the hardening plan can take seconds on large models


def create_app(service: Service) -> FastAPI:
    app = FastAPI(
        title="channelguard",
        version=__version__,
        description="Guard, decide, review and register for AI in customer channels.",
        responses=ERRORS,
        # served by install_docs: from the package's own assets, open or keyed
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
    )
    app.state.service = service
    app.state.metrics = Metrics(service.db)
    app.state.webhooks = None
    install_error_handlers(app)
    app.add_middleware(RequestBody, max_bytes=service.config.max_request_bytes)
    _observe(app)
    _routes(app)
    app.include_router(feedback_router())
    install_docs(app, service.config.docs)
    if service.tracer_provider is not None:
        instrument(app, service.tracer_provider)
    install_ui(app, service)  # the dashboard at /ui
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The webhook worker runs while the app does, when endpoints are configured."""
    service: Service = app.state.service
    metrics: Metrics = app.state.metrics
    worker = None
    if service.config.webhooks:
        worker = WebhookWorker(
            service.db,
            service.config.webhooks,
            service.config.webhook_delivery,
            observe=lambda result: metrics.webhooks.labels(result).inc(),
        ).start()
    app.state.webhooks = worker
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()


# one JSON line per request (serve's `access_log`); the CLI sends it to stderr
ACCESS = logging.getLogger("channelguard.access")


def _observe(app: FastAPI) -> None:
    metrics: Metrics = app.state.metrics
    log_access = app.state.service.config.access_log

    @app.middleware("http")
    async def timing(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        start = time.perf_counter()
        response = await call_next(request)
        route = _route_name(app, request)
        took = time.perf_counter() - start
        metrics.latency.labels(route).observe(took)
        metrics.requests.labels(route, request.method, str(response.status_code)).inc()
        if log_access:
            key = getattr(request.state, "key", None)
            ACCESS.info(
                json.dumps(
                    {
                        "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                        "client": request.client.host if request.client else None,
                        "method": request.method,
                        "route": route,  # the route's template: no ids, no query
                        "status": response.status_code,
                        "ms": round(took * 1000, 1),
                        "key": getattr(key, "id", None),
                        "tenant": getattr(key, "tenant", None),
                    }
                )
            )
        return response


def _route_name(app: FastAPI, request: Request) -> str:
    for route in app.router.routes:
        match, _ = route.matches(request.scope)
        if match is Match.FULL:
            return str(getattr(route, "path", "other"))
    return "unmatched"


def _routes(app: FastAPI) -> None:
    service: Service = app.state.service
    metrics: Metrics = app.state.metrics

    @app.get("/healthz", tags=["service"], response_model=Health, dependencies=[Depends(health)])
    def healthz() -> dict[str, Any]:
        """Liveness and the database: no key needed."""
        with service.db.read() as s:
            s.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "policy": service.policy}

    @app.get(
        "/metrics",
        tags=["service"],
        response_class=PlainTextResponse,
        responses={
            200: {
                "description": "Prometheus text exposition format",
                "content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}},
            }
        },
    )
    def prometheus(key: Read) -> PlainTextResponse:
        body = metrics.exposition(key.tenant)  # drift: the key's own tenant's only
        return PlainTextResponse(body, media_type=CONTENT_TYPE_LATEST)

    @app.post("/v1/scan", tags=["guard"], response_model=ScanOut)
    def scan(body: ScanIn, key: Ingest) -> dict[str, Any]:
        """Inspect messages; one result per message, in order (io-formats `scan`), under
        the key's tenant's calibration if the service has one (guard.calibration)."""
        out = []
        scanned = scan_within(
            service.guard_for(key.tenant),
            [(m.text, m.role) for m in body.messages],
            max_chars=service.config.scan_max_request_chars,
            budget_seconds=service.config.scan_time_budget_seconds,
        )
        for m, found in zip(body.messages, scanned, strict=True):
            result = found.to_dict()
            for f in result["findings"]:
                metrics.findings.labels(f["domain"], f["detector"]).inc()
            out.append({"id": m.id, **result} if m.id is not None else result)
        return {"results": out}

    @app.post("/v1/sessions/{session_id}/events", tags=["decide"], response_model=BatchOut)
    def events(session_id: SessionId, body: EventsIn, key: Ingest) -> dict[str, Any]:
        """A batch of events for one session; the decisions for its action requests.
        Committed before the response: what is acknowledged is stored. The session
        is the key's tenant's: another tenant's of the same id is another session."""
        if key.tenant is None:
            raise HTTPException(
                403, "this key is global (no tenant): send events with a tenant's key"
            )
        check_event_text(body.events, max_chars=service.config.scan_max_request_chars)
        received = service.ledger.receive(session_id, body.events, tenant=key.tenant)
        result = service.ledger.record(session_id, received, tenant=key.tenant, actor=key.actor)
        metrics.events.inc(result.accepted)
        for d in result.decisions:
            metrics.decisions.labels(d["decision"]).inc()
            for f in d.get("findings", []):
                if "detector" in f:
                    metrics.findings.labels("security", f["detector"]).inc()
        for f in result.findings:
            metrics.findings.labels(f.domain.value, f.detector).inc()
        return result.to_dict()

    @app.post("/v1/review", tags=["review"])
    def review(_: Read, body: ReviewIn | None = None) -> dict[str, Any]:
        """Review the served channel model: cheapest paths, findings, plan on request.
        Computed once per model and plan budget, then answered from memory."""
        from channelguard.report.review_json import review_to_dict

        return review_to_dict(service.review(with_plan=bool(body and body.plan)))

    @app.get("/v1/playbooks", tags=["register"], response_model=PlaybookList)
    def playbooks(_: Read) -> dict[str, Any]:
        return {"playbooks": service.playbooks.to_list()}

    @app.get("/v1/playbooks/{playbook_id}", tags=["register"])
    def playbook(playbook_id: Annotated[str, Path(max_length=64)], _: Read) -> dict[str, Any]:
        return service.playbooks.get(playbook_id).model_dump(mode="json")

    @app.get("/v1/incidents", tags=["register"], response_model=IncidentPage)
    def incidents(
        key: Read,
        domain: IncidentDomain | None = None,
        cause: Cause | None = None,
        severity: Annotated[Severity | None, Query(description="this severity or higher")] = None,
        owner: Annotated[OwnerRole | None, Query(description="the lead role")] = None,
        status: Status | None = None,
        since: Instant | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
    ) -> IncidentPage:
        f = Filters(
            domain=domain,
            cause=cause,
            severity=severity,
            owner=owner,
            status=status,
            since=since,
            tenant=key.tenant,
        )
        items, total = service.store.list(f, limit=limit, offset=offset)
        return IncidentPage(items=items, total=total, limit=limit, offset=offset)

    @app.post(
        "/v1/incidents",
        tags=["register"],
        status_code=201,
        responses={201: {"model": IncidentOut, "description": "the incident opened"}},
    )
    def create(body: IncidentIn, key: Admin) -> JSONResponse:
        made = service.store.create(body, key.actor, tenant=key.tenant or DEFAULT_TENANT)
        return JSONResponse(
            made.to_json(),
            status_code=201,
            headers={"Location": f"/v1/incidents/{made.id}", "ETag": f'"{made.version}"'},
        )

    @app.get(
        "/v1/incidents/export",
        tags=["register"],
        response_class=Response,
        responses={
            200: {
                "description": "the incidents in the format asked for",
                "content": {
                    media: {"schema": {"type": "object" if kind in ("json", "stix") else "string"}}
                    for kind, media in MEDIA_TYPES.items()
                },
            }
        },
    )
    def export(
        key: Read,
        format: Literal["json", "csv", "stix", "md"] = "json",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
    ) -> Response:
        """All incidents (newest first, up to `limit`) as JSON, CSV, STIX 2.1 or Markdown."""
        exported = export_incidents(service.store.newest(limit, tenant=key.tenant), format)
        return Response(exported, media_type=MEDIA_TYPES[format])

    @app.get(
        "/v1/incidents/{incident_id}",
        tags=["register"],
        responses={200: {"model": IncidentOut, "description": "the incident"}},
    )
    def get(incident_id: IncidentId, key: Read) -> JSONResponse:
        found = service.store.get(incident_id, tenant=key.tenant)
        return JSONResponse(found.to_json(), headers={"ETag": f'"{found.version}"'})

    @app.get("/v1/incidents/{incident_id}/timeline", tags=["register"], response_model=TimelineOut)
    def timeline(incident_id: IncidentId, key: Read) -> TimelineOut:
        """The audit trail: every change, who made it (the key, the CLI user or the
        automatic filing and the key whose events caused it), old and new values.
        Another tenant's incident is 404, like its other reads."""
        trail = service.store.timeline(incident_id, tenant=key.tenant)
        return TimelineOut(incident=incident_id, timeline=trail)

    @app.patch("/v1/incidents/{incident_id}", tags=["register"], response_model=IncidentOut)
    def change(incident_id: IncidentId, body: IncidentPatch, key: Admin) -> IncidentOut:
        """Change an incident; `version` is the one you read. A stale version is 409."""
        return service.store.update(incident_id, body, key.actor, tenant=key.tenant)

    @app.post("/v1/incidents/{incident_id}/links", tags=["register"], response_model=IncidentOut)
    def link(incident_id: IncidentId, body: LinkIn, key: Admin) -> IncidentOut:
        """Link two incidents; a closed one takes no links (409: reopen it first)."""
        return service.store.link(incident_id, body, key.actor, tenant=key.tenant)

    @app.post("/v1/incidents/{incident_id}/steps", tags=["register"], response_model=IncidentOut)
    def step(incident_id: IncidentId, body: StepCheck, key: Admin) -> IncidentOut:
        """Check off a playbook step (who and when are recorded); not on a closed one."""
        return service.store.check_step(incident_id, body, key.actor, tenant=key.tenant)

    @app.post(
        "/v1/incidents/{incident_id}/evidence",
        tags=["register"],
        status_code=201,
        response_model=EvidenceAdded,
    )
    def evidence(incident_id: IncidentId, body: EvidenceIn, key: Ingest) -> EvidenceAdded:
        """Attach a finding, decision, event or note (personal data redacted). Answers
        with ids only; a closed incident takes none (409: reopen it first)."""
        return service.store.add_evidence(incident_id, body, key.actor, tenant=key.tenant)
