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

Candidates are the catalogue's controls on each path or action, and, for each
factor passed on the cheapest attacks of two or more exposed actions (a choke
point), each control on every path that accepts it (candidates.factor_candidates):
one item, scored on its gain across every action it reaches.

Every item's effects come from re-running the engine on the changed model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from channelguard.model.loader import LoadedModel
from channelguard.review.candidates import candidates, choke_factors, spots
from channelguard.review.controls import CONTROLS
from channelguard.review.engine import EngineResult
from channelguard.review.greedy import Progress, _Clock, _greedy, _ratio
from channelguard.review.items import (
    Change,
    Effect,
    Listings,
    PlanItem,
    fold,
    listed_along,
    same_cost,
)
from channelguard.review.policy import check_policy
from channelguard.review.state import (
    Move,
    _State,
    _state,
    _step,
    _with_action,
    posture,
)

__all__ = ["Change", "Effect", "PlanItem", "PlanOutcome", "make_plan", "plan_within", "posture"]

EXACT_CANDIDATES = 10
MAX_ITEMS = 40
PRUNE_CANDIDATES = 500  # up to this many candidates, superseded changes are pruned (k^2 runs)
PRUNE_SHARE = 0.05  # a change is superseded when the plan loses under this share of its gain
# large models: a change is taken once its figure reaches (1 - LARGE_SLACK) of the best
# left in the queue (_greedy)
LARGE_SLACK = 0.2
LARGE_SCORED_PER_PICK = 4  # and once this many are scored for one pick, the best is taken
_CONTROLS = {c.id: c for c in CONTROLS}


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanOutcome:
    items: tuple[PlanItem, ...]
    complete: bool  # False: the time budget ran out and the plan is what was found by then
    note: str = ""
    # the model with every item applied and the engine's result on it (None: no plan run)
    after: tuple[LoadedModel, EngineResult] | None = None


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
    moves = candidates(loaded, choke_factors(loaded, start.result.attacks))
    if not start.open_:
        return PlanOutcome(items=(), complete=True, after=(loaded, start.result))
    small = len(moves) <= PRUNE_CANDIDATES
    if len(moves) <= EXACT_CANDIDATES:
        chosen = _exact(start, moves)
        chosen += [m for m, _ in _greedy(_run(start, chosen), max_items - len(chosen), clock)]
    elif small:
        chosen = [m for m, _ in _greedy(start, max_items, clock, moves=moves)]
    else:  # large: the greedy's own order, its states reused for the items
        path = _greedy(
            start,
            max_items,
            clock,
            slack=LARGE_SLACK,
            per_pick=LARGE_SCORED_PER_PICK,
            moves=moves,
        )
        items, final = listed_along(start, path)
        return _outcome(
            fold(Listings(start=start), items), final, clock, budget_seconds, len(moves)
        )
    if small and not clock.out_of_time:
        chosen = _order(start, _prune(start, chosen))
    listings = Listings(start=start)
    items, final = _items(listings, chosen)
    return _outcome(fold(listings, items), final, clock, budget_seconds, len(moves))


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


def _items(listings: Listings, moves: list[Move]) -> tuple[list[PlanItem], _State]:
    """The chosen changes as plan items, and the state they end in. A change that
    moves no expected cost is dropped when the plan's end result is the same without
    it (the exact search may keep one for the policy findings it clears); one that
    only works together with a later change (two paths closed one after the other)
    stays. Each "plan without this change" is listed once, in `listings`: `fold`
    asks it again."""
    items, final = listings.of(moves)
    for item in [i for i in items if not i.effects]:
        trial = [m for m in moves if not (m[0].id == item.control and m[1] == item.target)]
        _, after = listings.of(trial)
        if all(
            same_cost(after.result.expected_cost(a), final.result.expected_cost(a))
            for a in listings.start.where
        ):
            moves = trial
    return listings.of(moves)


def replay(loaded: LoadedModel, items: list[PlanItem]) -> LoadedModel:
    """The model with every plan item applied in order (for checks and reports)."""
    where = {a.id: i for i, a in enumerate(loaded.model.actions)}
    for control_id, target in [c for item in items for c in item.changes()]:
        control = _CONTROLS[control_id]
        places: list[tuple[str, str | None]]
        if target.factor is not None:
            places = [(a.id, p.id) for a, p in spots(loaded, control, target.factor)]
        else:
            places = [(target.action, target.path)]
        for name, path_id in places:
            index = where[name]
            action = loaded.model.actions[index]
            path = next((p for p in action.paths if p.id == path_id), None)
            loaded = _with_action(loaded, index, control.change(loaded, action, path))
    return loaded
