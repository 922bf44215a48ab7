"""The path engine: the cheapest impersonation path to every action.

Semantics (shared/spec/channel-model.md): a path is an AND of requirements, an
action an OR of paths; a requirement is a factor or `any_of` factors; a factor
passes with 1 - (1 - p)^attempts; path cost and time add up, probabilities
multiply; the expected cost to succeed is cost / probability. A factor with
`obtainable_via` may instead be had by first completing one of those actions,
at that action's own cheapest attack. Costs are found by a worklist fixpoint
(Bellman-Ford style): an action is re-evaluated only when an action it can
build on got cheaper, and a chain never contains the action it serves, so
cycles terminate. `approvals: N` adds N `second_approver` factors.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass

from channelguard.model.factors import Factor
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Path
from channelguard.review.assumptions import EXACT_COMBINATIONS, intercept_probability

__all__ = ["Attack", "EngineResult", "Step", "cheapest_attacks"]

_EPS = 1e-9


@dataclass(frozen=True, kw_only=True, slots=True)
class Step:
    """One action the attacker completes: the path taken and what it cost alone."""

    action: str
    path: str
    factors: tuple[str, ...]
    obtained: tuple[str, ...]
    cost_usd: float
    minutes: float
    success_probability: float


@dataclass(frozen=True, kw_only=True, slots=True)
class Attack:
    """The attacker's plan for one action: steps in order, the last is the action."""

    steps: tuple[Step, ...]
    cost_usd: float
    minutes: float
    success_probability: float

    @property
    def expected_cost_usd(self) -> float:
        return self.cost_usd / self.success_probability

    @property
    def final(self) -> Step:
        return self.steps[-1]

    def actions(self) -> tuple[str, ...]:
        return tuple(step.action for step in self.steps)


@dataclass(frozen=True, kw_only=True)
class EngineResult:
    attacks: dict[str, Attack | None]
    evaluations: int

    def expected_cost(self, action: str) -> float:
        attack = self.attacks.get(action)
        return math.inf if attack is None else attack.expected_cost_usd


@dataclass(frozen=True, slots=True)
class _Piece:
    """One way to satisfy a requirement: pass `factor` directly, or hold it via `via`."""

    factor: str
    via: str | None


@dataclass(frozen=True, slots=True)
class _Path:
    id: str
    fixed: tuple[str, ...]  # factors with no alternative: always passed directly
    variable: tuple[tuple[_Piece, ...], ...]  # requirements with choices
    fixed_cost: float
    fixed_minutes: float
    fixed_probability: float


@dataclass(frozen=True, slots=True)
class _Prereq:
    minutes: float
    survival: float


class _Compiled:
    def __init__(self, loaded: LoadedModel) -> None:
        self.factors = loaded.factors
        self.paths: dict[str, list[_Path]] = {}
        self.prereq: dict[str, _Prereq] = {}
        self.dependents: dict[str, set[str]] = {}
        for action in loaded.model.actions:
            h = action.cooling_off_hours
            survival = 1.0 - intercept_probability(h, action.notifies_old_contact)
            self.prereq[action.id] = _Prereq(minutes=h * 60.0, survival=survival)
            self.paths[action.id] = [self._path(action.id, p) for p in action.paths]

    def _path(self, action_id: str, path: Path) -> _Path:
        fixed: list[str] = []
        variable: list[tuple[_Piece, ...]] = []
        for item in path.requires:
            names = [item] if isinstance(item, str) else list(dict.fromkeys(item.any_of))
            pieces = [_Piece(n, None) for n in names]
            for name in names:
                for via in self.factors[name].obtainable_via:
                    pieces.append(_Piece(name, via))
                    self.dependents.setdefault(via, set()).add(action_id)
            if len(pieces) == 1:
                fixed.append(names[0])
            else:
                variable.append(tuple(pieces))
        fixed.extend(["second_approver"] * path.approvals)
        fs = [self.factors[f] for f in fixed]
        return _Path(
            id=path.id,
            fixed=tuple(fixed),
            variable=tuple(variable),
            fixed_cost=sum(f.attacker_cost_usd for f in fs),
            fixed_minutes=sum(f.attacker_minutes for f in fs),
            fixed_probability=math.prod(f.pass_probability for f in fs),
        )


