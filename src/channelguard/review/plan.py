"""The hardening plan: which controls raise attacker cost most per unit of friction.

Posture is how far, on a log scale, each action's expected attacker cost has
come toward its impact, weighted by impact:

    posture = sum over actions of impact * log(1 + min(E, impact)) / log(1 + impact)

An action whose cost reaches its impact scores its full impact: raising it
further changes nothing for a rational attacker, who has already given up. The
log scale values a tenfold raise of a $30 path as much at every level, so
hardening a shared choke point counts even before it closes an exposure.

A change is worth listing when it closes an exposed action or raises the
expected cost of at least one exposed action RAISE_FACTOR-fold: raising the
cheapest path from $20 to $2,000 against $20,000 of impact is worth doing even
when it does not close it. Each item also states `raised_usd`, the attacker
cost it adds counted up to each action's impact:
sum over actions of min(impact, E after) - min(impact, E before).

- Small models (at most EXACT_CANDIDATES candidate changes): every subset is
  tried for the set that leaves the fewest actions exposed, then the least
  friction, then the fewest policy findings left, then the highest posture;
  changes that raise an exposed action's cost without closing it follow,
  greedily.
- Larger models: greedy, each round taking the change with the best posture
  gain per unit of friction (raises count, not only closures); where no single
  change gains (two equally cheap paths), pairs among the changes on the current
  cheapest paths are tried.

Every item's effects come from re-running the engine on the changed model.
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from channelguard.model.factors import Factor, builtin_specs, resolve_factor
from channelguard.model.loader import LoadedModel, from_model
from channelguard.model.schema import Action
from channelguard.review.controls import Control, Target, candidates
from channelguard.review.engine import EngineResult, cheapest_attacks, recompute, what_if
from channelguard.review.policy import check_policy

__all__ = ["Effect", "PlanItem", "PlanOutcome", "make_plan", "plan_within", "posture"]

EXACT_CANDIDATES = 10
PAIR_CANDIDATES = 40
MAX_ITEMS = 40
PRUNE_CANDIDATES = 500  # up to this many candidates, superseded changes are pruned (k^2 runs)
PRUNE_SHARE = 0.05  # a change is superseded when the plan loses under this share of its gain
RAISE_FACTOR = 2.0  # a change that closes nothing is listed when it raises a cost this much
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
    gain_usd: float  # posture gained (module docstring): what the plan ranks by
    raised_usd: float  # attacker cost added, each action counted up to its impact
    effects: tuple[Effect, ...]

    @property
    def closes(self) -> tuple[str, ...]:
        return tuple(e.action for e in self.effects if e.exposed_before and not e.exposed_after)


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
    return {a.id for a in loaded.model.actions if a.impact_usd > result.expected_cost(a.id)}


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
    action and those that build on it, posture and exposure updated for those alone."""
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
        if impact > result.expected_cost(a):
            open_.add(a)
    return _State(
        loaded=loaded, result=result, score=score, open_=frozenset(open_), where=state.where
    )


def _changed(state: _State, move: Move) -> tuple[int, Action] | None:
    """Where the move's action stands in the model and the action after the change,
    or None when the control does not apply there (any more)."""
    control, target = move
    index = state.where.get(target.action)
    if index is None:
        return None
    action = state.loaded.model.actions[index]
    path = next((p for p in action.paths if p.id == target.path), None)
    if (control.path_level and path is None) or not control.fits(state.loaded, action, path):
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


def _gain(state: _State, move: Move) -> _Trial | None:
    """What one change would do, tried in place and undone: the queue scores every
    candidate this way without building a model per candidate."""
    found = _changed(state, move)
    if found is None:
        return None
    changed = found[1]
    factors = _factors_with(state.loaded, changed)
    if factors is None:
        return None
    gain, substantial = 0.0, False
    for a, attack in what_if(state.result, factors, changed).items():
        impact = state.loaded.model.actions[state.where[a]].impact_usd
        before = state.result.expected_cost(a)
        after = math.inf if attack is None else attack.expected_cost_usd
        gain += _contribution(impact, after) - _contribution(impact, before)
        if a in state.open_ and (impact <= after or after >= RAISE_FACTOR * before):
            substantial = True
    return _Trial(gain=gain, substantial=substantial)


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanOutcome:
    items: tuple[PlanItem, ...]
    complete: bool  # False: the time budget ran out and the plan is what was found by then
    note: str = ""
    # the model with every item applied and the engine's result on it (None: no plan run)
    after: tuple[LoadedModel, EngineResult] | None = None


Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(kw_only=True)
class _Clock:
    deadline: float | None
    progress: Progress | None
    out_of_time: bool = False
    scored: int = 0

    def tick(self, stage: str, done: int, total: int) -> bool:
        """Report progress; True while there is time left."""
        if self.progress is not None:
            self.progress(stage, done, total)
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.out_of_time = True
        return not self.out_of_time


