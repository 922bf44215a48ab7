"""`review --paths-to ACTION`: every path to one action, cheapest first, as a table
or JSON (each path's attack in the shape of the review's `cheapest`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from channelguard.escape import terminal as shown
from channelguard.report.review_json import attack_to_dict, money
from channelguard.report.rows import print_rows
from channelguard.report.text import chain, usd
from channelguard.review.exposure import exceeds
from channelguard.review.paths import PathRank

__all__ = ["paths_to_dict", "print_paths"]


def paths_to_dict(action: str, impact_usd: float, ranked: list[PathRank]) -> dict[str, Any]:
    return {
        "action": action,
        "impact_usd": money(impact_usd),
        "paths": [
            {
                "rank": r.rank,
                "path": r.path,
                "channel": r.channel,
                "expected_cost_usd": money(r.expected_cost_usd),
                "exposed": exceeds(impact_usd, r.expected_cost_usd),
                "attack": attack_to_dict(r.attack),
            }
            for r in ranked
        ],
    }


def print_paths(action: str, impact_usd: float, ranked: list[PathRank], console: Console) -> None:
    console.print(
        Text.assemble(
            "Paths to ",
            shown(action, "bold"),
            shown(f" (impact {usd(impact_usd)}), cheapest expected attacker cost first"),
        ),
        highlight=False,
    )
    rows = [
        [
            str(r.rank),
            shown(r.path),
            shown(r.channel),
            "unreachable" if r.attack is None else usd(r.attack.cost_usd),
            "-" if r.attack is None else f"{r.attack.success_probability:.3g}",
            usd(r.expected_cost_usd),
            "yes" if exceeds(impact_usd, r.expected_cost_usd) else "no",
            shown(chain(r.attack, sep="\n→ ")),
        ]
        for r in ranked
    ]
    columns = ("#", "Path", "Channel", "Cost", "Success", "Expected cost", "Exposed", "Chain")
    print_rows(console, f"Paths to {action}", columns, rows)
