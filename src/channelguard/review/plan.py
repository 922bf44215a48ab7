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
from channelguard.review.bounds import Key, Users, bound
from channelguard.review.controls import Control, Target, candidates, candidates_for
from channelguard.review.engine import EngineResult, cheapest_attacks, recompute, what_if
from channelguard.review.policy import check_policy

__all__ = ["Effect", "PlanItem", "PlanOutcome", "make_plan", "plan_within", "posture"]

EXACT_CANDIDATES = 10
PAIR_CANDIDATES = 40
MAX_ITEMS = 40
PRUNE_CANDIDATES = 500  # up to this many candidates, superseded changes are pruned (k^2 runs)
PRUNE_SHARE = 0.05  # a change is superseded when the plan loses under this share of its gain
# large models: a change is taken once its figure reaches (1 - LARGE_SLACK) of the best
# left in the queue (_greedy)
LARGE_SLACK = 0.2
LARGE_SCORED_PER_PICK = 4  # and once this many are scored for one pick, the best is taken
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
    reads: frozenset[str] = frozenset()  # the actions whose fronts the figure depends on


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
    found_attacks = what_if(state.result, factors, changed)
    for a, attack in found_attacks.items():
        impact = state.loaded.model.actions[state.where[a]].impact_usd
        before = state.result.expected_cost(a)
        after = math.inf if attack is None else attack.expected_cost_usd
        gain += _contribution(impact, after) - _contribution(impact, before)
        if a in state.open_ and (impact <= after or after >= RAISE_FACTOR * before):
            substantial = True
    assert state.result.memo is not None
    uses = state.result.memo.compiled.uses
    reads = set(found_attacks)
    for a in found_attacks:
        reads |= uses.get(a, set())
    return _Trial(gain=gain, substantial=substantial, reads=frozenset(reads))


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
    small = len(moves) <= PRUNE_CANDIDATES
    if len(moves) <= EXACT_CANDIDATES:
        chosen = _exact(start, moves)
        chosen += [m for m, _ in _greedy(_run(start, chosen), max_items - len(chosen), clock)]
    elif small:
        chosen = [m for m, _ in _greedy(start, max_items, clock)]
    else:  # large: the greedy's own order, its states reused for the items
        path = _greedy(start, max_items, clock, slack=LARGE_SLACK)
        items, final = _listed_along(start, path)
        return _outcome(items, final, clock, budget_seconds, len(moves))
    if small and not clock.out_of_time:
        chosen = _order(start, _prune(start, chosen))
    items, final = _items(start, chosen)
    return _outcome(items, final, clock, budget_seconds, len(moves))


def _outcome(
    items: list[PlanItem], final: _State, clock: _Clock, budget: float | None, moves: int
) -> PlanOutcome:
    if not clock.out_of_time:
        return PlanOutcome(items=tuple(items), complete=True, after=(final.loaded, final.result))
    note = (
        f"the plan budget of {budget:g} s ran out: {len(items)} change(s) chosen "
        f"from {clock.scored:,} of {moves:,} candidates scored; the plan is partial"
    )
    return PlanOutcome(
        items=tuple(items), complete=False, note=note, after=(final.loaded, final.result)
    )


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


def _greedy(
    start: _State, max_items: int, clock: _Clock, slack: float = 0.0
) -> list[tuple[Move, _State]]:
    """Lazy greedy on bounds (bounds.py): each candidate enters the queue with an
    upper bound on its posture gain per unit of friction; the head is scored with
    the engine (in place, undone) and taken when its fresh figure still leads the
    queue, else re-queued with that figure. After a change, the candidates whose
    users' attacks moved get fresh bounds, and the changed action's candidates are
    listed again. A figure scored against an earlier model stands for its bound:
    that assumes gains do not grow as changes pile up (the posture is not proven
    submodular), so this approximates the full greedy (bench/plan_gap.py measures
    the gap to the exact plan). Pairs are tried when no single change gains. Every
    accepted gain is a real engine result. With `slack` above 0 (large models), a
    change is taken as soon as its fresh figure reaches (1 - slack) of the best
    figure or bound left in the queue: each pick is then within that factor of the
    best single change, and the queue is scored far less often. Returns each change
    with the state after it."""
    queue = _Queue(start)
    state, chosen = start, list[tuple[Move, _State]]()
    scored: list[tuple[float, int]] = []  # (gain per friction, -number) scored this pick
    while state.open_ and len(chosen) < max_items:
        if not clock.tick("choosing", len(chosen), max_items):
            break
        popped = queue.pop()
        if popped is None:
            pick = _best_pair(state)
            if pick is None:
                break
            for move in pick:
                nxt = _step(state, move)
                assert nxt is not None
                queue.moved(state, nxt, move)
                state = nxt
                chosen.append((move, state))
            continue
        fresh, number = popped
        move = queue.moves[number]
        if not fresh:
            clock.scored += 1
            trial = _gain(state, move)
            if trial is None or trial.gain <= _GAIN_EPS or not trial.substantial:
                continue
            ratio = round(trial.gain, 6) / max(move[0].friction, 0.1)
            if slack <= 0 or ratio < (1 - slack) * queue.best_left():
                queue.push(number, trial.gain, reads=trial.reads)
                scored.append((ratio, -number))
                if slack <= 0 or len(scored) < LARGE_SCORED_PER_PICK:
                    continue
                # large: enough scored for this pick; take the best of them
                number = -max(scored)[1]
                queue.take(number)
                move = queue.moves[number]
        nxt = _step(state, move)
        assert nxt is not None
        queue.moved(state, nxt, move)
        state = nxt
        chosen.append((move, state))
        scored = []
    return chosen


