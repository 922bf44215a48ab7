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

import copy
import gc
import itertools
import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from channelguard.model.factors import Factor, expected_cost
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Action, Path
from channelguard.review.assumptions import (
    EXACT_COMBINATIONS,
    intercept_detail,
    intercept_probability,
)

__all__ = ["Attack", "EngineResult", "Step", "Term", "cheapest_attacks", "recompute", "what_if"]

_EPS = 1e-9
T = TypeVar("T")
FRONT_SIZE = 4  # attacks kept per action; more only for ties that rarely matter


@dataclass(frozen=True, kw_only=True, slots=True)
class Term:
    """A figure beyond the factors that changes a chain's cost, time or probability,
    stated so a reader can recompute the chain (shared/spec/channel-model.md):
    `approvals` (the path's second approvers, counted in its factors), and, on a step
    a later one builds on, `notifies_old_contact` and `cooling_off`."""

    kind: str  # "approvals" | "notifies_old_contact" | "cooling_off"
    action: str  # the step it belongs to
    probability_factor: float = 1.0  # the chain's probability is multiplied by this
    minutes: float = 0.0  # added to the chain's time
    detail: str = ""


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
    terms: tuple[Term, ...] = ()  # the path's own terms (approvals)


@dataclass(frozen=True, kw_only=True, slots=True)
class Attack:
    """The attacker's plan for one action: steps in order, the last is the action."""

    steps: tuple[Step, ...]
    cost_usd: float
    minutes: float
    success_probability: float
    chain_terms: tuple[Term, ...] = ()  # terms from building on earlier steps

    def terms_of(self, step: Step) -> tuple[Term, ...]:
        """Every term that changed this step's part of the figures."""
        return step.terms + tuple(t for t in self.chain_terms if t.action == step.action)

    @property
    def expected_cost_usd(self) -> float:
        return expected_cost(self.cost_usd, self.success_probability)

    @property
    def final(self) -> Step:
        return self.steps[-1]

    def actions(self) -> tuple[str, ...]:
        return tuple(step.action for step in self.steps)


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


@dataclass(frozen=True, slots=True)
class _Piece:
    """One way to satisfy a requirement: pass `factor` directly, or hold it via `via`."""

    factor: str
    via: str | None


@dataclass(frozen=True, slots=True)
class _Option:
    """A piece made concrete: a direct factor, or one attack on the `via` action."""

    factor: str
    prior: Attack | None


@dataclass(frozen=True, slots=True)
class _Path:
    id: str
    fixed: tuple[str, ...]  # factors with no alternative: always passed directly
    variable: tuple[tuple[_Piece, ...], ...]  # requirements with choices
    fixed_cost: float
    fixed_minutes: float
    fixed_probability: float
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class _Prereq:
    minutes: float
    survival: float
    terms: tuple[Term, ...]  # what a chain building on the action is charged, stated


def chain_terms(action: str, cooling_off_hours: float, survival: float) -> tuple[Term, ...]:
    """What a chain that builds on `action` is charged for it, as stated terms."""
    out: list[Term] = []
    if survival < 1.0:
        out.append(
            Term(
                kind="notifies_old_contact",
                action=action,
                probability_factor=survival,
                detail=intercept_detail(cooling_off_hours, True),
            )
        )
    if cooling_off_hours > 0:
        out.append(
            Term(
                kind="cooling_off",
                action=action,
                minutes=cooling_off_hours * 60.0,
                detail=f"cooling-off: the next step waits {cooling_off_hours:g} h",
            )
        )
    return tuple(out)


