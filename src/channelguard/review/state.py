"""The plan's working state: a model, the engine's result on it, its posture, and
one change applied (`step`) or tried in place and undone (`gain`).

Posture (plan.py) is how far, on a log scale, each action's expected attacker
cost has come toward its impact, weighted by impact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from channelguard.model.factors import Factor, builtin_specs, resolve_factor
from channelguard.model.loader import LoadedModel, from_model
from channelguard.model.schema import Action
from channelguard.review.candidates import spots
from channelguard.review.controls import Control, Target
from channelguard.review.engine import EngineResult, cheapest_attacks, recompute, what_if
from channelguard.review.exposure import exceeds
from channelguard.review.lookups import carry_guards

RAISE_FACTOR = 2.0  # a change that closes nothing is listed when it raises a cost this much
GAIN_EPS = 1e-6


Move = tuple[Control, Target]


def posture(loaded: LoadedModel, result: EngineResult) -> float:
    return sum(
        _contribution(a.impact_usd, result.expected_cost(a.id)) for a in loaded.model.actions
    )


def _contribution(impact: float, cost: float) -> float:
    if impact <= 0:
        return 0.0
    return impact * math.log1p(min(cost, impact)) / math.log1p(impact)


def exposed(loaded: LoadedModel, result: EngineResult) -> set[str]:
    return {a.id for a in loaded.model.actions if exceeds(a.impact_usd, result.expected_cost(a.id))}


@dataclass(frozen=True, kw_only=True)
class _State:
    loaded: LoadedModel
    result: EngineResult
    score: float
    open_: frozenset[str]
    where: dict[str, int]  # action id -> its index in the model (ids never change)


def _state(loaded: LoadedModel, result: EngineResult | None = None) -> _State:
    result = cheapest_attacks(loaded) if result is None else result
    return _State(
        loaded=loaded,
        result=result,
        score=posture(loaded, result),
        open_=frozenset(exposed(loaded, result)),
        where={a.id: i for i, a in enumerate(loaded.model.actions)},
    )


def _step(state: _State, move: Move) -> _State | None:
    """The state after one change: the model changed in one action (not re-validated:
    a catalogue control on a valid model keeps it valid), the engine redone for that
    action and those that build on it, posture and exposure updated for those alone.
    A factor-wide change is its control on each of its spots in turn."""
    if move[1].factor is not None:
        return _step_factor(state, move[0], move[1].factor)
    found = _changed(state, move)
    if found is None:
        return None
    index, changed = found
    loaded = _with_action(state.loaded, index, changed)
    result = recompute(state.result, loaded.factors, changed)
    affected = result.affected or frozenset(state.where)
    score = state.score
    open_ = set(state.open_)
    for a in affected:
        impact = loaded.model.actions[state.where[a]].impact_usd
        score += _contribution(impact, result.expected_cost(a)) - _contribution(
            impact, state.result.expected_cost(a)
        )
        open_.discard(a)
        if exceeds(impact, result.expected_cost(a)):
            open_.add(a)
    return _State(
        loaded=loaded, result=result, score=score, open_=frozenset(open_), where=state.where
    )


def _step_factor(state: _State, control: Control, factor: str) -> _State | None:
    """The control on every path that accepts `factor` where it fits; the result's
    `affected` is every action any of the steps redid."""
    now, reached = state, set[str]()
    for action, path in spots(state.loaded, control, factor):
        nxt = _step(now, (control, Target(action=action.id, path=path.id)))
        if nxt is not None:
            reached |= nxt.result.affected or set(state.where)
            now = nxt
    if now is state:
        return None
    return replace(now, result=replace(now.result, affected=frozenset(reached)))


def move_keys(loaded: LoadedModel, move: Move) -> list[tuple[str, str | None]]:
    """Where a move acts, as (action, path) keys for the bounds (bounds.Key)."""
    control, target = move
    if target.factor is None:
        return [(target.action, target.path)]
    return [(a.id, p.id) for a, p in spots(loaded, control, target.factor)]


def _changed(state: _State, move: Move) -> tuple[int, Action] | None:
    """Where the move's action stands in the model and the action after the change,
    or None when the control does not apply there (any more)."""
    control, target = move
    index = state.where.get(target.action)
    if index is None:
        return None
    action = state.loaded.model.actions[index]
    path = next((p for p in action.paths if p.id == target.path), None)
    if (control.path_level and path is None) or not control.proposable(state.loaded, action, path):
        return None
    return index, control.change(state.loaded, action, path)


def _with_action(loaded: LoadedModel, index: int, action: Action) -> LoadedModel:
    """The model with one action replaced; factors it now uses are resolved."""
    actions = list(loaded.model.actions)
    actions[index] = action
    model = loaded.model.model_copy(update={"actions": actions})
    factors = _factors_with(loaded, action)
    if factors is None:
        return from_model(model, loaded.file)  # let validation name the problem
    carry_guards(loaded.model, model, factors, loaded.model.actions[index], action)
    return replace(loaded, model=model, factors=factors)


def _factors_with(loaded: LoadedModel, action: Action) -> dict[str, Factor] | None:
    """The model's factors plus any the changed action now uses (None: one is unknown)."""
    new = {f for p in action.paths for f in p.factor_ids()} - set(loaded.factors)
    if any(p.approvals for p in action.paths):
        new |= {"second_approver"} - set(loaded.factors)
    if not new:
        return loaded.factors
    library = builtin_specs()
    if any(f not in library and f not in loaded.model.factors for f in new):
        return None
    factors = dict(loaded.factors)
    for fid in new:
        factors[fid] = resolve_factor(fid, loaded.model.factors.get(fid), library.get(fid))
    return factors


