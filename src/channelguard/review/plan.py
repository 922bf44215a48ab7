"""The hardening plan: which controls raise attacker cost most per unit of friction.

Posture is how far, on a log scale, each action's expected attacker cost has
come toward its impact, weighted by impact:

    posture = sum over actions of impact * log(1 + min(E, impact)) / log(1 + impact)

An action whose cost reaches its impact scores its full impact: raising it
further changes nothing for a rational attacker, who has already given up. The
log scale values a tenfold raise of a $30 path as much at every level, so
hardening a shared choke point counts even before it closes an exposure.

- Small models (at most EXACT_CANDIDATES candidate changes): every subset is
  tried; the plan is the subset that leaves the fewest actions exposed, then
  the least friction, then the fewest policy findings left, then the highest
  posture.
- Larger models: greedy, each round taking the change with the best posture
  gain per unit of friction; where no single change gains (two equally cheap
  paths), pairs among the changes on the current cheapest paths are tried.

Every item's effects come from re-running the engine on the changed model.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass

from channelguard.model.loader import LoadedModel, from_model
from channelguard.review.controls import Control, Target, apply, candidates
from channelguard.review.engine import EngineResult, cheapest_attacks
from channelguard.review.policy import check_policy

__all__ = ["Effect", "PlanItem", "make_plan", "posture"]

EXACT_CANDIDATES = 10
PAIR_CANDIDATES = 40
MAX_ITEMS = 40
_GAIN_EPS = 1e-6


@dataclass(frozen=True, kw_only=True, slots=True)
class Effect:
    action: str
    before_usd: float
    after_usd: float
    exposed_before: bool
    exposed_after: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanItem:
    rank: int
    control: str
    title: str
    target: Target
    friction: float
    gain_usd: float
    effects: tuple[Effect, ...]


Move = tuple[Control, Target]


def posture(loaded: LoadedModel, result: EngineResult) -> float:
    total = 0.0
    for action in loaded.model.actions:
        impact = action.impact_usd
        if impact <= 0:
            continue
        cost = min(result.expected_cost(action.id), impact)
        total += impact * math.log1p(cost) / math.log1p(impact)
    return total


def exposed(loaded: LoadedModel, result: EngineResult) -> set[str]:
    return {a.id for a in loaded.model.actions if a.impact_usd > result.expected_cost(a.id)}


@dataclass(frozen=True, kw_only=True)
class _State:
    loaded: LoadedModel
    result: EngineResult
    score: float
    open_: frozenset[str]


def _state(loaded: LoadedModel) -> _State:
    result = cheapest_attacks(loaded)
    return _State(
        loaded=loaded,
        result=result,
        score=posture(loaded, result),
        open_=frozenset(exposed(loaded, result)),
    )


def _step(state: _State, move: Move) -> _State | None:
    control, target = move
    action = next((a for a in state.loaded.model.actions if a.id == target.action), None)
    if action is None:
        return None
    path = next((p for p in action.paths if p.id == target.path), None)
    if control.path_level and path is None:
        return None
    if not control.applies(state.loaded, action, path):
        return None
    changed = apply(state.loaded, control, target)
    return _state(from_model(changed, state.loaded.file))


def make_plan(loaded: LoadedModel, *, max_items: int = MAX_ITEMS) -> list[PlanItem]:
    start = _state(loaded)
    moves = candidates(loaded)
    if not start.open_:
        return []
    if len(moves) <= EXACT_CANDIDATES:
        chosen = _exact(start, moves)
    else:
        chosen = _prune(start, _greedy(start, max_items))
    return _items(start, _order(start, chosen))


def _exact(start: _State, moves: list[Move]) -> list[Move]:
    """Every subset of the moves, each state built once from its parent's (a depth-first
    walk shares prefixes: 2^n engine runs, not n * 2^n). Ties go to the smaller subset,
    then to the earlier combination, as a size-by-size enumeration would."""
    best: tuple[tuple[int, float, int, float, int, tuple[int, ...]], list[Move]] | None = None

    def visit(state: _State, chosen: tuple[int, ...], friction: float) -> None:
        nonlocal best
        key = (
            len(state.open_),
            friction,
            len(check_policy(state.loaded)),
            -state.score,
            len(chosen),
            chosen,
        )
        if best is None or key < best[0]:
            best = (key, [moves[i] for i in chosen])
        for i in range(chosen[-1] + 1 if chosen else 0, len(moves)):
            nxt = _step(state, moves[i])
            if nxt is not None:
                visit(nxt, (*chosen, i), friction + moves[i][0].friction)

    visit(start, (), 0.0)
    return best[1] if best else []


def _ratio(before: _State, after: _State, friction: float) -> float:
    return (after.score - before.score) / max(friction, 0.1)


def _greedy(start: _State, max_items: int) -> list[Move]:
    """Lazy greedy: every candidate is scored once against the starting model; each
    round re-scores only the head of the queue, and takes it when its fresh gain per
    friction still beats every other candidate's older figure. That assumes gains only
    fall as changes pile up; the posture is not proven submodular, so this is an
    approximation of the full greedy. Pairs are tried when no single change gains, then the queue is
    rebuilt from the changed model. Every accepted gain is a real engine result."""
    state, chosen = start, list[Move]()
    heap = _queue(state)
    while state.open_ and len(chosen) < max_items:
        if not heap:
            pick = _best_pair(state)
            if pick is None:
                break
            for move in pick:
                nxt = _step(state, move)
                assert nxt is not None
                state = nxt
                chosen.append(move)
            heap = _queue(state)
            continue
        _, friction, order, move = heapq.heappop(heap)
        nxt = _step(state, move)
        if nxt is None or nxt.score - state.score <= _GAIN_EPS:
            continue  # no longer applies, or no longer helps
        ratio = _ratio(state, nxt, friction)
        if heap and (-ratio, friction, order) > heap[0][:3]:
            heapq.heappush(heap, (-ratio, friction, order, move))  # stale leader: re-queue
            continue
        state = nxt
        chosen.append(move)
    return chosen


def _queue(state: _State) -> list[tuple[float, float, int, Move]]:
    heap: list[tuple[float, float, int, Move]] = []
    for order, move in enumerate(candidates(state.loaded)):
        nxt = _step(state, move)
        if nxt is None or nxt.score - state.score <= _GAIN_EPS:
            continue
        heap.append((-_ratio(state, nxt, move[0].friction), move[0].friction, order, move))
    heapq.heapify(heap)
    return heap


def _run(start: _State, moves: list[Move]) -> _State:
    state = start
    for move in moves:
        state = _step(state, move) or state
    return state


def _prune(start: _State, chosen: list[Move]) -> list[Move]:
    """Reverse delete: drop a change when the rest leave no more actions exposed."""
    keep = list(chosen)
    target = len(_run(start, keep).open_)
    for move in reversed(chosen):
        trial = [m for m in keep if m is not move]
        if len(_run(start, trial).open_) <= target:
            keep = trial
    return keep


def _near_exposed(state: _State) -> list[Move]:
    """Changes on exposed actions or on the steps of their cheapest attacks."""
    steps = {
        s.action
        for a in state.open_
        if (attack := state.result.attacks.get(a)) is not None
        for s in attack.steps
    }
    moves = [m for m in candidates(state.loaded) if m[1].action in steps | state.open_]
    return moves[:PAIR_CANDIDATES]


def _best_pair(state: _State) -> list[Move] | None:
    best: float | None = None
    pick: list[Move] | None = None
    for first, second in itertools.combinations(_near_exposed(state), 2):
        mid = _step(state, first)
        end = _step(mid, second) if mid else None
        if end is None or end.score - state.score <= _GAIN_EPS:
            continue
        ratio = _ratio(state, end, first[0].friction + second[0].friction)
        if best is None or ratio > best:
            best, pick = ratio, [first, second]
    return pick


def _order(start: _State, chosen: list[Move]) -> list[Move]:
    """Order a chosen set so the best gain per friction comes first."""
    state, rest, ordered = start, list(chosen), []
    while rest:
        scored = []
        for i, move in enumerate(rest):
            nxt = _step(state, move)
            if nxt is not None:
                scored.append((_ratio(state, nxt, move[0].friction), -i, i, nxt))
        if not scored:
            break
        _, _, i, state = max(scored, key=lambda t: (t[0], t[1]))
        ordered.append(rest.pop(i))
    return ordered


def _items(start: _State, moves: list[Move]) -> list[PlanItem]:
    items, state = [], start
    for rank, move in enumerate(moves, 1):
        nxt = _step(state, move)
        if nxt is None:
            continue
        items.append(
            PlanItem(
                rank=rank,
                control=move[0].id,
                title=move[0].title,
                target=move[1],
                friction=move[0].friction,
                gain_usd=nxt.score - state.score,
                effects=_effects(state, nxt),
            )
        )
        state = nxt
    return items


def _effects(before: _State, after: _State) -> tuple[Effect, ...]:
    out = []
    for action in before.loaded.model.actions:
        b, a = before.result.expected_cost(action.id), after.result.expected_cost(action.id)
        if math.isclose(a, b, rel_tol=1e-9) or (math.isinf(a) and math.isinf(b)):
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


def replay(loaded: LoadedModel, items: list[PlanItem]) -> LoadedModel:
    """The model with every plan item applied in order (for checks and reports)."""
    from channelguard.review.controls import CONTROLS

    by_id = {c.id: c for c in CONTROLS}
    for item in items:
        loaded = from_model(apply(loaded, by_id[item.control], item.target), loaded.file)
    return loaded
