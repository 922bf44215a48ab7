"""Small text helpers shared by the terminal, Markdown and HTML reports."""

from __future__ import annotations

import math

from channelguard.review.engine import Attack
from channelguard.review.review import Review


def usd(value: float | None) -> str:
    if value is None or math.isinf(value):
        return "unreachable"
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


def chain(attack: Attack | None, sep: str = " → ") -> str:
    """Steps in attack order: `action/path [passed; held: obtained earlier]`."""
    if attack is None:
        return "no path"
    parts = []
    for s in attack.steps:
        passed = ", ".join(s.factors) or "nothing"
        held = f"; held: {', '.join(s.obtained)}" if s.obtained else ""
        parts.append(f"{s.action}/{s.path} [{passed}{held}]")
    return sep.join(parts)


def target(action: str, path: str | None) -> str:
    return f"{action}/{path}" if path else action


def after_plan(review: Review, action: str) -> str:
    """The action's expected cost once the plan is in place, or why there is none."""
    if not review.plan_computed:
        return "no plan computed"
    return usd(review.after_plan(action))