@dataclass(frozen=True, kw_only=True, slots=True)
class _Trial:
    gain: float  # posture gained
    substantial: bool  # closes an exposed action or raises one RAISE_FACTOR-fold
    reads: frozenset[str] = frozenset()  # the actions whose fronts the figure depends on


def _gain(state: _State, move: Move) -> _Trial | None:
    """What one change would do, tried in place and undone: the queue scores every
    candidate this way without building a model per candidate (a factor-wide one
    is applied on a copy: it changes several actions)."""
    if move[1].factor is not None:
        return _gain_factor(state, move)
    found = _changed(state, move)
    if found is None:
        return None
    changed = found[1]
    factors = _factors_with(state.loaded, changed)
    if factors is None:
        return None
    gain, substantial = 0.0, False
    found_attacks = what_if(state.result, factors, changed)
    for a, attack in found_attacks.items():
        impact = state.loaded.model.actions[state.where[a]].impact_usd
        before = state.result.expected_cost(a)
        after = math.inf if attack is None else attack.expected_cost_usd
        gain += _contribution(impact, after) - _contribution(impact, before)
        if a in state.open_ and (not exceeds(impact, after) or after >= RAISE_FACTOR * before):
            substantial = True
    return _Trial(gain=gain, substantial=substantial, reads=_reads(state, found_attacks))


def _reads(state: _State, actions: Iterable[str]) -> frozenset[str]:
    """The actions a figure on `actions` depends on: they and those they build on."""
    assert state.result.memo is not None
    uses = state.result.memo.compiled.uses
    reads = set(actions)
    for a in list(reads):
        reads |= uses.get(a, set())
    return frozenset(reads)


def _gain_factor(state: _State, move: Move) -> _Trial | None:
    nxt = _step(state, move)
    if nxt is None:
        return None
    affected = nxt.result.affected or frozenset(state.where)
    substantial = False
    for a in affected & state.open_:
        before, after = state.result.expected_cost(a), nxt.result.expected_cost(a)
        if a not in nxt.open_ or after >= RAISE_FACTOR * before:
            substantial = True
    return _Trial(
        gain=nxt.score - state.score, substantial=substantial, reads=_reads(state, affected)
    )