class _Compiled:
    def __init__(self, loaded: LoadedModel) -> None:
        self.factors: Mapping[str, Factor] = loaded.factors
        self.paths: dict[str, list[_Path]] = {}
        self.prereq: dict[str, _Prereq] = {}
        # action -> actions that can build on it, and the reverse
        self.dependents: dict[str, set[str]] = {}
        self.uses: dict[str, set[str]] = {}
        self.order = {a.id: i for i, a in enumerate(loaded.model.actions)}
        self._owned = True  # the sets in `dependents` are this object's alone: grow in place
        for action in loaded.model.actions:
            self._compile(action)
        self._owned = False  # from now on copies share them: replace, never change

    def _compile(self, action: Action) -> None:
        h = action.cooling_off_hours
        survival = 1.0 - intercept_probability(h, action.notifies_old_contact)
        self.prereq[action.id] = _Prereq(
            minutes=h * 60.0, survival=survival, terms=chain_terms(action.id, h, survival)
        )
        self.uses[action.id] = set()
        self.paths[action.id] = [self._path(action.id, p) for p in action.paths]

    def with_action(self, factors: Mapping[str, Factor], action: Action) -> _Compiled:
        """A copy with one action compiled afresh (the other actions' compiled paths
        are shared; the tables are copied, which is cheap next to compiling)."""
        new = copy.copy(self)
        new.factors = factors
        new.paths, new.prereq, new.uses = dict(self.paths), dict(self.prereq), dict(self.uses)
        new.dependents = dict(self.dependents)
        new._replace(action)
        return new

    def _replace(self, action: Action) -> None:
        for via in self.uses.get(action.id, ()):
            self.dependents[via] = self.dependents[via] - {action.id}
        self._compile(action)

    def _path(self, action_id: str, path: Path) -> _Path:
        fixed: list[str] = []
        variable: list[tuple[_Piece, ...]] = []
        for item in path.requires:
            names = [item] if isinstance(item, str) else list(dict.fromkeys(item.any_of))
            pieces = [_Piece(n, None) for n in names]
            for name in names:
                for via in self.factors[name].obtainable_via:
                    pieces.append(_Piece(name, via))
                    if self._owned:
                        self.dependents.setdefault(via, set()).add(action_id)
                    else:
                        self.dependents[via] = self.dependents.get(via, set()) | {action_id}
                    self.uses[action_id].add(via)
            if len(pieces) == 1:
                fixed.append(names[0])
            else:
                variable.append(tuple(pieces))
        fixed.extend(["second_approver"] * path.approvals)
        fs = [self.factors[f] for f in fixed]
        approvals = (
            (
                Term(
                    kind="approvals",
                    action=action_id,
                    detail=f"{path.approvals} approval(s) besides the agent: "
                    f"{path.approvals} x second_approver in the factors",
                ),
            )
            if path.approvals
            else ()
        )
        return _Path(
            terms=approvals,
            id=path.id,
            fixed=tuple(fixed),
            variable=tuple(variable),
            fixed_cost=sum(f.attacker_cost_usd for f in fs),
            fixed_minutes=sum(f.attacker_minutes for f in fs),
            fixed_probability=math.prod(f.pass_probability for f in fs),
        )


Front = list[Attack]
_OwnSteps = dict[tuple[tuple[str, ...], tuple[str, ...]], Step]  # a path's own steps, by factors


@dataclass(slots=True)
class _Memo:
    compiled: _Compiled
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
    c: _Compiled, fronts: dict[str, Front], users: Callable[[str], set[str]], changed: str
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
    new = _merge([], _evaluate(c, changed, fronts)) or []
    hardened = all(any(_dominates(o, n) for o in old) for n in new)
    return {changed} | users(changed), hardened


def cheapest_attacks(loaded: LoadedModel) -> EngineResult:
    """The cheapest attack (by expected cost) on every action, to a fixpoint."""
    compiled = _Compiled(loaded)
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
    compiled: _Compiled,
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
    compiled: _Compiled,
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
        merged = _merge(old, _evaluate(compiled, action, fronts, beat=old))
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


def _key(attack: Attack) -> tuple[float, float, int]:
    return (attack.expected_cost_usd, attack.cost_usd, len(attack.steps))


def _dominates(a: Attack, b: Attack) -> bool:
    return a.cost_usd <= b.cost_usd * (
        1 + _EPS
    ) + _EPS and a.success_probability >= b.success_probability * (1 - _EPS)


def _beaten(front: Sequence[Attack], cost: float, prob: float) -> bool:
    """An attack of `front` dominates one of these figures (as `_dominates` says)."""
    for a in front:
        if a.cost_usd <= cost * (1 + _EPS) + _EPS and a.success_probability >= prob * (1 - _EPS):
            return True
    return False


def _merge(old: Front, new: list[Attack]) -> Front | None:
    """The Pareto front of old and new attacks, or None when nothing improved."""
    fresh = [n for n in new if not any(_dominates(o, n) for o in old)]
    if not fresh:
        return None
    pool = sorted(old + fresh, key=_key)
    front: Front = []
    for attack in pool:
        if not any(_dominates(kept, attack) for kept in front):
            front.append(attack)
    front = front[:FRONT_SIZE]
    if [id(a) for a in front] == [id(a) for a in old]:
        return None
    return front


