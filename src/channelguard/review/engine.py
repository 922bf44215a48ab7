"""The path engine: the cheapest impersonation path to every action.

Semantics (shared/spec/channel-model.md): a path is an AND of requirements, an
action an OR of paths; a requirement is a factor or `any_of` factors; a factor
passes with 1 - (1 - p)^attempts; path cost and time add up, probabilities
multiply; the expected cost to succeed is cost / probability. A factor with
`obtainable_via` may instead be had by first completing one of those actions,
through one of that action's attacks. Costs are found by a worklist fixpoint
(Bellman-Ford style): an action is re-evaluated only when an action it can
build on gained a better attack, and a chain never contains the action it
serves, so cycles terminate. `approvals: N` adds N `second_approver` factors.

Expected cost does not compose (a prerequisite's cheapest attack by cost ÷
probability is not always the best ingredient of a chain), so each action keeps
a small Pareto front of attacks, none cheaper and likelier than another, and a
chain may build on any of them. The action's answer is the front's least
expected cost.
"""

from __future__ import annotations

import gc
import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from channelguard.model.factors import Factor
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Action
from channelguard.review.attack import Attack, Front, Step, Term
from channelguard.review.combine import evaluate
from channelguard.review.compiled import Compiled, chain_terms
from channelguard.review.front import dominates, merge

__all__ = [
    "Attack",
    "EngineResult",
    "Step",
    "Term",
    "chain_terms",
    "cheapest_attacks",
    "recompute",
    "what_if",
]

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class EngineResult:
    attacks: Mapping[str, Attack | None]
    evaluations: int
    converged: bool = True
    # what `recompute` needs to redo only the actions a change can reach
    memo: _Memo | None = field(default=None, repr=False, compare=False)
    affected: frozenset[str] | None = None  # set by `recompute`: the actions it redid

    def expected_cost(self, action: str) -> float:
        attack = self.attacks.get(action)
        return math.inf if attack is None else attack.expected_cost_usd


@dataclass(slots=True)
class _Memo:
    compiled: Compiled
    fronts: dict[str, Front]
    # action -> the other actions whose fronts hold an attack through it (built on demand)
    users: dict[str, set[str]] | None = None

    def users_of(self, action: str) -> set[str]:
        if self.users is None:
            self.users = {}
            for user, front in self.fronts.items():
                for attack in front:
                    for step in attack.steps[:-1]:
                        self.users.setdefault(step.action, set()).add(user)
        return self.users.get(action, set())


def _reach(
    c: Compiled, fronts: dict[str, Front], users: Callable[[str], set[str]], changed: str
) -> tuple[set[str], bool]:
    """The actions whose cheapest attack a change to `changed` can alter.

    When the change only hardens `changed` (each attack its front would keep now is
    dominated by one it kept before: dearer and no likelier), an attack through it
    can only get worse, so an action none of whose kept attacks goes through it
    keeps its best one: only `changed` and the actions whose fronts use it are
    redone, and the settle stays among them (True). Otherwise (a change that can
    make it cheaper) the same actions are redone, and the settle may spread from
    them to any action that can build on them, which keeps its still-valid attacks
    and merges the cheaper ones (False). The front, not every attack found, is
    compared: other actions only ever build on the front, and an attack the front's
    size left out is not dominated by any kept one."""
    old = fronts.get(changed, [])
    new = merge([], evaluate(c, changed, fronts)) or []
    hardened = all(any(dominates(o, n) for o in old) for n in new)
    return {changed} | users(changed), hardened


def cheapest_attacks(loaded: LoadedModel) -> EngineResult:
    """The cheapest attack (by expected cost) on every action, to a fixpoint."""
    compiled = Compiled(loaded)
    return _quietly(
        lambda: _fixpoint(compiled, {a: [] for a in compiled.paths}, list(compiled.paths), None)
    )


def recompute(base: EngineResult, factors: Mapping[str, Factor], changed: Action) -> EngineResult:
    """The result for a model that differs from base's only in the action `changed`
    (with `factors` resolved): only that action and the actions that can build on it
    are redone; no other action's attacks can use theirs, so every other answer stands."""
    assert base.memo is not None, "recompute needs a result of cheapest_attacks"
    compiled = base.memo.compiled.with_action(factors, changed)
    fronts = dict(base.memo.fronts)
    affected, hardened = _reach(compiled, fronts, base.memo.users_of, changed.id)
    for action in affected:
        fronts[action] = []
    ordered = sorted(affected, key=compiled.order.__getitem__)  # the model's order
    within = affected if hardened else None
    return _quietly(lambda: _fixpoint(compiled, fronts, ordered, base, within))


