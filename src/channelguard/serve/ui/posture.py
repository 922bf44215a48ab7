"""Posture, graph and plan data from the served model's review, in the review's
own JSON form (report/review_json.py), so the dashboard and `review --format
json` never disagree on a figure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from channelguard.model.loader import LoadedModel
from channelguard.report.graph import attack_graph
from channelguard.report.review_json import attack_to_dict, money, review_to_dict
from channelguard.review.paths import paths_to
from channelguard.review.review import Review

__all__ = [
    "ActionDetail",
    "Posture",
    "action_detail",
    "graph_elements",
    "plan_item_id",
    "posture",
]


def plan_item_id(item: dict[str, Any]) -> str:
    """A plan item's name that survives a new review of the same model: its control
    and where it acts (a path, or a factor on every path)."""
    t = item["target"]
    where = f"factor:{t['factor']}" if t.get("factor") else f"{t['action']}/{t['path']}"
    return f"{item['control']}@{where}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Posture:
    data: dict[str, Any]  # review_to_dict
    rows: list[dict[str, Any]]  # one per action, with its channel; exposed first
    tiers: list[str]
    channels: list[str]
    matrix: dict[str, dict[str, dict[str, int]]]  # tier -> channel -> exposed / actions
    scatter: list[dict[str, Any]]  # chart datasets: exposed and not, cost against impact


def _channels(loaded: LoadedModel) -> dict[tuple[str, str], str]:
    return {(a.id, p.id): p.channel for a in loaded.model.actions for p in a.paths}


def posture(loaded: LoadedModel, review: Review) -> Posture:
    data = review_to_dict(review)
    channel_of = _channels(loaded)
    rows = []
    for a in data["actions"]:
        last = a["cheapest"]["steps"][-1] if a["cheapest"] else None
        channel = channel_of.get((a["id"], last["path"]), "") if last else "none"
        rows.append({**a, "channel": channel or "none"})
    rows.sort(key=lambda r: (not r["exposed"], -(r["exposure_ratio"] or 0), r["id"]))
    matrix: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"exposed": 0, "actions": 0})
    )
    for r in rows:
        cell = matrix[r["tier"]][r["channel"]]
        cell["actions"] += 1
        cell["exposed"] += int(r["exposed"])
    return Posture(
        data=data,
        scatter=_scatter(rows),
        rows=rows,
        tiers=sorted(matrix),
        channels=sorted({r["channel"] for r in rows}),
        matrix={t: dict(c) for t, c in matrix.items()},
    )


def _scatter(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def points(exposed: bool) -> list[dict[str, Any]]:
        return [
            {"x": r["cheapest"]["expected_cost_usd"], "y": r["impact_usd"], "label": r["id"]}
            for r in rows
            if r["exposed"] == exposed and r["cheapest"] and r["cheapest"]["expected_cost_usd"]
        ]

    return [
        {"label": "exposed", "data": points(True), "color": "#b3261e"},
        {"label": "not exposed", "data": points(False), "color": "#1b6e3a"},
    ]


def graph_elements(loaded: LoadedModel, review: Review) -> list[dict[str, Any]]:
    """Cytoscape elements: actions (exposed, impact, tier) and the edges along
    which one action's factor opens another (cheapest-attack edges marked)."""
    graph = attack_graph(loaded, review)
    elements: list[dict[str, Any]] = []
    for node, attrs in graph.nodes(data=True):
        elements.append(
            {
                "data": {
                    "id": node,
                    "label": node,
                    "tier": attrs["tier"],
                    "impact": money(attrs["impact"]),
                    "exposed": bool(attrs["exposed"]),
                }
            }
        )
    for source, target, attrs in graph.edges(data=True):
        elements.append(
            {
                "data": {
                    "id": f"{source}->{target}",
                    "source": source,
                    "target": target,
                    "factors": ", ".join(sorted(attrs["factors"])),
                    "cheapest": bool(attrs["cheapest"]),
                }
            }
        )
    return elements


@dataclass(frozen=True, kw_only=True, slots=True)
class ActionDetail:
    action: dict[str, Any]  # the review's JSON for the action
    paths: list[dict[str, Any]]  # ranked, cheapest first
    plan: list[dict[str, Any]]  # plan items that raise it, with its before/after


def action_detail(loaded: LoadedModel, review: Review, action: str) -> ActionDetail:
    """One action's paths, findings and the plan items that raise it; an unknown
    action is an InputError (with did-you-mean), as `review --paths-to`."""
    ranked = paths_to(loaded, review.engine, action)
    data = review_to_dict(review)
    mine = next(a for a in data["actions"] if a["id"] == action)
    paths = [
        {
            "rank": p.rank,
            "path": p.path,
            "channel": p.channel,
            "attack": attack_to_dict(p.attack),
        }
        for p in ranked
    ]
    plan = []
    for item in data["plan"] or []:
        effect = next((e for e in item["effects"] if e["action"] == action), None)
        if effect is not None:
            plan.append({**item, "effect": effect})
    return ActionDetail(action=mine, paths=paths, plan=plan)
