"""Saved reviews, per tenant: posture over time (`review --save`, `review --diff`).

A review is stored as its JSON document (`review --format json`) with the
model's name (its `organization`) and digest (SHA-256 of the model file), and
a small summary a trend chart reads without the whole document: the exposed
count and every action's cheapest expected attacker cost and impact. Another
tenant's review is "not found".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard

from sqlalchemy import select

from channelguard.errors import InputError, NotFoundError
from channelguard.register.db import Database, as_utc
from channelguard.register.keys import check_tenant
from channelguard.register.tables import SavedReviewRow

__all__ = ["SavedReview", "get_review", "list_reviews", "save_review", "summarize"]

MAX_NAME = 200


@dataclass(frozen=True, kw_only=True, slots=True)
class SavedReview:
    id: int
    tenant: str
    model_name: str
    model_digest: str
    created_at: datetime
    # {"actions", "exposed", "impact_exposed_usd", "cheapest": {action: expected cost
    # or None when no path reaches it}, "impact": {action: impact}, and when the review
    # computed a plan "after_plan": {action: expected cost after it, or None}}
    summary: dict[str, Any]
    review: dict[str, Any]  # the review as `review --format json` writes it


def summarize(review: dict[str, Any]) -> dict[str, Any]:
    """The figures a trend reads, from a review document (checked: it is input)."""
    actions = review.get("actions")
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        raise InputError("review: 'actions' must be a list of objects")
    cheapest: dict[str, float | None] = {}
    impact: dict[str, float] = {}
    for a in actions:
        action_id, value = a.get("id"), a.get("impact_usd")
        if not isinstance(action_id, str) or not _number(value):
            raise InputError("review: every action needs an 'id' and an 'impact_usd'")
        attack = a.get("cheapest")
        cost = attack.get("expected_cost_usd") if isinstance(attack, dict) else None
        cheapest[action_id] = float(cost) if _number(cost) else None
        impact[action_id] = float(value)
    exposed = [a for a, c in cheapest.items() if c is not None and impact[a] > c]
    out: dict[str, Any] = {
        "actions": len(cheapest),
        "exposed": len(exposed),
        "impact_exposed_usd": round(sum(impact[a] for a in exposed), 2),
        "cheapest": cheapest,
        "impact": impact,
    }
    after = _after_plan(actions)
    if after is not None:
        out["after_plan"] = after
    return out


def _after_plan(actions: list[dict[str, Any]]) -> dict[str, float | None] | None:
    """Every action's expected cost after the review's plan (None: no path left), or
    None when the review recorded no plan (`--no-plan`, or saved before the figure
    was written): a diff then says "not recorded" rather than guessing."""
    out: dict[str, float | None] = {}
    for a in actions:
        exposed, cost = a.get("exposed_after_plan"), a.get("expected_cost_after_plan_usd")
        if not isinstance(exposed, bool):
            return None
        if cost is not None and not _number(cost):
            raise InputError(
                f"review: action {str(a['id'])[:80]!r}: bad expected_cost_after_plan_usd"
            )
        if cost is None and exposed:  # exposed with no attack left: not a review we wrote
            raise InputError(
                f"review: action {str(a['id'])[:80]!r}: exposed after the plan "
                "with no cost after the plan"
            )
        out[a["id"]] = None if cost is None else float(cost)
    return out


def _number(value: Any) -> TypeGuard[float]:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return ok and math.isfinite(value) and value >= 0


def save_review(
    db: Database,
    *,
    tenant: str,
    model_name: str,
    model_digest: str,
    review: dict[str, Any],
    created_at: datetime | None = None,
) -> SavedReview:
    check_tenant(tenant)
    if not 1 <= len(model_name) <= MAX_NAME:
        raise InputError(f"model name: 1-{MAX_NAME} characters")
    if len(model_digest) != 64 or any(c not in "0123456789abcdef" for c in model_digest):
        raise InputError("model digest: a SHA-256 in hex")
    row = SavedReviewRow(
        tenant=tenant,
        created_at=as_utc(created_at) if created_at is not None else datetime.now(UTC),
        model_name=model_name,
        model_digest=model_digest,
        summary=summarize(review),
        review=review,
    )
    with db.begin() as s:
        s.add(row)
        s.flush()
        return _view(row)


def list_reviews(db: Database, *, tenant: str, model: str | None = None) -> list[SavedReview]:
    """A tenant's saved reviews, oldest first (a trend reads them in order)."""
    query = select(SavedReviewRow).where(SavedReviewRow.tenant == check_tenant(tenant))
    if model is not None:
        query = query.where(SavedReviewRow.model_name == model)
    with db.read() as s:
        rows = s.scalars(query.order_by(SavedReviewRow.created_at, SavedReviewRow.id))
        return [_view(r) for r in rows.all()]


def get_review(db: Database, review_id: int, *, tenant: str) -> SavedReview:
    with db.read() as s:
        row = s.get(SavedReviewRow, review_id)
        if row is None or row.tenant != check_tenant(tenant):
            raise NotFoundError(f"no saved review {review_id}")
        return _view(row)


def _view(row: SavedReviewRow) -> SavedReview:
    return SavedReview(
        id=row.id,
        tenant=row.tenant,
        model_name=row.model_name,
        model_digest=row.model_digest,
        created_at=as_utc(row.created_at),
        summary=dict(row.summary),
        review=dict(row.review),
    )