def make_plan(loaded: LoadedModel, *, max_items: int = MAX_ITEMS) -> list[PlanItem]:
    return list(plan_within(loaded, max_items=max_items).items)


def plan_within(
    loaded: LoadedModel,
    *,
    budget_seconds: float | None = None,
    progress: Progress | None = None,
    max_items: int = MAX_ITEMS,
    engine: EngineResult | None = None,
) -> PlanOutcome:
    """The plan, stopping where it got to when `budget_seconds` run out; `engine`,
    the engine's result on `loaded` when the caller has it already."""
    clock = _Clock(
        deadline=None if budget_seconds is None else time.monotonic() + budget_seconds,
        progress=progress,
    )
    start = _state(loaded, engine)
    moves = candidates(loaded)
    if not start.open_:
        return PlanOutcome(items=(), complete=True, after=(loaded, start.result))
    if len(moves) <= EXACT_CANDIDATES:
        chosen = _exact(start, moves)
        chosen += _greedy(_run(start, chosen), max_items - len(chosen), clock)
    else:
        chosen = _greedy(start, max_items, clock)
    if len(moves) <= PRUNE_CANDIDATES and not clock.out_of_time:
        chosen = _prune(start, chosen)
    if clock.out_of_time:
        items, final = _items(start, chosen)
        note = (
            f"the plan budget of {budget_seconds:g} s ran out: {len(items)} change(s) chosen "
            f"from {clock.scored:,} of {len(moves):,} candidates scored; the plan is partial"
        )
        return PlanOutcome(
            items=tuple(items), complete=False, note=note, after=(final.loaded, final.result)
        )
    if len(moves) <= PRUNE_CANDIDATES:  # after pruning; large: the greedy's own order
        chosen = _order(start, chosen)
    items, final = _items(start, chosen)
    return PlanOutcome(items=tuple(items), complete=True, after=(final.loaded, final.result))


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
    # rounded: equal gains must tie (then friction and catalogue order decide), not
    # differ in the last bits of a running sum
    return round(after.score - before.score, 6) / max(friction, 0.1)


def _greedy(start: _State, max_items: int, clock: _Clock) -> list[Move]:
    """Lazy greedy: every candidate is scored once against the starting model; each
    round re-scores only the head of the queue, and takes it when its fresh gain per
    friction still beats every other candidate's older figure. That assumes gains only
    fall as changes pile up; the posture is not proven submodular, so this is an
    approximation of the full greedy. Pairs are tried when no single change gains, then the queue is
    rebuilt from the changed model. Every accepted gain is a real engine result."""
    state, chosen = start, list[Move]()
    heap = _queue(state, clock)
    while state.open_ and len(chosen) < max_items:
        if not clock.tick("choosing", len(chosen), max_items):
            break
        if not heap:
            pick = _best_pair(state)
            if pick is None:
                break
            for move in pick:
                nxt = _step(state, move)
                assert nxt is not None
                state = nxt
                chosen.append(move)
            heap = _queue(state, clock)
            continue
        _, friction, order, move = heapq.heappop(heap)
        trial = _gain(state, move)  # fresh, in place: cheaper than building the state
        if trial is None or trial.gain <= _GAIN_EPS or not trial.substantial:
            continue  # no longer applies, or no longer helps enough
        ratio = round(trial.gain, 6) / max(friction, 0.1)
        if heap and (-ratio, friction, order) > heap[0][:3]:
            heapq.heappush(heap, (-ratio, friction, order, move))  # stale leader: re-queue
            continue
        nxt = _step(state, move)
        assert nxt is not None
        state = nxt
        chosen.append(move)
    return chosen


