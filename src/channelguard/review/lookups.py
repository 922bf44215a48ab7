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
from typing import TypeVar, cast

from channelguard.model.factors import Factor
from channelguard.model.schema import Action, ChannelModel, Path

__all__ = ["accepting", "carry_guards", "guards_at_least", "handed_over"]

T = TypeVar("T")
# per action its impact, and per action the actions that can build on it
_Guards = tuple[dict[str, float], dict[str, frozenset[str]]]
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
    impact, builds_on = _cached("guards", model, lambda: _guards(model, factors))
    seen, todo, total = set(actions), list(actions), 0.0
    while todo:
        action = todo.pop()
        total += impact.get(action, 0.0)
        if total >= amount:
            return True
        for dependent in sorted(builds_on.get(action, ())):
            if dependent not in seen:
                seen.add(dependent)
                todo.append(dependent)
    return False


def carry_guards(
    old: ChannelModel,
    new: ChannelModel,
    factors: Mapping[str, Factor],
    before: Action,
    after: Action,
) -> None:
    """`new` is `old` with `before` replaced by `after` (its impact unchanged, `factors`
    resolved for it): derive new's table from old's, when old has one, in the time
    of one action rather than a pass over the model."""
    kept = next((value for obj, value in _tables.get("guards", []) if obj is old), None)
    if kept is None:
        return
    impact, builds_on = cast(_Guards, kept)
    table = dict(builds_on)
    for via in _vias(before, factors):
        table[via] = table[via] - {before.id}
        if not table[via]:
            del table[via]
    for via in _vias(after, factors):
        table[via] = table.get(via, frozenset()) | {after.id}
    _cached("guards", new, lambda: (impact, table))


def _vias(action: Action, factors: Mapping[str, Factor]) -> set[str]:
    """The actions `action` can build on: those its paths' factors are obtainable via."""
    return {
        via
        for p in action.paths
        for f in p.factor_ids()
        if f in factors
        for via in factors[f].obtainable_via
    }


def _guards(model: ChannelModel, factors: Mapping[str, Factor]) -> _Guards:
    impact = {a.id: a.impact_usd for a in model.actions}
    builds_on: dict[str, set[str]] = {}
    for action in model.actions:
        for via in _vias(action, factors):
            builds_on.setdefault(via, set()).add(action.id)
    return impact, {k: frozenset(v) for k, v in builds_on.items()}