def cheapest_attacks(loaded: LoadedModel) -> EngineResult:
    """The cheapest attack (by expected cost) on every action, to a fixpoint."""
    compiled = _Compiled(loaded)
    best: dict[str, Attack | None] = {a: None for a in compiled.paths}
    queue = deque(compiled.paths)
    queued = set(compiled.paths)
    evaluations = 0
    limit = 50 * max(1, len(best)) + 1000
    while queue:
        action = queue.popleft()
        queued.discard(action)
        evaluations += 1
        if evaluations > limit:  # cannot happen with strict improvement; fail loudly
            raise RuntimeError("path engine did not reach a fixpoint")
        found = _evaluate(compiled, action, best)
        if found is None or not _better(found, best[action]):
            continue
        best[action] = found
        for dependent in compiled.dependents.get(action, ()):
            if dependent not in queued:
                queued.add(dependent)
                queue.append(dependent)
    return EngineResult(attacks=best, evaluations=evaluations)


def _better(new: Attack, old: Attack | None) -> bool:
    if old is None:
        return True
    a, b = new.expected_cost_usd, old.expected_cost_usd
    return a < b - _EPS * max(1.0, b)


def _evaluate(c: _Compiled, action: str, best: dict[str, Attack | None]) -> Attack | None:
    winner: Attack | None = None
    for path in c.paths[action]:
        candidate = _best_on_path(c, action, path, best)
        if candidate is not None and _better(candidate, winner):
            winner = candidate
    return winner


def _usable(piece: _Piece, action: str, best: dict[str, Attack | None]) -> bool:
    if piece.via is None:
        return True
    prior = best.get(piece.via)
    return prior is not None and action not in prior.actions()


def _best_on_path(
    c: _Compiled, action: str, path: _Path, best: dict[str, Attack | None]
) -> Attack | None:
    choices = [[p for p in item if _usable(p, action, best)] for item in path.variable]
    if any(not options for options in choices):
        return None
    if math.prod(len(options) for options in choices) <= EXACT_COMBINATIONS:
        combos = itertools.product(*choices)
    else:
        combos = iter([tuple(min(opts, key=lambda p: _alone(c, p, best)) for opts in choices)])
    winner: Attack | None = None
    for combo in combos:
        attack = _assemble(c, action, path, combo, best)
        if attack is not None and _better(attack, winner):
            winner = attack
    return winner


def _alone(c: _Compiled, piece: _Piece, best: dict[str, Attack | None]) -> float:
    if piece.via is None:
        f = c.factors[piece.factor]
        return f.attacker_cost_usd / f.pass_probability
    prior = best[piece.via]
    survival = c.prereq[piece.via].survival
    if prior is None or survival <= 0:
        return math.inf
    return prior.expected_cost_usd / survival


def _assemble(
    c: _Compiled,
    action: str,
    path: _Path,
    combo: tuple[_Piece, ...],
    best: dict[str, Attack | None],
) -> Attack | None:
    direct = list(path.fixed)
    obtained: list[str] = []
    steps: dict[str, Step] = {}
    for piece in combo:
        if piece.via is None:
            direct.append(piece.factor)
            continue
        obtained.append(piece.factor)
        prior = best[piece.via]
        assert prior is not None
        for step in prior.steps:
            steps.setdefault(step.action, step)
    if action in steps:
        return None
    own = [c.factors[f] for f in direct[len(path.fixed) :]]
    step = _own_step(action, path, direct, obtained, own)
    cost, minutes, prob = step.cost_usd, step.minutes, step.success_probability
    for prior_step in steps.values():
        pre = c.prereq[prior_step.action]
        cost += prior_step.cost_usd
        minutes += prior_step.minutes + pre.minutes
        prob *= prior_step.success_probability * pre.survival
    if prob <= 0:
        return None
    return Attack(
        steps=(*steps.values(), step), cost_usd=cost, minutes=minutes, success_probability=prob
    )


def _own_step(
    action: str, path: _Path, direct: list[str], obtained: list[str], extra: list[Factor]
) -> Step:
    return Step(
        action=action,
        path=path.id,
        factors=tuple(direct),
        obtained=tuple(obtained),
        cost_usd=path.fixed_cost + sum(f.attacker_cost_usd for f in extra),
        minutes=path.fixed_minutes + sum(f.attacker_minutes for f in extra),
        success_probability=path.fixed_probability * math.prod(f.pass_probability for f in extra),
    )