def _on_cheapest(state: _State, moves: list[Move]) -> list[Move]:
    """The moves that can raise an exposed action's cost: a change to a path no exposed
    action's cheapest attack takes (or to an action none passes through) leaves that
    attack available, so no exposed cost can rise. Exact, not a heuristic."""
    used: set[tuple[str, str | None]] = set()
    for a in state.open_:
        attack = state.result.attacks.get(a)
        for step in attack.steps if attack is not None else ():
            used |= {(step.action, step.path), (step.action, None)}
    return [m for m in moves if (m[1].action, m[1].path) in used]


def _queue(state: _State, clock: _Clock) -> list[tuple[float, float, int, Move]]:
    heap: list[tuple[float, float, int, Move]] = []
    moves = _on_cheapest(state, candidates(state.loaded))
    for order, move in enumerate(moves):
        if order % 256 == 0 and not clock.tick("scoring changes", order, len(moves)):
            break
        clock.scored = max(clock.scored, order + 1)
        trial = _gain(state, move)
        if trial is None or trial.gain <= _GAIN_EPS:
            continue
        ratio = round(trial.gain, 6) / max(move[0].friction, 0.1)
        heap.append((-ratio, move[0].friction, order, move))
    heapq.heapify(heap)
    return heap


def _run(start: _State, moves: list[Move]) -> _State:
    state = start
    for move in moves:
        state = _step(state, move) or state
    return state


def _prune(start: _State, chosen: list[Move]) -> list[Move]:
    """Reverse delete: drop a change that later ones superseded, i.e. without which the
    plan leaves no more actions exposed and loses under PRUNE_SHARE of the posture the
    change gained when it was taken (a raise on a path a later change closed)."""
    gains, state = [], start
    for move in chosen:
        nxt = _step(state, move) or state
        gains.append(nxt.score - state.score)
        state = nxt
    keep, best = list(chosen), state
    for move, gain in reversed(list(zip(chosen, gains, strict=True))):
        trial = [m for m in keep if m is not move]
        end = _run(start, trial)
        if len(end.open_) <= len(best.open_) and best.score - end.score <= PRUNE_SHARE * gain:
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
    return moves[:PAIR_CANDIDATES]  # all paths: a pair closes two equally cheap ones


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


def _items(start: _State, moves: list[Move]) -> tuple[list[PlanItem], _State]:
    """The chosen changes as plan items, and the state they end in. A change that
    moves no expected cost is dropped when the plan's end result is the same without
    it (the exact search may keep one for the policy findings it clears); one that
    only works together with a later change (two paths closed one after the other)
    stays."""
    items, final = _listed(start, moves)
    dropped = False
    for item in [i for i in items if not i.effects]:
        trial = [m for m in moves if not (m[0].id == item.control and m[1] == item.target)]
        after = _run(start, trial)
        if all(
            _same_cost(after.result.expected_cost(a), final.result.expected_cost(a))
            for a in start.where
        ):
            moves, dropped = trial, True
    return _listed(start, moves) if dropped else (items, final)


def _same_cost(a: float, b: float) -> bool:
    return (math.isinf(a) and math.isinf(b)) or math.isclose(a, b, rel_tol=1e-9)


def _listed(start: _State, moves: list[Move]) -> tuple[list[PlanItem], _State]:
    items: list[PlanItem] = []
    state = start
    for move in moves:
        nxt = _step(state, move)
        if nxt is None:
            continue
        items.append(
            PlanItem(
                rank=len(items) + 1,
                control=move[0].id,
                title=move[0].title,
                target=move[1],
                friction=move[0].friction,
                gain_usd=nxt.score - state.score,
                raised_usd=_raised(state, nxt),
                effects=_effects(state, nxt),
            )
        )
        state = nxt
    return items, state


def _raised(before: _State, after: _State) -> float:
    """Attacker cost added, each action counted up to its impact."""
    total = 0.0
    for action in before.loaded.model.actions:
        b, a = before.result.expected_cost(action.id), after.result.expected_cost(action.id)
        total += min(a, action.impact_usd) - min(b, action.impact_usd)
    return total


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
    where = {a.id: i for i, a in enumerate(loaded.model.actions)}
    for item in items:
        index = where[item.target.action]
        action = loaded.model.actions[index]
        path = next((p for p in action.paths if p.id == item.target.path), None)
        loaded = _with_action(loaded, index, by_id[item.control].change(loaded, action, path))
    return loaded
