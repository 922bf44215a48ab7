"""The model compiled for the engine: each path's fixed factors and its choices
(a factor passed directly, or held through an action it is `obtainable_via`),
the figures a chain is charged for building on an action, and which actions can
build on which."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass

from channelguard.model.factors import Factor
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Action, Path
from channelguard.review.assumptions import intercept_detail, intercept_probability
from channelguard.review.attack import Step, Term

__all__ = ["Compiled", "CompiledPath", "OwnSteps", "Piece", "chain_terms"]


@dataclass(frozen=True, slots=True)
class Piece:
    """One way to satisfy a requirement: pass `factor` directly, or hold it via `via`."""

    factor: str
    via: str | None


@dataclass(frozen=True, slots=True)
class CompiledPath:
    id: str
    fixed: tuple[str, ...]  # factors with no alternative: always passed directly
    variable: tuple[tuple[Piece, ...], ...]  # requirements with choices
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


class Compiled:
    def __init__(self, loaded: LoadedModel) -> None:
        self.factors: Mapping[str, Factor] = loaded.factors
        self.paths: dict[str, list[CompiledPath]] = {}
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

    def with_action(self, factors: Mapping[str, Factor], action: Action) -> Compiled:
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

    def _path(self, action_id: str, path: Path) -> CompiledPath:
        fixed: list[str] = []
        variable: list[tuple[Piece, ...]] = []
        for item in path.requires:
            names = [item] if isinstance(item, str) else list(dict.fromkeys(item.any_of))
            pieces = [Piece(n, None) for n in names]
            for name in names:
                for via in self.factors[name].obtainable_via:
                    pieces.append(Piece(name, via))
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
        return CompiledPath(
            terms=approvals,
            id=path.id,
            fixed=tuple(fixed),
            variable=tuple(variable),
            fixed_cost=sum(f.attacker_cost_usd for f in fs),
            fixed_minutes=sum(f.attacker_minutes for f in fs),
            fixed_probability=math.prod(f.pass_probability for f in fs),
        )


OwnSteps = dict[tuple[tuple[str, ...], tuple[str, ...]], Step]  # a path's own steps, by factors
