"""The attacks on one action: every combination of its paths' choices that the
fronts of the actions it builds on allow, joined into chains, less those an
attack already found strictly beats."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from channelguard.model.factors import Factor, expected_cost
from channelguard.review.assumptions import EXACT_COMBINATIONS
from channelguard.review.attack import Attack, Front, Step, Term
from channelguard.review.compiled import Compiled, CompiledPath, OwnSteps, Piece
from channelguard.review.front import beaten_by

__all__ = ["evaluate", "on_path"]


@dataclass(frozen=True, slots=True)
class _Option:
    """A piece made concrete: a direct factor, or one attack on the `via` action."""

    factor: str
    prior: Attack | None


def evaluate(
    c: Compiled, action: str, fronts: Mapping[str, Front], beat: Sequence[Attack] = ()
) -> list[Attack]:
    """Every attack on `action` the fronts allow that `merge` could keep; with `beat`,
    only those no attack of it dominates (what `merge` would drop anyway: skipped
    before they are built). Combinations that an attack already found (or one of
    `beat`) strictly beats are skipped too (`_Beaten`): `merge` never keeps them."""
    found: list[Attack] = []
    beaten = _Beaten(list(beat))
    prepared: list[tuple[CompiledPath, list[list[_Option]] | None, OwnSteps]] = [
        (path, _choices(action, path, fronts), {}) for path in c.paths[action]
    ]
    for path, choices, own in prepared:  # a likely good attack first: a reference to beat
        if choices is not None and _exact(choices) and any(len(o) > 1 for o in choices):
            probe = _assemble(c, action, path, _cheapest_alone(c, choices), own)
            if probe is not None:
                beaten.add(probe)
    for path, choices, own in prepared:
        found.extend(on_path(c, action, path, fronts, beat, beaten, choices, own))
    return found


class _Beaten:
    """Attacks that strictly beat a combination (cheaper and likelier, beyond any
    rounding of its sums): such a combination is never in a Pareto front `merge`
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


def _options(piece: Piece, action: str, fronts: Mapping[str, Front]) -> list[_Option]:
    if piece.via is None:
        return [_Option(piece.factor, None)]
    return [
        _Option(piece.factor, prior)
        for prior in fronts.get(piece.via, ())
        if action not in prior.actions()
    ]


def on_path(
    c: Compiled,
    action: str,
    path: CompiledPath,
    fronts: Mapping[str, Front],
    beat: Sequence[Attack] = (),
    beaten: _Beaten | None = None,
    choices: list[list[_Option]] | None = None,
    own_steps: OwnSteps | None = None,
) -> list[Attack]:
    """The attacks on `action` through `path` (every one; with `beaten`, those `merge`
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


def _choices(
    action: str, path: CompiledPath, fronts: Mapping[str, Front]
) -> list[list[_Option]] | None:
    """The options for each of the path's requirements with a choice (None: one has none)."""
    choices = [
        [o for piece in item for o in _options(piece, action, fronts)] for item in path.variable
    ]
    return None if any(not options for options in choices) else choices


def _exact(choices: list[list[_Option]]) -> bool:
    """Few enough combinations to try every one (else each requirement on its own)."""
    return math.prod(len(options) for options in choices) <= EXACT_COMBINATIONS


def _cheapest_alone(c: Compiled, choices: list[list[_Option]]) -> tuple[_Option, ...]:
    return tuple(min(opts, key=lambda o: _alone(c, o)) for opts in choices)


def _alone(c: Compiled, option: _Option) -> float:
    if option.prior is None:
        f = c.factors[option.factor]
        return expected_cost(f.attacker_cost_usd, f.pass_probability)
    survival = c.prereq[option.prior.final.action].survival
    return expected_cost(option.prior.expected_cost_usd, survival)


def _assemble(
    c: Compiled,
    action: str,
    path: CompiledPath,
    combo: tuple[_Option, ...],
    own_steps: OwnSteps,
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
    if prob <= 0 or beaten_by(beat, cost, prob):
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
    c: Compiled, path: CompiledPath, choices: list[list[_Option]], beaten: _Beaten
) -> Iterator[tuple[_Option, ...]]:
    """`itertools.product(*choices)` in its order, less every combination `beaten`
    rules out: a partial choice bounds all its completions (the path's factors and
    the direct ones chosen add to the cost and multiply the probability; each prior
    attack chosen is in the chain whole, and its last step is charged its survival),
    so a partial choice strictly beaten is dropped with everything under it."""
    if not choices:
        return iter([()])
    walk = _Walk(
        choices=choices,
        figures=[[_figures(c, o) for o in options] for options in choices],
        beaten=beaten,
    )
    return walk.below(0, path.fixed_cost, path.fixed_probability, 0.0, 1.0)


@dataclass(slots=True)
class _Walk:
    """The depth-first walk of `_unbeaten`. A class, not a closure that calls itself:
    such a closure is a reference cycle (function, cell, function) holding every
    option it saw, which only the cyclic collector frees: on a large model that was
    a quarter of the review's time and half its memory."""

    choices: list[list[_Option]]
    figures: list[list[tuple[bool, float, float]]]
    beaten: _Beaten
    combo: list[_Option] = field(default_factory=list)

    def below(
        self, i: int, cost: float, prob: float, prior_cost: float, prior_prob: float
    ) -> Iterator[tuple[_Option, ...]]:
        combo, last = self.combo, len(self.choices) - 1
        for option, (is_prior, oc, op) in zip(self.choices[i], self.figures[i], strict=True):
            if is_prior:
                nc, np_, npc, npp = cost, prob, max(prior_cost, oc), min(prior_prob, op)
            else:
                nc, np_, npc, npp = cost + oc, prob * op, prior_cost, prior_prob
            if self.beaten.beats(nc + npc, np_ * npp):
                continue
            combo.append(option)
            if i == last:
                yield tuple(combo)
            else:
                yield from self.below(i + 1, nc, np_, npc, npp)
            combo.pop()


def _figures(c: Compiled, option: _Option) -> tuple[bool, float, float]:
    """What an option adds to a chain at least: a direct factor its cost and pass
    probability; a prior attack its whole cost, and its probability times the
    survival of its last step."""
    if option.prior is None:
        f = c.factors[option.factor]
        return False, f.attacker_cost_usd, f.pass_probability
    survival = c.prereq[option.prior.final.action].survival
    return True, option.prior.cost_usd, option.prior.success_probability * survival


def _own_step(
    action: str, path: CompiledPath, direct: list[str], obtained: list[str], extra: list[Factor]
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
