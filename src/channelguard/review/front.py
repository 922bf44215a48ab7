"""An action's Pareto front: the attacks it keeps, none cheaper and likelier than
another, at most FRONT_SIZE of them, the least expected cost first."""

from __future__ import annotations

from collections.abc import Sequence

from channelguard.review.attack import Attack, Front

__all__ = ["FRONT_SIZE", "beaten_by", "dominates", "merge"]

_EPS = 1e-9
FRONT_SIZE = 4  # attacks kept per action; more only for ties that rarely matter


def _key(attack: Attack) -> tuple[float, float, int]:
    return (attack.expected_cost_usd, attack.cost_usd, len(attack.steps))


def dominates(a: Attack, b: Attack) -> bool:
    return a.cost_usd <= b.cost_usd * (
        1 + _EPS
    ) + _EPS and a.success_probability >= b.success_probability * (1 - _EPS)


def beaten_by(front: Sequence[Attack], cost: float, prob: float) -> bool:
    """An attack of `front` dominates one of these figures (as `dominates` says)."""
    for a in front:
        if a.cost_usd <= cost * (1 + _EPS) + _EPS and a.success_probability >= prob * (1 - _EPS):
            return True
    return False


def merge(old: Front, new: list[Attack]) -> Front | None:
    """The Pareto front of old and new attacks, or None when nothing improved."""
    fresh = [n for n in new if not any(dominates(o, n) for o in old)]
    if not fresh:
        return None
    pool = sorted(old + fresh, key=_key)
    front: Front = []
    for attack in pool:
        if not any(dominates(kept, attack) for kept in front):
            front.append(attack)
    front = front[:FRONT_SIZE]
    if [id(a) for a in front] == [id(a) for a in old]:
        return None
    return front