def _evaluate(
    c: _Compiled, action: str, fronts: Mapping[str, Front], beat: Sequence[Attack] = ()
) -> list[Attack]:
    """Every attack on `action` the fronts allow that `_merge` could keep; with `beat`,
    only those no attack of it dominates (what `_merge` would drop anyway: skipped
    before they are built). Combinations that an attack already found (or one of
    `beat`) strictly beats are skipped too (`_Beaten`): `_merge` never keeps them."""
    found: list[Attack] = []
    beaten = _Beaten(list(beat))
    prepared: list[tuple[_Path, list[list[_Option]] | None, _OwnSteps]] = [
        (path, _choices(action, path, fronts), {}) for path in c.paths[action]
    ]
    for path, choices, own in prepared:  # a likely good attack first: a reference to beat
        if choices is not None and _exact(choices) and any(len(o) > 1 for o in choices):
            probe = _assemble(c, action, path, _cheapest_alone(c, choices), own)
            if probe is not None:
                beaten.add(probe)
    for path, choices, own in prepared:
        found.extend(_on_path(c, action, path, fronts, beat, beaten, choices, own))
    return found


class _Beaten:
    """Attacks that strictly beat a combination (cheaper and likelier, beyond any
    rounding of its sums): such a combination is never in a Pareto front `_merge`
    builds from them, since whatever keeps the attack out keeps it out too, and it
    sorts after them. Skipping it before its steps are joined changes no result."""

    MARGIN = 1e-9  # far above the rounding of a chain's sums, far below any real gap
    LIMIT = 16  # references kept; any subset of the attacks found is a valid one

    __slots__ = ("refs",)

    def __init__(self, refs: list[Attack]) -> None:
        self.refs = [(a.cost_usd, a.success_probability) for a in refs]

    def beats(self, cost_floor: float, prob_ceiling: float) -> bool:
        cost = cost_floor * (1 - self.MARGIN)
        prob = prob_ceiling * (1 + self.MARGIN)
        for c, p in self.refs:  # noqa: SIM110 (a plain loop: the hottest test here)
            if c < cost and p > prob:
                return True
        return False

    def add(self, attack: Attack) -> None:
        cost, prob = attack.cost_usd, attack.success_probability
        if len(self.refs) < self.LIMIT and not self.beats(cost, prob):
            self.refs.append((cost, prob))


def _options(piece: _Piece, action: str, fronts: Mapping[str, Front]) -> list[_Option]:
    if piece.via is None:
        return [_Option(piece.factor, None)]
    return [
        _Option(piece.factor, prior)
        for prior in fronts.get(piece.via, ())
        if action not in prior.actions()
    ]


def _on_path(
    c: _Compiled,
    action: str,
    path: _Path,
    fronts: Mapping[str, Front],
    beat: Sequence[Attack] = (),
    beaten: _Beaten | None = None,
    choices: list[list[_Option]] | None = None,
    own_steps: _OwnSteps | None = None,
) -> list[Attack]:
    """The attacks on `action` through `path` (every one; with `beaten`, those `_merge`
    could keep); `choices` as `_choices` made them, when the caller has them."""
    choices = _choices(action, path, fronts) if choices is None else choices
    if choices is None:
        return []
    combos: Iterable[tuple[_Option, ...]]
    if _exact(choices):
        combos = (
            itertools.product(*choices) if beaten is None else _unbeaten(c, path, choices, beaten)
        )
    else:
        combos = [_cheapest_alone(c, choices)]
    out = []
    own_steps = {} if own_steps is None else own_steps  # shared by combos
    for combo in combos:
        attack = _assemble(c, action, path, combo, own_steps, beat, beaten)
        if attack is not None:
            out.append(attack)
            if beaten is not None:
                beaten.add(attack)
    return out


def _choices(action: str, path: _Path, fronts: Mapping[str, Front]) -> list[list[_Option]] | None:
    """The options for each of the path's requirements with a choice (None: one has none)."""
    choices = [
        [o for piece in item for o in _options(piece, action, fronts)] for item in path.variable
    ]
    return None if any(not options for options in choices) else choices


def _exact(choices: list[list[_Option]]) -> bool:
    """Few enough combinations to try every one (else each requirement on its own)."""
    return math.prod(len(options) for options in choices) <= EXACT_COMBINATIONS