class _Queue:
    """Candidates by gain per friction: a bound, or a figure the engine computed
    (fresh when computed on the current model). Keys (bounds.Key) group candidates
    that share a bound."""

    def __init__(self, start: _State) -> None:
        self.state = start
        self.impact = {a.id: a.impact_usd for a in start.loaded.model.actions}
        self.users = Users.build(start.result.attacks)
        self.heap: list[tuple[float, float, int, int]] = []
        self.version = 0  # models seen: a figure computed on the current one is fresh
        # scored moves -> the actions their figure read: the figure stays fresh
        # while a change reaches none of them
        self.reads: dict[int, frozenset[str]] = {}
        self.fresh_at: dict[int, int] = {}
        # the last figure scored per move: stands for its bound when lower (_greedy)
        self.figure: dict[int, float] = {}
        self.moves: list[Move] = []
        self.live: dict[int, int] = {}  # move number -> its one valid heap entry
        self.by_key: dict[Key, list[int]] = {}
        self.serial = 0
        for move in candidates(start.loaded):
            self._add(move)
        for key in list(self.by_key):
            self._rebound(key)

    def _add(self, move: Move) -> None:
        self.moves.append(move)
        key = (move[1].action, move[1].path)
        self.by_key.setdefault(key, []).append(len(self.moves) - 1)

    def _rebound(self, key: Key) -> None:
        state = self.state
        b = bound(
            key,
            self.users,
            state.result,
            impact=self.impact,
            exposed=state.open_,
            contribution=_contribution,
            raise_factor=RAISE_FACTOR,
        )
        for number in self.by_key.get(key, ()):
            if b.may_matter and b.gain > _GAIN_EPS:
                self._push(number, min(b.gain, self.figure.get(number, b.gain)), fresh=False)
            else:
                self.live.pop(number, None)

    def _push(self, number: int, gain: float, *, fresh: bool) -> None:
        friction = self.moves[number][0].friction
        self.serial += 1
        self.live[number] = self.serial
        if fresh:
            self.fresh_at[number] = self.version
        else:
            self.fresh_at.pop(number, None)
            self.reads.pop(number, None)
        entry = (-round(gain, 6) / max(friction, 0.1), friction, number, self.serial)
        heapq.heappush(self.heap, entry)

    def push(self, number: int, gain: float, *, reads: frozenset[str]) -> None:
        self.reads[number] = reads
        self.figure[number] = gain
        self._push(number, gain, fresh=True)

    def take(self, number: int) -> None:
        """Withdraw a move from the queue (it is being applied)."""
        self.live.pop(number, None)
        self.fresh_at.pop(number, None)

    def best_left(self) -> float:
        """The best gain per friction (figure or bound) still queued; 0 when none."""
        while self.heap and self.live.get(self.heap[0][2]) != self.heap[0][3]:
            heapq.heappop(self.heap)
        return -self.heap[0][0] if self.heap else 0.0

    def pop(self) -> tuple[bool, int] | None:
        """The leading candidate: (scored on the current model, its number)."""
        while self.heap:
            _, _, number, serial = heapq.heappop(self.heap)
            if self.live.get(number) != serial:
                continue  # superseded by a later entry
            del self.live[number]
            return self.fresh_at.pop(number, -1) == self.version, number
        return None

    def _keep_fresh(self, reached: set[str], after: _State, changed: str) -> None:
        """A figure stays fresh when the change reached no action it read and gave
        no action a new way through the move's own action."""
        assert after.result.memo is not None
        users = after.result.memo.users_of
        self.version += 1
        for number, at in list(self.fresh_at.items()):
            action = self.moves[number][1].action
            if (
                at == self.version - 1
                and action != changed
                and not reached & self.reads.get(number, frozenset())
                and not reached & users(action)
            ):
                self.fresh_at[number] = self.version
            else:
                del self.fresh_at[number]

    def moved(self, before: _State, after: _State, move: Move) -> None:
        """The model changed by `move`: rebound what it reached, list the changed
        action's candidates again."""
        self.state = after
        affected = after.result.affected
        reached = set(self.state.where) if affected is None else set(affected)
        self._keep_fresh(reached, after, move[1].action)
        touched = self.users.update(reached, before.result, after.result)
        changed = move[1].action
        for key in [k for k in self.by_key if k[0] == changed]:
            for number in self.by_key.pop(key):
                self.live.pop(number, None)
        action = after.loaded.model.actions[after.where[changed]]
        for new in candidates_for(after.loaded, action):
            self._add(new)
        touched |= {k for k in self.by_key if k[0] == changed}
        for key in touched:
            self._rebound(key)


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
    path: list[tuple[Move, _State]] = []
    state = start
    for move in moves:
        nxt = _step(state, move)
        if nxt is not None:
            path.append((move, nxt))
            state = nxt
    return _listed_along(start, path)


def _listed_along(start: _State, path: list[tuple[Move, _State]]) -> tuple[list[PlanItem], _State]:
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
                gain_usd=nxt.score - state.score,
                raised_usd=_raised(state, nxt),
                effects=_effects(state, nxt),
            )
        )
        state = nxt
    return items, state


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
