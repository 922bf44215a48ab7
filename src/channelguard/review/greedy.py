"""The greedy plan for models too large for the exact search: lazy, on bounds.

See `_greedy`; the bounds are in bounds.py, the state it moves through in state.py.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from channelguard.review.bounds import Key, Users, bound
from channelguard.review.candidates import candidates, candidates_for, choke_factors
from channelguard.review.state import (
    GAIN_EPS,
    RAISE_FACTOR,
    Move,
    _contribution,
    _gain,
    _State,
    _step,
    move_keys,
)

PAIR_CANDIDATES = 40


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


def _ratio(before: _State, after: _State, friction: float) -> float:
    # rounded: equal gains must tie (then friction and catalogue order decide), not
    # differ in the last bits of a running sum
    return round(after.score - before.score, 6) / max(friction, 0.1)


def _greedy(
    start: _State,
    max_items: int,
    clock: _Clock,
    slack: float = 0.0,
    per_pick: int = 0,
    moves: list[Move] | None = None,
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
    queue = _Queue(start, moves)
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
            if trial is None or trial.gain <= GAIN_EPS or not trial.substantial:
                continue
            ratio = round(trial.gain, 6) / max(move[0].friction, 0.1)
            if slack <= 0 or ratio < (1 - slack) * queue.best_left():
                queue.push(number, trial.gain, reads=trial.reads)
                scored.append((ratio, -number))
                if slack <= 0 or len(scored) < per_pick:
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

    def __init__(self, start: _State, moves: list[Move] | None = None) -> None:
        """`moves`: the candidates on `start` when the caller listed them already."""
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
        # factor-wide moves -> the keys they act at now (state.move_keys)
        self.wide: dict[int, list[Key]] = {}
        self.serial = 0
        if moves is None:
            moves = candidates(start.loaded, choke_factors(start.loaded, start.result.attacks))
        for move in moves:
            self._add(move)
        for key in list(self.by_key):
            self._rebound(key)
        for number in self.wide:
            self._rebound_wide(number)

    def _add(self, move: Move) -> None:
        self.moves.append(move)
        if move[1].factor is not None:
            self.wide[len(self.moves) - 1] = move_keys(self.state.loaded, move)
            return
        key = (move[1].action, move[1].path)
        self.by_key.setdefault(key, []).append(len(self.moves) - 1)

    def _rebound_wide(self, number: int) -> None:
        keys = self.wide[number]
        if not keys:
            self.live.pop(number, None)
            return
        b = bound(
            keys,
            self.users,
            self.state.result,
            impact=self.impact,
            exposed=self.state.open_,
            contribution=_contribution,
            raise_factor=RAISE_FACTOR,
        )
        if b.may_matter and b.gain > GAIN_EPS:
            self._push(number, min(b.gain, self.figure.get(number, b.gain)), fresh=False)
        else:
            self.live.pop(number, None)

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
            if b.may_matter and b.gain > GAIN_EPS:
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

    def _keep_fresh(self, reached: set[str], after: _State, changed: set[str]) -> None:
        """A figure stays fresh when the change reached no action it read and gave
        no action a new way through the move's own action."""
        assert after.result.memo is not None
        users = after.result.memo.users_of
        self.version += 1
        for number, at in list(self.fresh_at.items()):
            action = self.moves[number][1].action
            if (
                at == self.version - 1
                and action not in changed
                and not reached & self.reads.get(number, frozenset())
                and not reached & users(action)
            ):
                self.fresh_at[number] = self.version
            else:
                del self.fresh_at[number]

    def moved(self, before: _State, after: _State, move: Move) -> None:
        """The model changed by `move`: rebound what it reached, list the changed
        actions' candidates again."""
        self.state = after
        affected = after.result.affected
        reached = set(self.state.where) if affected is None else set(affected)
        changed = {k[0] for k in move_keys(before.loaded, move)}
        self._keep_fresh(reached, after, changed)
        touched = self.users.update(reached, before.result, after.result)
        for key in [k for k in self.by_key if k[0] in changed]:
            for number in self.by_key.pop(key):
                self.live.pop(number, None)
        for name in sorted(changed, key=lambda a: after.where[a]):
            action = after.loaded.model.actions[after.where[name]]
            for new in candidates_for(after.loaded, action):
                self._add(new)
        touched |= {k for k in self.by_key if k[0] in changed}
        for key in touched:
            self._rebound(key)
        for number in self.wide:
            self._refresh_wide(number, changed, touched)

    def _refresh_wide(self, number: int, changed: set[str], touched: set[Key]) -> None:
        """Rebound a factor-wide move whose keys or users moved; its keys on the
        changed actions listed again."""
        keys = self.wide[number]
        moved_here = any(k[0] in changed for k in keys) or any(k in touched for k in keys)
        if not moved_here:
            return
        control, target = self.moves[number]
        assert target.factor is not None
        kept = [k for k in keys if k[0] not in changed]
        for name in changed:
            action = self.state.loaded.model.actions[self.state.where[name]]
            for path in action.paths:
                if target.factor in path.factor_ids() and control.proposable(
                    self.state.loaded, action, path
                ):
                    kept.append((name, path.id))
        self.wide[number] = kept
        self._rebound_wide(number)


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
        if end is None or end.score - state.score <= GAIN_EPS:
            continue
        ratio = _ratio(state, end, first[0].friction + second[0].friction)
        if best is None or ratio > best:
            best, pick = ratio, [first, second]
    return pick
