"""The posture trend on /ui: the signed-in tenant's saved reviews of the served
model (`review --save`), oldest first, as points a line chart and a table read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from channelguard.register.db import Database
from channelguard.register.reviews import list_reviews

__all__ = ["Trend", "TrendPoint", "trend"]


@dataclass(frozen=True, kw_only=True, slots=True)
class TrendPoint:
    review_id: int
    created_at: datetime
    actions: int
    exposed: int
    # the cheapest expected attacker cost over every action; None: no path reaches any
    cheapest_usd: float | None


@dataclass(frozen=True, kw_only=True, slots=True)
class Trend:
    model: str
    points: list[TrendPoint]

    def chart(self) -> dict[str, Any]:
        """The line chart's spec for static/charts.js: a time axis (each point at its
        saved time, in ms since the epoch), counts on the left, dollars on the right."""

        def at(value: Any) -> list[dict[str, Any]]:
            return [{"x": p.created_at.timestamp() * 1000, "y": value(p)} for p in self.points]

        return {
            "type": "line",
            "time": True,
            "xTitle": "saved (UTC)",
            "yTitle": "exposed actions",
            "y2Title": "cheapest attacker cost (USD)",
            "datasets": [
                {"label": "exposed actions", "color": "#b3261e",
                 "data": at(lambda p: p.exposed)},
                {"label": "cheapest attacker cost (USD)", "color": "#1f4e9c", "axis": "y2",
                 "data": at(lambda p: p.cheapest_usd)},
            ],
        }  # fmt: skip


def _cheapest(summary: dict[str, Any]) -> float | None:
    costs = [c for c in summary.get("cheapest", {}).values() if c is not None]
    return min(costs) if costs else None


def trend(db: Database, *, tenant: str, model: str) -> Trend:
    """One tenant's saved reviews of one model; another tenant's never read."""
    points = [
        TrendPoint(
            review_id=r.id,
            created_at=r.created_at,
            actions=int(r.summary.get("actions", 0)),
            exposed=int(r.summary.get("exposed", 0)),
            cheapest_usd=_cheapest(r.summary),
        )
        for r in list_reviews(db, tenant=tenant, model=model)
    ]
    return Trend(model=model, points=points)
