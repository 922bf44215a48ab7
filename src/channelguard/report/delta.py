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
from channelguard.review.delta import ActionDelta, DeltaStatus, Posture

__all__ = ["deltas_to_dict", "print_deltas"]


def _side(p: Posture | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "impact_usd": money(p.impact_usd),
        "expected_cost_usd": money(p.expected_cost_usd),  # null: no path reaches it
        "exposed": p.exposed,
    }


def deltas_to_dict(deltas: Sequence[ActionDelta]) -> dict[str, Any]:
    counts = Counter(d.status.value for d in deltas)
    return {
        "exposed_before": sum(1 for d in deltas if d.before is not None and d.before.exposed),
        "exposed_after": sum(1 for d in deltas if d.after is not None and d.after.exposed),
        "counts": dict(sorted(counts.items())),
        "actions": [
            {
                "action": d.action,
                "status": d.status.value,
                "before": _side(d.before),
                "after": _side(d.after),
            }
            for d in deltas
        ],
    }


def _cost(p: Posture | None) -> str:
    return "-" if p is None else usd(p.expected_cost_usd)


def _exposed(p: Posture | None) -> str:
    return "-" if p is None else ("yes" if p.exposed else "no")


def _impact(d: ActionDelta) -> str:
    side = d.after or d.before
    return "-" if side is None else usd(side.impact_usd)


def print_deltas(
    title: str, deltas: Sequence[ActionDelta], console: Console, *, all_rows: bool = False
) -> None:
    """The actions that changed (every action with all_rows), newly exposed first."""
    shown_rows = [d for d in deltas if all_rows or d.status is not DeltaStatus.UNCHANGED]
    rows: list[list[Text | str]] = [
        [
            shown(d.action),
            d.status.value.replace("_", " "),
            f"{_cost(d.before)} → {_cost(d.after)}",
            f"{_exposed(d.before)} → {_exposed(d.after)}",
            _impact(d),
        ]
        for d in shown_rows
    ]
    columns = ("Action", "Change", "Expected attacker cost", "Exposed", "Impact")
    if rows:
        print_rows(console, title, columns, rows)
    data = deltas_to_dict(deltas)
    unchanged = len(deltas) - len(shown_rows)
    console.print(
        f"exposed: {data['exposed_before']} → {data['exposed_after']}; "
        f"{len(shown_rows)} action(s) changed, {unchanged} unchanged",
        highlight=False,
    )
