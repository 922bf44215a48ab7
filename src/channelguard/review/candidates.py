"""The plan's candidates: every (control, target) the catalogue proposes on a model,
per action, per path, and on every path that accepts a choke factor."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from channelguard.model.kinds import action_kind
from channelguard.model.loader import LoadedModel
from channelguard.model.schema import Action, Path
from channelguard.review.controls import CONTROLS, Control, Target
from channelguard.review.engine import Attack
from channelguard.review.exposure import exceeds
from channelguard.review.fit import fits_business
from channelguard.review.lookups import accepting

__all__ = [
    "MAX_SPOTS",
    "candidates",
    "candidates_for",
    "choke_factors",
    "factor_candidates",
    "spots",
]

MAX_SPOTS = 50  # paths one factor-wide change may touch


def candidates(loaded: LoadedModel, chokes: Collection[str] = ()) -> list[tuple[Control, Target]]:
    """Every (control, target) the catalogue can apply to this model; with `chokes`
    (choke_factors), also each control on every path that accepts one of them."""
    out = [move for action in loaded.model.actions for move in candidates_for(loaded, action)]
    return out + factor_candidates(loaded, chokes)


def choke_factors(loaded: LoadedModel, attacks: Mapping[str, Attack | None]) -> list[str]:
    """Factors passed on the cheapest attacks of two or more exposed actions (the
    review's factor choke points), in the model's order."""
    users: dict[str, set[str]] = {}
    for action in loaded.model.actions:
        attack = attacks.get(action.id)
        if attack is None or not exceeds(action.impact_usd, attack.expected_cost_usd):
            continue
        for step in attack.steps:
            for factor in step.factors:
                users.setdefault(factor, set()).add(action.id)
    return [f for f, ids in users.items() if len(ids) > 1]


def spots(loaded: LoadedModel, control: Control, factor: str) -> list[tuple[Action, Path]]:
    """The paths that accept `factor` and where `control` fits, in the model's order."""
    return [
        (action, path)
        for action, path in accepting(loaded.model, factor)
        if control.proposable(loaded, action, path)
    ]


def factor_candidates(loaded: LoadedModel, chokes: Collection[str]) -> list[tuple[Control, Target]]:
    """Each path-level control on every path that accepts a choke factor, when it fits
    paths of two or more actions (one action: the per-path change already says it);
    only for a factor accepted on at most MAX_SPOTS paths (each is an engine re-run)."""
    wanted = set(chokes)
    accepting: dict[str, list[tuple[Action, Path]]] = {f: [] for f in wanted}
    for action in loaded.model.actions:  # one pass: a large model has many choke factors
        for path in action.paths:
            for factor in set(path.factor_ids()) & wanted:
                accepting[factor].append((action, path))
    out: list[tuple[Control, Target]] = []
    for factor in dict.fromkeys(chokes):
        if len(accepting[factor]) > MAX_SPOTS:
            continue
        for control in CONTROLS:
            if not control.path_level:
                continue
            fits = {a.id for a, p in accepting[factor] if control.proposable(loaded, a, p)}
            if len(fits) > 1:
                out.append((control, Target(action="", path=None, factor=factor)))
    return out


def candidates_for(loaded: LoadedModel, action: Action) -> list[tuple[Control, Target]]:
    """Every (control, target) the catalogue can apply to one action."""
    out: list[tuple[Control, Target]] = []
    kind = action_kind(action)
    for control in CONTROLS:
        if (control.kinds is not None and kind not in control.kinds) or kind in control.not_kinds:
            continue
        if not fits_business(control.fit, loaded.model) or not control.worth(loaded, action):
            continue
        if not control.path_level:
            if control.applies(loaded, action, None):
                out.append((control, Target(action=action.id, path=None)))
            continue
        for path in action.paths:
            if control.applies(loaded, action, path):
                out.append((control, Target(action=action.id, path=path.id)))
    return out
