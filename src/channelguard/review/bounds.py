"""Upper bounds on what one change can gain, so the plan scores few candidates.

A catalogue change on path `p` of action `X` (or on `X` itself: a cooling-off,
a notice) only makes attacks that take that path (or build on `X`) dearer or
less likely. An action whose cheapest attack avoids it keeps that attack, so
its cost cannot rise; one whose cheapest attack takes it can rise at most to
the cheapest other attack it keeps (its Pareto front, front.py) that avoids
the change, and never counts past its impact. Summed over the actions, that
bounds the posture the change can gain: the plan scores a candidate with the
engine only when its bound could beat the best figure found so far.

The bound leans on the engine's own front, so it is as exact as the engine:
an attack the front's size left out, or a path with more combinations than
the engine enumerates, can in rare cases let a change gain more than its
bound. The plan then still lists only gains the engine computed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from channelguard.review.engine import Attack, EngineResult

__all__ = ["Key", "Users", "bound"]

# where a change acts: (action, path) for a path-level control, (action, None) for
# one on the action itself, which reaches the chains that build on the action
Key = tuple[str, str | None]


def _keys(attack: Attack) -> list[Key]:
    keys: list[Key] = [(s.action, s.path) for s in attack.steps]
    keys.extend((s.action, None) for s in attack.steps[:-1])
    return keys


def _takes(attack: Attack, key: Key) -> bool:
    action, path = key
    if path is None:
        return any(s.action == action for s in attack.steps[:-1])
    return any(s.action == action and s.path == path for s in attack.steps)


@dataclass(slots=True)
class Users:
    """Which actions' cheapest attacks take each path, or build on each action."""

    of: dict[Key, set[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, attacks: Mapping[str, Attack | None]) -> Users:
        users = cls()
        for action, attack in attacks.items():
            users.add(action, attack)
        return users

    def add(self, action: str, attack: Attack | None) -> None:
        for key in _keys(attack) if attack is not None else ():
            self.of.setdefault(key, set()).add(action)

    def remove(self, action: str, attack: Attack | None) -> None:
        for key in _keys(attack) if attack is not None else ():
            self.of.get(key, set()).discard(action)

    def update(self, actions: Iterable[str], before: EngineResult, after: EngineResult) -> set[Key]:
        """Move the actions from their attacks in `before` to those in `after`; the
        keys whose users or whose users' alternatives may have changed."""
        touched: set[Key] = set()
        for action in actions:
            old, new = before.attacks.get(action), after.attacks.get(action)
            touched.update(_keys(old) if old is not None else ())
            touched.update(_keys(new) if new is not None else ())
            self.remove(action, old)
            self.add(action, new)
        return touched


@dataclass(frozen=True, kw_only=True, slots=True)
class Bound:
    gain: float  # at most this much posture
    may_matter: bool  # could close an exposed action or raise one `raise_factor`-fold


def bound(
    key: Key | list[Key],
    users: Users,
    result: EngineResult,
    *,
    impact: Mapping[str, float],
    exposed: frozenset[str],
    contribution: Callable[[float, float], float],
    raise_factor: float,
) -> Bound:
    """The most a change at `key` can gain (module docstring); a factor-wide change
    acts at several keys (state.move_keys): only attacks that take none of them are
    sure to keep their cost."""
    assert result.memo is not None, "bounds need a result of cheapest_attacks"
    fronts = result.memo.fronts
    keys = key if isinstance(key, list) else [key]
    reached = sorted({a for k in keys for a in users.of.get(k, ())})
    gain, may_matter = 0.0, False
    for action in reached:
        now = result.expected_cost(action)
        alt = min(
            (
                a.expected_cost_usd
                for a in fronts.get(action, ())
                if not any(_takes(a, k) for k in keys)
            ),
            default=math.inf,
        )
        worth = impact[action]
        gain += contribution(worth, min(alt, worth)) - contribution(worth, now)
        if action in exposed and (alt >= worth or alt >= raise_factor * now):
            may_matter = True
    return Bound(gain=gain, may_matter=may_matter)
