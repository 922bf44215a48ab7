"""The review as JSON data (shared/spec/io-formats.md, `review --format json`)."""

from __future__ import annotations

import math
from typing import Any

from channelguard.review.engine import Attack, Term
from channelguard.review.exposure import exceeds
from channelguard.review.fit import Fit
from channelguard.review.plan import PlanItem
from channelguard.review.review import ActionReview, Review

__all__ = ["attack_to_dict", "money", "review_to_dict"]


def money(value: float | None) -> float | None:
    if value is None or math.isinf(value):
        return None
    return round(value, 2)


def _term(term: Term) -> dict[str, Any]:
    return {
        "kind": term.kind,
        "probability_factor": term.probability_factor,
        "minutes": round(term.minutes, 1),
        "detail": term.detail,
    }


def attack_to_dict(attack: Attack | None) -> dict[str, Any] | None:
    if attack is None:
        return None
    return {
        "cost_usd": money(attack.cost_usd),
        "minutes": round(attack.minutes, 1),
        "success_probability": float(f"{attack.success_probability:.6g}"),
        "expected_cost_usd": money(attack.expected_cost_usd),
        "steps": [
            {
                "action": s.action,
                "path": s.path,
                "factors": list(s.factors),
                "obtained": list(s.obtained),
                # the step alone; the chain's figures are these summed (cost, minutes)
                # and multiplied (probability), with every term applied
                "cost_usd": money(s.cost_usd),
                "minutes": round(s.minutes, 1),
                "success_probability": float(f"{s.success_probability:.6g}"),
                "terms": [_term(t) for t in attack.terms_of(s)],
            }
            for s in attack.steps
        ],
    }


def _action(a: ActionReview, review: Review) -> dict[str, Any]:
    ratio = a.exposure_ratio
    after = review.after_plan(a.id)
    return {
        "id": a.id,
        "description": a.description,
        "tier": a.tier,
        "impact_usd": money(a.impact_usd),
        "owner": a.owner,
        "exposed": a.exposed,
        "exposure_ratio": None if ratio is None or math.isinf(ratio) else round(ratio, 3),
        "cheapest": attack_to_dict(a.attack),
        # null: no plan computed (or no attack left); see summary.plan_computed
        "expected_cost_after_plan_usd": money(after),
        "exposed_after_plan": None if after is None else exceeds(a.impact_usd, after),
        "findings": [
            {"rule": f.rule, "path": f.path, "severity": f.severity, "message": f.message}
            for f in a.findings
        ],
    }


def _target(item: PlanItem) -> dict[str, Any]:
    """Where the change acts; a factor-wide change (a choke point hardened as one
    change) has `factor` and the actions it raises, and no single action or path."""
    t = item.target
    if t.factor is None:
        return {"action": t.action, "path": t.path}
    return {"action": None, "path": None, "factor": t.factor, "raises": len(item.effects)}


def _together(item: PlanItem) -> list[dict[str, Any]]:
    """The changes folded into the item: each raises nothing on its own."""
    return [
        {
            "control": c.control,
            "title": c.title,
            "target": (
                {"action": c.target.action, "path": c.target.path}
                if c.target.factor is None
                else {"action": None, "path": None, "factor": c.target.factor}
            ),
            "friction": c.friction,
        }
        for c in item.together
    ]


def fit_to_dict(fit: Fit) -> dict[str, Any]:
    """A control's performer, customers, industries (["any"]: every one) and needs."""
    industries = ["any"] if fit.industries is None else sorted(i.value for i in fit.industries)
    return {
        "performer": fit.performer.value,
        "customers": sorted(s.value for s in fit.customers),
        "industries": industries,
        "needs": list(fit.needs),
    }


def _plan_item(item: PlanItem) -> dict[str, Any]:
    return {
        "rank": item.rank,
        "control": item.control,
        "title": item.title,
        "target": _target(item),
        "friction": item.friction,
        "together": _together(item),
        **fit_to_dict(item.fit),
        "gain": round(item.gain_usd, 2),
        "raised_usd": money(item.raised_usd),
        "closes": list(item.closes),
        "effects": [
            {
                "action": e.action,
                "before_usd": money(e.before_usd),
                "after_usd": money(e.after_usd),
                "exposed_before": e.exposed_before,
                "exposed_after": e.exposed_after,
            }
            for e in item.effects
        ],
    }


def _plan_summary(review: Review) -> dict[str, Any]:
    """The plan's figures; without a plan every one is null and `plan_computed` is
    false, so a gate reading `exposed_after_plan` never sees an all-clear."""
    note = {"plan_note": review.plan_note} if review.plan_note else {}
    if not review.plan_computed or review.residual_exposed is None:
        return {
            "plan_computed": False,
            "plan_items": None,
            "plan_friction": None,
            "exposed_after_plan": None,
            "plan_complete": None,
            "exposed_after_plan_why": None,
            **note,
        }
    return {
        "plan_computed": True,
        "plan_items": len(review.plan),
        "plan_friction": sum(i.friction for i in review.plan),
        "exposed_after_plan": list(review.residual_exposed),
        "plan_complete": review.plan_complete,
        "exposed_after_plan_why": dict(review.residual_why),
        **note,
    }


def review_to_dict(review: Review) -> dict[str, Any]:
    exposed = review.exposed
    return {
        "organization": review.organization,
        "version": review.version,
        "summary": {
            "actions": len(review.actions),
            "exposed": len(exposed),
            "impact_exposed_usd": money(sum(a.impact_usd for a in exposed)),
            "findings": len(review.findings),
            **_plan_summary(review),
        },
        "actions": [_action(a, review) for a in review.actions],
        "chokepoints": [
            {
                "kind": c.kind,
                "id": c.id,
                "actions": list(c.actions),
                "impact_usd": money(c.impact_usd),
            }
            for c in review.chokepoints
        ],
        # null, never [], when no plan was computed: an empty list reads as "nothing to do"
        "plan": [_plan_item(i) for i in review.plan] if review.plan_computed else None,
        "factor_classes_derived": [
            {"factor": f, "evidence": e, "why": why} for f, e, why in review.derived_factors
        ],
    }
