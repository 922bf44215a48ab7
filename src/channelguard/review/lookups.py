"""Lookups over a whole model that the plan asks for again and again, built once per
model object: which paths accept a factor, which actions hand a factor over, and
the impact an action guards (its own and that of every action that can build on it).

The plan tries thousands of (control, target) pairs against the same model; scanning
every action for each of them made the lookups, not the engine, the plan's cost on
large models. Each table is kept for the last few model objects it was built for
(compared by identity, so a changed model gets a fresh table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from channelguard.model.factors import Factor
from channelguard.model.schema import Action, ChannelModel, Path

__all__ = ["accepting", "guards_at_least", "handed_over"]

T = TypeVar("T")
_KEEP = 4  # model objects remembered per table: the plan moves through one at a time
_tables: dict[str, list[tuple[object, object]]] = {}


def _cached(table: str, owner: object, build: Callable[[], T]) -> T:
    kept = _tables.setdefault(table, [])
    for obj, value in kept:
        if obj is owner:
            return value  # type: ignore[return-value]
    value = build()
    kept.insert(0, (owner, value))
    del kept[_KEEP:]
    return value


def accepting(model: ChannelModel, factor: str) -> list[tuple[Action, Path]]:
    """The paths that accept `factor` (directly or in an any_of), in the model's order."""

    def build() -> dict[str, list[tuple[Action, Path]]]:
        out: dict[str, list[tuple[Action, Path]]] = {}
        for action in model.actions:
            for path in action.paths:
                for f in dict.fromkeys(path.factor_ids()):
                    out.setdefault(f, []).append((action, path))
        return out

    return _cached("accepting", model, build).get(factor, [])


def handed_over(factors: Mapping[str, Factor], action: str) -> bool:
    """Some factor can be had by completing `action` (it is in an `obtainable_via`)."""

    def build() -> frozenset[str]:
        return frozenset(via for f in factors.values() for via in f.obtainable_via)

    return action in _cached("handed_over", factors, build)


def guards_at_least(
    model: ChannelModel, factors: Mapping[str, Factor], actions: list[str], amount: float
) -> bool:
    """The impact of `actions` and of every action that can build on one of them
    (a path of it accepts a factor `obtainable_via` one of them, transitively)
    reaches `amount`; the walk stops as soon as it does."""

    def build() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for f in factors.values():
            for via in f.obtainable_via:
                out.setdefault(via, []).append(f.id)
        return out

    hands = _cached("hands", factors, build)
    impact = _cached("impact", model, lambda: {a.id: a.impact_usd for a in model.actions})
    seen, todo, total = set(actions), list(actions), 0.0
    while todo:
        action = todo.pop()
        total += impact.get(action, 0.0)
        if total >= amount:
            return True
        for factor in hands.get(action, ()):
            for dependent, _ in accepting(model, factor):
                if dependent.id not in seen:
                    seen.add(dependent.id)
                    todo.append(dependent.id)
    return False
