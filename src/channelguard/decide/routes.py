"""What each path of the channel model should accept at run time.

A path that meets the tier policy (review.policy) is used as written. A path
that does not is hardened with the fewest, least-friction controls of the
review's catalogue (review.controls) that make it meet the policy, one or two;
the factors those controls add are what a step-up asks for. A path no
combination fixes stays "unsound": it can never allow a T2+ action alone.

Computed once per action, on its first request (the Decider caches it), so a
decision is then a lookup and a set comparison.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from channelguard.model.factors import Factor, builtin_specs
from channelguard.model.loader import LoadedModel, from_model
from channelguard.model.schema import Action, Path
from channelguard.review.controls import CONTROLS, Control, Target, apply
from channelguard.review.policy import path_violations

__all__ = ["Route", "factor_label", "routes_for_action"]

MAX_CONTROLS = 2


@dataclass(frozen=True, kw_only=True, slots=True)
class Route:
    action: str
    path: str
    channel: str
    requires: tuple[tuple[str, ...], ...]  # AND of OR-groups of factor ids
    approvals: int
    controls: tuple[str, ...]  # catalogue controls added to meet the policy
    friction: float
    sound: bool  # meets the tier policy as required here
    convenience: bool  # a fallback path (recovery, override, after hours)
    violations: tuple[str, ...]  # what the path as written breaks

    def missing(self, verified: set[str]) -> list[str]:
        """Factors still to verify: the first option of each group not yet met."""
        out = [group[0] for group in self.requires if not verified & set(group)]
        if self.approvals and "second_approver" not in verified:
            out.append("second_approver")
        return out

    def satisfied(self, verified: set[str]) -> bool:
        return not self.missing(verified)


def _groups(path: Path) -> tuple[tuple[str, ...], ...]:
    return tuple((item,) if isinstance(item, str) else tuple(item.any_of) for item in path.requires)


def _route(
    action: Action,
    path: Path,
    *,
    controls: tuple[Control, ...],
    sound: bool,
    violations: list[tuple[str, str]],
    written: Path,
) -> Route:
    return Route(
        action=action.id,
        path=written.id,
        channel=written.channel,
        requires=_groups(path),
        approvals=path.approvals,
        controls=tuple(c.id for c in controls),
        friction=sum(c.friction for c in controls),
        sound=sound,
        convenience=written.fallback_of is not None,
        violations=tuple(f"{rule}: {why}" for rule, why in violations),
    )


def _hardened(loaded: LoadedModel, action: Action, path: Path) -> tuple[Path, tuple[Control, ...]]:
    usable = [
        c for c in CONTROLS if c.path_level and c.fits(loaded, action, path)
    ]  # a control that does not apply to this path changes nothing
    for size in range(1, MAX_CONTROLS + 1):
        options = sorted(
            itertools.combinations(usable, size), key=lambda cs: sum(c.friction for c in cs)
        )
        for combo in options:
            current = loaded
            for control in combo:
                model = apply(current, control, Target(action=action.id, path=path.id))
                current = from_model(model, loaded.file)
            new_action = next((a for a in current.model.actions if a.id == action.id), None)
            new_path = (
                next((p for p in new_action.paths if p.id == path.id), None) if new_action else None
            )
            if new_path is None or new_action is None:
                continue  # the control closes this path: no route through it to harden
            if not path_violations(current, new_action, new_path):
                return new_path, combo
    return path, ()


def routes_for_action(loaded: LoadedModel, action: Action) -> list[Route]:
    """The routes of one action (hardening re-resolves the model: call once, cache)."""
    routes = []
    for path in action.paths:
        violations = path_violations(loaded, action, path)
        if not violations:
            routes.append(
                _route(action, path, controls=(), sound=True, violations=[], written=path)
            )
            continue
        fixed, combo = _hardened(loaded, action, path)
        routes.append(
            _route(
                action,
                fixed,
                controls=combo,
                sound=bool(combo),
                violations=violations,
                written=path,
            )
        )
    return routes


def factor_label(loaded: LoadedModel, factor_id: str) -> str:
    factor: Factor | None = loaded.factors.get(factor_id)
    if factor is not None:
        return factor.label
    spec = builtin_specs().get(factor_id)
    return spec.label if spec is not None and spec.label else factor_id.replace("_", " ")
