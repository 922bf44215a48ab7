"""Plan items: each chosen change with what it did (its effect on every action's
expected cost, the posture gained, the attacker cost raised), and changes that
move no cost on their own folded into the item they enable."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from channelguard.model.schema import Action
from channelguard.review.controls import CONTROLS, Target
from channelguard.review.fit import Fit
from channelguard.review.state import Move, _State, _step

__all__ = [
    "Change",
    "Effect",
    "Listings",
    "PlanItem",
    "fold",
    "listed",
    "listed_along",
    "same_cost",
]

_CONTROLS = {c.id: c for c in CONTROLS}


@dataclass(frozen=True, kw_only=True, slots=True)
class Effect:
    action: str
    before_usd: float
    after_usd: float
    exposed_before: bool
    exposed_after: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class Change:
    """A change folded into a plan item: it moves no expected cost on its own, and
    the item needs it (two equally cheap paths to one action closed one after the
    other); applied before the item's own change."""

    control: str
    title: str
    target: Target
    friction: float


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanItem:
    rank: int
    control: str
    title: str
    target: Target
    friction: float  # the item's whole friction: its control's and the folded ones'
    fit: Fit  # the control's performer, customers, industries and needs
    gain_usd: float  # posture gained (module docstring): what the plan ranks by
    raised_usd: float  # attacker cost added, each action counted up to its impact
    effects: tuple[Effect, ...]
    together: tuple[Change, ...] = ()  # changes folded in, applied before this one

    def changes(self) -> list[tuple[str, Target]]:
        """(control, target) of every change the item makes, in the order applied."""
        return [(c.control, c.target) for c in self.together] + [(self.control, self.target)]

    @property
    def closes(self) -> tuple[str, ...]:
        return tuple(e.action for e in self.effects if e.exposed_before and not e.exposed_after)


def listed(start: _State, moves: list[Move]) -> tuple[list[PlanItem], _State]:
    path: list[tuple[Move, _State]] = []
    state = start
    for move in moves:
        nxt = _step(state, move)
        if nxt is not None:
            path.append((move, nxt))
            state = nxt
    return listed_along(start, path)


@dataclass(kw_only=True, slots=True)
class Listings:
    """`listed` from one start, once per sequence of moves: the plan asks "the plan
    without this change" when it drops a change that moves nothing (plan._items) and
    again when it folds one into the item it enables (`fold`); both ask this."""

    start: _State
    done: dict[tuple[tuple[str, Target], ...], tuple[list[PlanItem], _State]] = field(
        default_factory=dict
    )

    def of(self, moves: list[Move]) -> tuple[list[PlanItem], _State]:
        key = tuple((control.id, target) for control, target in moves)
        if key not in self.done:
            self.done[key] = listed(self.start, moves)
        return self.done[key]


def listed_along(start: _State, path: list[tuple[Move, _State]]) -> tuple[list[PlanItem], _State]:
    """Plan items for changes already applied one after the other."""
    items: list[PlanItem] = []
    state = start
    for move, nxt in path:
        items.append(
            PlanItem(
                rank=len(items) + 1,
                control=move[0].id,
                title=move[0].title,
                target=move[1],
                friction=move[0].friction,
                fit=move[0].fit,
                gain_usd=nxt.score - state.score,
                raised_usd=_raised(state, nxt),
                effects=_effects(state, nxt),
            )
        )
        state = nxt
    return items, state


def fold(listings: Listings, items: list[PlanItem]) -> list[PlanItem]:
    """Fold each item that moves no expected cost into the first later item whose
    effects differ without it (the item it enables), else into the next item that
    moves a cost; one with no later item is dropped (it enables nothing). Items
    listed from `listings.start`."""
    into: dict[int, int] = {}  # folded item -> the item it went into
    for i, item in enumerate(items):
        if item.effects:
            continue
        moves = [_move(m) for k, m in enumerate(items) if k != i]
        without, _ = listings.of(moves)
        effects = {(w.control, w.target): _figures(w) for w in without}
        later = items[i + 1 :]
        enabled = next(
            (k for k, m in enumerate(later) if effects.get((m.control, m.target)) != _figures(m)),
            next((k for k, m in enumerate(later) if m.effects), None),
        )
        if enabled is not None:
            into[i] = i + 1 + enabled
    if not any(not item.effects for item in items):
        return items
    out: list[PlanItem] = []
    for i, item in enumerate(items):
        if not item.effects:
            continue
        folded = sorted(_sources(into, i))
        together = tuple(
            Change(
                control=items[k].control,
                title=items[k].title,
                target=items[k].target,
                friction=items[k].friction,
            )
            for k in folded
        )
        out.append(
            replace(
                item,
                rank=len(out) + 1,
                friction=item.friction + sum(c.friction for c in together),
                gain_usd=item.gain_usd + sum(items[k].gain_usd for k in folded),
                together=together,
            )
        )
    return out


def _figures(item: PlanItem) -> tuple[tuple[str, float, float, bool], ...]:
    """An item's effects, rounded: a replay along another order may differ in the
    last bits of a sum."""
    return tuple(
        (e.action, round(e.before_usd, 6), round(e.after_usd, 6), e.exposed_after)
        for e in item.effects
    )


def _sources(into: dict[int, int], target: int) -> set[int]:
    """The items folded into `target`, directly or through another folded item."""
    direct = {k for k, v in into.items() if v == target}
    return direct.union(*(_sources(into, k) for k in direct))


def _move(item: PlanItem) -> Move:
    return _CONTROLS[item.control], item.target


def _reached(before: _State, after: _State) -> list[Action]:
    """The actions whose cost the step from `before` to `after` may have moved, in the
    model's order (all of them unless the engine said which it redid)."""
    affected = after.result.affected
    actions = before.loaded.model.actions
    if affected is None:
        return list(actions)
    return [actions[i] for i in sorted(before.where[a] for a in affected)]


def _raised(before: _State, after: _State) -> float:
    """Attacker cost added, each action counted up to its impact."""
    total = 0.0
    for action in _reached(before, after):
        b, a = before.result.expected_cost(action.id), after.result.expected_cost(action.id)
        total += min(a, action.impact_usd) - min(b, action.impact_usd)
    return total


def _effects(before: _State, after: _State) -> tuple[Effect, ...]:
    out = []
    for action in _reached(before, after):
        b, a = before.result.expected_cost(action.id), after.result.expected_cost(action.id)
        if same_cost(a, b):
            continue
        out.append(
            Effect(
                action=action.id,
                before_usd=b,
                after_usd=a,
                exposed_before=action.id in before.open_,
                exposed_after=action.id in after.open_,
            )
        )
    return tuple(out)


def same_cost(a: float, b: float) -> bool:
    """Two expected costs the plan treats as one (both infinite, or equal but for
    the last bits of a sum)."""
    return (math.isinf(a) and math.isinf(b)) or math.isclose(a, b, rel_tol=1e-9)