def _quietly(run: Callable[[], T]) -> T:
    # The engine allocates many small acyclic objects; the cyclic collector's full
    # scans over them make large models superlinear, and there is nothing to collect.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return run()
    finally:
        if enabled:
            gc.enable()


def what_if(
    base: EngineResult, factors: Mapping[str, Factor], changed: Action
) -> dict[str, Attack | None]:
    """The new cheapest attacks of the actions a change to one action reaches, with
    nothing built: the change is made in place on base's tables, the reached actions
    are settled, and everything is put back. For trying many changes one at a time."""
    assert base.memo is not None, "what_if needs a result of cheapest_attacks"
    memo = base.memo
    c, fronts = memo.compiled, memo.fronts
    saved = (c.factors, c.paths[changed.id], c.prereq[changed.id], c.uses[changed.id])
    dependents = dict(c.dependents)  # small: only actions that hand out a factor
    kept: dict[str, Front] = {}
    try:
        c.factors = factors
        c._replace(changed)
        affected, hardened = _reach(c, fronts, memo.users_of, changed.id)
        kept = {a: fronts[a] for a in affected}
        for a in affected:
            fronts[a] = []
        order = sorted(affected, key=c.order.__getitem__)
        touched = _Touched(fronts, kept)
        within = affected if hardened else None
        _quietly(lambda: _settle(c, fronts, order, touched, within))
        return {a: (fronts[a][0] if fronts[a] else None) for a in affected | set(touched.kept)}
    finally:
        c.factors, c.paths[changed.id], c.prereq[changed.id], c.uses[changed.id] = saved
        c.dependents = dependents
        fronts.update(kept)


@dataclass(slots=True)
class _Touched:
    """Keeps the first front of every action a settle changes, to put it back."""

    fronts: dict[str, Front]
    kept: dict[str, Front]

    def __call__(self, action: str) -> None:
        if action not in self.kept:
            self.kept[action] = self.fronts[action]


def _fixpoint(
    compiled: Compiled,
    fronts: dict[str, Front],
    start: list[str],
    base: EngineResult | None,
    within: set[str] | None = None,
) -> EngineResult:
    changed: set[str] = set(start)
    before = None if base is None or base.memo is None else base.memo
    evaluations, converged = _settle(compiled, fronts, start, changed.add, within)
    memo = _Memo(compiled, fronts, _users_after(before, fronts, changed))
    if base is None:
        first = {a: (front[0] if front else None) for a, front in fronts.items()}
        return EngineResult(attacks=first, evaluations=evaluations, converged=converged, memo=memo)
    attacks = dict(base.attacks)
    for a in changed:
        attacks[a] = fronts[a][0] if fronts[a] else None
    return EngineResult(
        attacks=attacks,
        evaluations=evaluations,
        converged=converged and base.converged,
        memo=memo,
        affected=frozenset(changed),
    )


def _users_after(
    before: _Memo | None, fronts: dict[str, Front], changed: set[str]
) -> dict[str, set[str]] | None:
    """`before`'s users table brought up to date for the actions whose fronts changed
    (None when it was never built: `users_of` builds it on demand). The sets that
    change are copied, the others shared: `before` stays as it was."""
    if before is None or before.users is None:
        return None
    users = dict(before.users)
    for action in changed:
        for attack in before.fronts.get(action, ()):
            for step in attack.steps[:-1]:
                if action in users.get(step.action, ()):
                    users[step.action] = users[step.action] - {action}
    for action in changed:
        for attack in fronts.get(action, ()):
            for step in attack.steps[:-1]:
                if action not in users.get(step.action, ()):
                    users[step.action] = users.get(step.action, set()) | {action}
    return users


def _settle(
    compiled: Compiled,
    fronts: dict[str, Front],
    start: list[str],
    touch: Callable[[str], None] | None = None,
    within: set[str] | None = None,
) -> tuple[int, bool]:
    """Re-evaluate from `start` until no action finds a better attack (in place);
    `touch` hears of every action before its front is replaced; with `within`, only
    those actions are re-evaluated (the others' best attacks cannot change: `_reach`)."""
    queue = deque(start)
    queued = set(start)
    evaluations = 0
    limit = 50 * max(1, len(start)) + 1000
    while queue:
        action = queue.popleft()
        queued.discard(action)
        evaluations += 1
        if evaluations > limit:  # a safety net: every attack kept is still a real one
            break
        old = fronts[action]
        merged = merge(old, evaluate(compiled, action, fronts, beat=old))
        if merged is None:
            continue
        if touch is not None:
            touch(action)
        fronts[action] = merged
        for dependent in compiled.dependents.get(action, ()):
            if dependent not in queued and (within is None or dependent in within):
                queued.add(dependent)
                queue.append(dependent)
    return evaluations, not queue
