"""Small text helpers shared by the terminal, Markdown and HTML reports."""

from __future__ import annotations

import math

from channelguard.review.controls import Target
from channelguard.review.engine import Attack, Term
from channelguard.review.plan import PlanItem
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
        terms = "".join(f" ({term_text(t)})" for t in attack.terms_of(s) if t.kind != "approvals")
        parts.append(f"{s.action}/{s.path} [{passed}{held}]{terms}")
    return sep.join(parts)


def term_text(term: Term) -> str:
    """A term as a reader recomputes it: `x0.85 notified` or `+24 h cooling-off`."""
    if term.kind == "notifies_old_contact":
        return f"x{term.probability_factor:g}: old contact notified"
    if term.kind == "cooling_off":
        return f"+{term.minutes / 60:g} h cooling-off"
    return term.detail


def target(action: str, path: str | None) -> str:
    return f"{action}/{path}" if path else action


def plan_target(item: PlanItem) -> str:
    """Where a plan item acts: `action/path`, `action`, or, for a choke point
    hardened as one change, every path that accepts the factor."""
    t = item.target
    if t.factor is not None:
        n = len(item.effects)
        where = f"every path that accepts {t.factor} ({n} action{'s' if n != 1 else ''} raised)"
    else:
        where = target(t.action, t.path)
    if not item.together:
        return where
    folded = "; ".join(f"{c.control} on {_where(c.target)}" for c in item.together)
    return f"{where}, together with {folded} (which raises nothing on its own)"


def _where(t: Target) -> str:
    return target(t.action, t.path) if t.factor is None else f"every path that accepts {t.factor}"


def after_plan(review: Review, action: str) -> str:
    """The action's expected cost once the plan is in place, or why there is none."""
    if not review.plan_computed:
        return "no plan computed"
    return usd(review.after_plan(action))


def plan_fit(item: PlanItem) -> str:
    """Who performs a plan item's control, for whom, where, and what it needs."""
    fit = item.fit
    industries = "any industry" if fit.industries is None else ", ".join(sorted(fit.industries))
    customers = ", ".join(sorted(fit.customers))
    who = fit.performer.value.replace("_", " ")
    return f"{who}; {customers}; {industries}; needs {'; '.join(fit.needs)}"
