"""Per-action changes (`review --what-if`, `review --diff`) as a table or JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from channelguard.escape import terminal as shown
from channelguard.report.review_json import money
from channelguard.report.rows import print_rows
from channelguard.report.text import usd
from channelguard.review.delta import ActionDelta, Posture

__all__ = ["deltas_to_dict", "print_deltas"]


def _side(p: Posture | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "impact_usd": money(p.impact_usd),
        "expected_cost_usd": money(p.expected_cost_usd),  # null: no path reaches it
        "exposed": p.exposed,
        # false with a null cost: no path after the plan; false with "after_plan_recorded"
        # false: that side has no plan (never read as safe)
        "after_plan_recorded": p.after_plan_usd is not None,
        "expected_cost_after_plan_usd": money(p.after_plan_usd),
        "exposed_after_plan": p.exposed_after_plan,
    }


def _exposed_after_plan(deltas: Sequence[ActionDelta], old: bool) -> int | None:
    """How many actions a side leaves exposed after its plan; None when it has none."""
    sides = [d.before if old else d.after for d in deltas]
    present = [p for p in sides if p is not None]
    if any(p.after_plan_usd is None for p in present):
        return None
    return sum(1 for p in present if p.exposed_after_plan)


def deltas_to_dict(deltas: Sequence[ActionDelta]) -> dict[str, Any]:
    counts = Counter(d.status.value for d in deltas)
    plan_counts = Counter(d.plan_change.value for d in deltas)
    return {
        "exposed_before": sum(1 for d in deltas if d.before is not None and d.before.exposed),
        "exposed_after": sum(1 for d in deltas if d.after is not None and d.after.exposed),
        "exposed_after_plan_before": _exposed_after_plan(deltas, old=True),
        "exposed_after_plan_after": _exposed_after_plan(deltas, old=False),
        "counts": dict(sorted(counts.items())),
        "plan_counts": dict(sorted(plan_counts.items())),
        "actions": [
            {
                "action": d.action,
                "status": d.status.value,
                "plan_change": d.plan_change.value,
                "before": _side(d.before),
                "after": _side(d.after),
            }
            for d in deltas
        ],
    }


def _cost(p: Posture | None) -> str:
    return "-" if p is None else usd(p.expected_cost_usd)


def _after_plan(p: Posture | None) -> str:
    if p is None or p.after_plan_usd is None:
        return "not recorded"
    return usd(p.after_plan_usd)


def _exposed(p: Posture | None) -> str:
    return "-" if p is None else ("yes" if p.exposed else "no")


def _impact(d: ActionDelta) -> str:
    side = d.after or d.before
    return "-" if side is None else usd(side.impact_usd)


def print_deltas(
    title: str, deltas: Sequence[ActionDelta], console: Console, *, all_rows: bool = False
) -> None:
    """The actions that changed (every action with all_rows), newly exposed first."""
    shown_rows = [d for d in deltas if all_rows or d.changed]
    # the cost after the plan only when either side recorded one (a what-if has none)
    plans = any(
        p is not None and p.after_plan_usd is not None for d in deltas for p in (d.before, d.after)
    )
    rows: list[list[Text | str]] = [
        [
            shown(d.action),
            d.status.value.replace("_", " "),
            f"{_cost(d.before)} → {_cost(d.after)}",
            f"{_exposed(d.before)} → {_exposed(d.after)}",
            *([f"{_after_plan(d.before)} → {_after_plan(d.after)}"] if plans else []),
            _impact(d),
        ]
        for d in shown_rows
    ]
    columns = (
        "Action",
        "Change",
        "Expected attacker cost",
        "Exposed",
        *(["Cost after plan"] if plans else []),
        "Impact",
    )
    if rows:
        print_rows(console, title, columns, rows)
    data = deltas_to_dict(deltas)
    unchanged = len(deltas) - len(shown_rows)
    console.print(
        f"exposed: {data['exposed_before']} → {data['exposed_after']}; "
        f"{len(shown_rows)} action(s) changed, {unchanged} unchanged",
        highlight=False,
    )
    if plans:
        console.print(
            f"exposed after the plan: {_count(data['exposed_after_plan_before'])} → "
            f"{_count(data['exposed_after_plan_after'])}",
            highlight=False,
        )


def _count(value: int | None) -> str:
    return "not recorded" if value is None else str(value)