def _cheapest_alone(c: _Compiled, choices: list[list[_Option]]) -> tuple[_Option, ...]:
    return tuple(min(opts, key=lambda o: _alone(c, o)) for opts in choices)


def _alone(c: _Compiled, option: _Option) -> float:
    if option.prior is None:
        f = c.factors[option.factor]
        return expected_cost(f.attacker_cost_usd, f.pass_probability)
    survival = c.prereq[option.prior.final.action].survival
    return expected_cost(option.prior.expected_cost_usd, survival)


def _assemble(
    c: _Compiled,
    action: str,
    path: _Path,
    combo: tuple[_Option, ...],
    own_steps: _OwnSteps,
    beat: Sequence[Attack] = (),
    beaten: _Beaten | None = None,
) -> Attack | None:
    direct = list(path.fixed)
    obtained: list[str] = []
    priors: list[Attack] = []
    for option in combo:
        if option.prior is None:
            direct.append(option.factor)
        else:
            obtained.append(option.factor)
            priors.append(option.prior)
    key = (tuple(direct), tuple(obtained))
    step = own_steps.get(key)
    if step is None:
        own = [c.factors[f] for f in direct[len(path.fixed) :]]
        step = own_steps[key] = _own_step(action, path, direct, obtained, own)
    steps: dict[str, Step] = {}
    for prior in priors:
        for prior_step in prior.steps:
            kept = steps.setdefault(prior_step.action, prior_step)
            if kept is not prior_step and kept != prior_step:
                return None  # two different ways through one action: not one attack
    if action in steps:
        return None
    cost, minutes, prob = step.cost_usd, step.minutes, step.success_probability
    for prior_step in steps.values():
        pre = c.prereq[prior_step.action]
        cost += prior_step.cost_usd
        minutes += prior_step.minutes + pre.minutes
        prob *= prior_step.success_probability * pre.survival
    if prob <= 0 or _beaten(beat, cost, prob):
        return None
    if beaten is not None and beaten.beats(cost, prob):
        return None
    terms: tuple[Term, ...] = ()
    for prior_step in steps.values():
        terms += c.prereq[prior_step.action].terms
    return Attack(
        steps=(*steps.values(), step),
        cost_usd=cost,
        minutes=minutes,
        success_probability=prob,
        chain_terms=terms,
    )


def _unbeaten(
    c: _Compiled, path: _Path, choices: list[list[_Option]], beaten: _Beaten
) -> Iterator[tuple[_Option, ...]]:
    """`itertools.product(*choices)` in its order, less every combination `beaten`
    rules out: a partial choice bounds all its completions (the path's factors and
    the direct ones chosen add to the cost and multiply the probability; each prior
    attack chosen is in the chain whole, and its last step is charged its survival),
    so a partial choice strictly beaten is dropped with everything under it."""
    figures = [[_figures(c, o) for o in options] for options in choices]
    last = len(choices) - 1
    combo: list[_Option] = []

    def walk(
        i: int, cost: float, prob: float, prior_cost: float, prior_prob: float
    ) -> Iterator[tuple[_Option, ...]]:
        for option, (is_prior, oc, op) in zip(choices[i], figures[i], strict=True):
            if is_prior:
                nc, np_, npc, npp = cost, prob, max(prior_cost, oc), min(prior_prob, op)
            else:
                nc, np_, npc, npp = cost + oc, prob * op, prior_cost, prior_prob
            if beaten.beats(nc + npc, np_ * npp):
                continue
            combo.append(option)
            if i == last:
                yield tuple(combo)
            else:
                yield from walk(i + 1, nc, np_, npc, npp)
            combo.pop()

    if last < 0:
        yield ()
        return
    yield from walk(0, path.fixed_cost, path.fixed_probability, 0.0, 1.0)


def _figures(c: _Compiled, option: _Option) -> tuple[bool, float, float]:
    """What an option adds to a chain at least: a direct factor its cost and pass
    probability; a prior attack its whole cost, and its probability times the
    survival of its last step."""
    if option.prior is None:
        f = c.factors[option.factor]
        return False, f.attacker_cost_usd, f.pass_probability
    survival = c.prereq[option.prior.final.action].survival
    return True, option.prior.cost_usd, option.prior.success_probability * survival


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
        terms=path.terms,
    )
