"""/ui/incidents (the board) and /ui/incidents/{id} (one incident), with its
edits: status, lead, an owner and playbook steps, made through the same store
methods as the API so the audit trail names the key."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from channelguard.errors import ConflictError, InputError, NotFoundError
from channelguard.register.records import MAX_ROW_ID, IncidentPatch, StepCheck
from channelguard.register.store import Filters
from channelguard.register.vocab import Cause, IncidentDomain, OwnerRole, Severity, Status
from channelguard.serve.ui.access import Viewer, editor, form, signed_in
from channelguard.serve.ui.board import as_record, board
from channelguard.serve.ui.context import HEADERS, Dashboard

__all__ = ["incidents_router"]

E = TypeVar("E", bound=StrEnum)
IncidentId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
FILTERS: dict[str, type[StrEnum]] = {
    "domain": IncidentDomain,
    "cause": Cause,
    "severity": Severity,
    "owner": OwnerRole,
    "status": Status,
}
VOCAB = {name: [v.value for v in enum] for name, enum in FILTERS.items()}


def _choice(enum: type[E], value: str | None) -> E | None:
    """A filter's value; empty or unknown is no filter (the page says which)."""
    try:
        return enum(value) if value else None
    except ValueError:
        return None


def incidents_router() -> APIRouter:
    router = APIRouter(prefix="/ui", include_in_schema=False)

    @router.get("/incidents")
    def incident_board(request: Request, viewer: Annotated[Viewer, Depends(signed_in)]) -> Response:
        ui: Dashboard = request.app.state.ui
        asked = {n: request.query_params.get(n, "")[:40] for n in FILTERS}
        chosen = {n: _choice(FILTERS[n], v) for n, v in asked.items()}
        ignored = [n for n, v in asked.items() if v and chosen[n] is None]
        values = {n: (v.value if v else None) for n, v in chosen.items()}
        filters = Filters(
            domain=values["domain"],
            cause=values["cause"],
            severity=values["severity"],
            owner=values["owner"],
            status=values["status"],
            tenant=viewer.tenant,
        )
        rows, total = board(ui.service.store, filters)
        return ui.render(
            "incidents.html",
            viewer=viewer,
            page="incidents",
            rows=rows,
            total=total,
            vocab=VOCAB,
            chosen={n: v or "" for n, v in values.items()},
            ignored=ignored,
        )

    @router.get("/incidents/{incident_id}")
    def incident_page(
        request: Request, incident_id: IncidentId, viewer: Annotated[Viewer, Depends(signed_in)]
    ) -> Response:
        ui: Dashboard = request.app.state.ui
        try:
            incident = as_record(ui.service.store.get(incident_id, tenant=viewer.tenant))
        except NotFoundError:
            return ui.render("missing.html", status=404, viewer=viewer, page="incidents",
                             what=f"incident {incident_id}")  # fmt: skip
        return ui.render(
            "incident.html", viewer=viewer, page="incidents", inc=incident, message="", vocab=VOCAB
        )

    @router.post("/incidents/{incident_id}/edit")
    async def edit(
        request: Request, incident_id: IncidentId, viewer: Annotated[Viewer, Depends(editor)]
    ) -> Response:
        fields = await form(request)

        def change(ui: Dashboard) -> Any:
            current = as_record(ui.service.store.get(incident_id, tenant=viewer.tenant))
            owners = dict(current["owners"])
            if fields.get("owner_role") and fields.get("owner_name", "").strip():
                owners[fields["owner_role"]] = fields["owner_name"].strip()
            patch = IncidentPatch(
                version=int(fields.get("version") or 0) or current["version"],
                status=fields.get("status") or None,  # type: ignore[arg-type]
                lead=fields.get("lead") or None,  # type: ignore[arg-type]
                owners=owners if owners != current["owners"] else None,
                note=fields.get("note", ""),
            )
            return ui.service.store.update(
                incident_id, patch, viewer.key.actor, tenant=viewer.tenant
            )

        return _write(request, viewer, incident_id, change)

    @router.post("/incidents/{incident_id}/steps")
    async def check_step(
        request: Request, incident_id: IncidentId, viewer: Annotated[Viewer, Depends(editor)]
    ) -> Response:
        fields = await form(request)

        def check(ui: Dashboard) -> Any:
            body = StepCheck(step=fields.get("step", ""), note=fields.get("note", ""))
            return ui.service.store.check_step(
                incident_id, body, viewer.key.actor, tenant=viewer.tenant
            )

        return _write(request, viewer, incident_id, check)

    return router


def _write(request: Request, viewer: Viewer, incident_id: int, write: Any) -> Response:
    """Run a write; answer htmx with the incident's panel (and the message of a
    refused change), a plain form post with a redirect back to the page."""
    ui: Dashboard = request.app.state.ui
    status, message = 200, "Saved."
    try:
        write(ui)
    except NotFoundError:
        return ui.render("missing.html", status=404, viewer=viewer, page="incidents",
                         what=f"incident {incident_id}")  # fmt: skip
    except ConflictError as exc:
        status, message = 409, str(exc)
    except (InputError, ValueError) as exc:
        status, message = 422, _first_problem(exc)
    if request.headers.get("hx-request") != "true":
        return RedirectResponse(f"/ui/incidents/{incident_id}", status_code=303, headers=HEADERS)
    incident = as_record(ui.service.store.get(incident_id, tenant=viewer.tenant))
    return ui.render(
        "_incident.html", status=status, viewer=viewer, inc=incident, message=message, vocab=VOCAB
    )


def _first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        e = exc.errors()[0]
        return f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}"
    return str(exc).splitlines()[0]
