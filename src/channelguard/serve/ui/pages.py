"""/ui (posture), /ui/graph (and one action's panel), /ui/plan, /ui/runtime and
/ui/drift: read-only pages over the served model's review and the register."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from channelguard.errors import InputError
from channelguard.register.tables import DEFAULT_TENANT
from channelguard.serve.ui.access import Viewer, editor, form, signed_in
from channelguard.serve.ui.context import HEADERS, Dashboard
from channelguard.serve.ui.posture import action_detail, graph_elements, plan_item_id, posture
from channelguard.serve.ui.runtime import drift, findings_by_domain, run_time
from channelguard.serve.ui.trend import trend
from channelguard.serve.ui.whatif import MAX_CHOSEN, plan_what_if
from channelguard.watch.run import parse_duration

__all__ = ["pages_router"]

Signed = Annotated[Viewer, Depends(signed_in)]
WINDOWS = ("1h", "6h", "1d", "7d")
REFERENCES = ("1d", "7d", "14d", "28d")


def pages_router() -> APIRouter:
    router = APIRouter(prefix="/ui", include_in_schema=False)

    @router.get("")
    def home(request: Request, viewer: Signed) -> Response:
        ui: Dashboard = request.app.state.ui
        p = posture(ui.service.loaded, ui.review())
        history = trend(ui.service.db, tenant=viewer.tenant or DEFAULT_TENANT,
                        model=str(p.data["organization"])[:200])  # fmt: skip
        return ui.render("posture.html", viewer=viewer, page="posture", p=p, trend=history)

    @router.get("/graph")
    def graph(request: Request, viewer: Signed) -> Response:
        ui: Dashboard = request.app.state.ui
        review = ui.review()
        elements = graph_elements(ui.service.loaded, review)
        plan = posture(ui.service.loaded, review).data["plan"] or []
        return ui.render("graph.html", viewer=viewer, page="graph", elements=elements,
                         actions=len(review.actions), exposed=len(review.exposed),
                         plan=[{**i, "item_id": plan_item_id(i)} for i in plan],
                         w=plan_what_if(ui.service.loaded, review, ()))  # fmt: skip

    @router.get("/graph/actions/{action}")
    def action(
        request: Request, action: Annotated[str, Path(max_length=200)], viewer: Signed
    ) -> Response:
        ui: Dashboard = request.app.state.ui
        try:
            detail = action_detail(ui.service.loaded, ui.review(), action)
        except InputError as exc:
            return ui.render("_missing_action.html", status=404, message=str(exc))
        return ui.render("_action.html", viewer=viewer, d=detail)

    @router.get("/graph/whatif")
    def whatif(
        request: Request,
        viewer: Signed,
        item: Annotated[list[str], Query(max_length=MAX_CHOSEN)] = [],  # noqa: B006
    ) -> Response:
        """The chosen plan items' effect on the graph: read-only, nothing stored."""
        ui: Dashboard = request.app.state.ui
        result = plan_what_if(ui.service.loaded, ui.review(), [i[:400] for i in item])
        return ui.render("_whatif.html", w=result)

    @router.get("/plan")
    def plan(request: Request, viewer: Signed) -> Response:
        ui: Dashboard = request.app.state.ui
        return ui.render("plan.html", page="plan", **_plan(ui, viewer))

    @router.post("/plan/marks")
    async def mark(request: Request, viewer: Annotated[Viewer, Depends(editor)]) -> Response:
        """Mark a plan item done (done=1) or not (done=0): an admin write."""
        ui: Dashboard = request.app.state.ui
        fields = await form(request)
        item, context = fields.get("item", ""), _plan(ui, viewer)
        if item not in context["ids"]:
            context["message"] = "No such plan item."
            return ui.render("_plan_items.html", status=422, **context)
        tenant, model = viewer.tenant or DEFAULT_TENANT, ui.service.policy
        if fields.get("done") == "1":
            ui.marks.mark(tenant, model, item, viewer.key.actor)
        else:
            ui.marks.unmark(tenant, model, item)
        if request.headers.get("hx-request") != "true":
            return RedirectResponse("/ui/plan", status_code=303, headers=HEADERS)
        return ui.render("_plan_items.html", **{**_plan(ui, viewer), "message": "Saved."})

    @router.get("/runtime")
    def runtime(
        request: Request, viewer: Signed, days: Annotated[int, Query(ge=1, le=90)] = 7
    ) -> Response:
        ui: Dashboard = request.app.state.ui
        rt = run_time(ui.service.db, until=datetime.now(UTC), days=days, tenant=viewer.tenant)
        return ui.render("runtime.html", viewer=viewer, page="runtime", rt=rt, days=days,
                         domains=findings_by_domain(rt.by_detector))  # fmt: skip

    @router.get("/drift")
    def drift_page(request: Request, viewer: Signed, window: str = "1d",
                   reference: str = "7d") -> Response:  # fmt: skip
        ui: Dashboard = request.app.state.ui
        window = window if window in WINDOWS else "1d"
        reference = reference if reference in REFERENCES else "7d"
        report = drift(
            ui.service.db,
            until=datetime.now(UTC),
            window=parse_duration(window, "window"),
            reference=parse_duration(reference, "reference"),
            tenant=viewer.tenant,
        )
        return ui.render("drift.html", viewer=viewer, page="drift", report=report,
                         window=window, reference=reference, windows=WINDOWS,
                         references=REFERENCES)  # fmt: skip

    return router


def _plan(ui: Dashboard, viewer: Viewer) -> dict[str, Any]:
    data = posture(ui.service.loaded, ui.review()).data
    ids = [plan_item_id(i) for i in data["plan"] or []]
    marks = ui.marks.done(viewer.tenant or DEFAULT_TENANT, ui.service.policy)
    return {"viewer": viewer, "data": data, "ids": ids, "marks": marks, "message": ""}
