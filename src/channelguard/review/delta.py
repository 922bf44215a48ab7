"""What changed per action between two reviews (a what-if, or two saved reviews).

Both sides are reduced to one `Posture` per action (impact, the cheapest
expected attacker cost, exposed or not, and the cost after the review's plan
when that side recorded one); `compare` lists every action of either side with
its status, newly exposed first, since that is what a reviewer must act on.
A side without a plan (`--no-plan`, a what-if, a review saved before the
after-plan cost was recorded) says "not recorded", never a guess.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from channelguard.review.exposure import exceeds

__all__ = ["ActionDelta", "DeltaStatus", "PlanChange", "Posture", "compare"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Posture:
    """One action in one review; `expected_cost_usd` is inf when no path reaches it;
    `after_plan_usd` the same after the review's plan, None when not recorded."""

    impact_usd: float
    expected_cost_usd: float
    after_plan_usd: float | None = None

    @property
    def exposed_after_plan(self) -> bool | None:
        """Still exposed once the plan is in place; None when not recorded."""
        if self.after_plan_usd is None:
            return None
        return exceeds(self.impact_usd, self.after_plan_usd)

    @property
    def exposed(self) -> bool:
        return exceeds(self.impact_usd, self.expected_cost_usd)


class PlanChange(StrEnum):
    """How the cost after each side's plan moved (`not_recorded`: a side has none)."""

    NOT_RECORDED = "not_recorded"
    NEWLY_EXPOSED = "newly_exposed"
    NO_LONGER_EXPOSED = "no_longer_exposed"
    CHEAPER = "cheaper"
    RAISED = "raised"
    UNCHANGED = "unchanged"


class DeltaStatus(StrEnum):
    NEWLY_EXPOSED = "newly_exposed"
    STILL_EXPOSED_CHEAPER = "still_exposed_cheaper"
    ADDED = "added"  # only in the new review
    NO_LONGER_EXPOSED = "no_longer_exposed"
    CHEAPER = "cheaper"
    RAISED = "raised"
    REMOVED = "removed"  # only in the old review
    IMPACT_CHANGED = "impact_changed"  # same cost, another impact, same exposure
    UNCHANGED = "unchanged"


# the order a reader acts on: what opened first, what stayed the same last
_ORDER = {status: i for i, status in enumerate(DeltaStatus)}


@dataclass(frozen=True, kw_only=True, slots=True)
class ActionDelta:
    action: str
    before: Posture | None  # None: the action is not in the old review
    after: Posture | None  # None: the action is not in the new review

    @property
    def status(self) -> DeltaStatus:
        if self.before is None:
            return DeltaStatus.ADDED
        if self.after is None:
            return DeltaStatus.REMOVED
        was, now = self.before.expected_cost_usd, self.after.expected_cost_usd
        if self.after.exposed and not self.before.exposed:
            return DeltaStatus.NEWLY_EXPOSED
        if self.before.exposed and not self.after.exposed:
            return DeltaStatus.NO_LONGER_EXPOSED
        if _same(was, now):
            same_impact = self.before.impact_usd == self.after.impact_usd
            return DeltaStatus.UNCHANGED if same_impact else DeltaStatus.IMPACT_CHANGED
        if now < was and self.after.exposed:
            return DeltaStatus.STILL_EXPOSED_CHEAPER
        return DeltaStatus.CHEAPER if now < was else DeltaStatus.RAISED

    @property
    def plan_change(self) -> PlanChange:
        before, after = self.before, self.after
        if before is None or after is None:
            return PlanChange.NOT_RECORDED
        was, now = before.after_plan_usd, after.after_plan_usd
        if was is None or now is None:
            return PlanChange.NOT_RECORDED
        if after.exposed_after_plan and not before.exposed_after_plan:
            return PlanChange.NEWLY_EXPOSED
        if before.exposed_after_plan and not after.exposed_after_plan:
            return PlanChange.NO_LONGER_EXPOSED
        if _same(was, now):
            return PlanChange.UNCHANGED
        return PlanChange.CHEAPER if now < was else PlanChange.RAISED

    @property
    def changed(self) -> bool:
        """Anything moved: exposure, cheapest cost, impact, or the cost after the plan."""
        return self.status is not DeltaStatus.UNCHANGED or self.plan_change not in (
            PlanChange.UNCHANGED,
            PlanChange.NOT_RECORDED,
        )


def _same(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.005)


def compare(before: Mapping[str, Posture], after: Mapping[str, Posture]) -> list[ActionDelta]:
    """Every action of either side, newly exposed first, then by impact at stake."""
    ids = list(before) + [a for a in after if a not in before]
    deltas = [ActionDelta(action=a, before=before.get(a), after=after.get(a)) for a in ids]
    return sorted(deltas, key=lambda d: (_ORDER[d.status], -_impact(d), d.action))


def _impact(delta: ActionDelta) -> float:
    side = delta.after or delta.before
    return side.impact_usd if side is not None else 0.0
