"""A change that only hardens an action redoes that action and the actions whose
kept attacks go through it, not every action that could build on it."""

from __future__ import annotations

from collections.abc import Callable

from channelguard.model.loader import LoadedModel
from channelguard.review.controls import CONTROLS
from channelguard.review.engine import cheapest_attacks, recompute
from tests.conftest import action, factor, path

Build = Callable[..., LoadedModel]


def _model(build: Build, direct_cost: float) -> LoadedModel:
    # 'd' may use the code handed out by 'c' or pass it directly
    return build(
        [
            action("c", [path("p", ["kba"])], impact=1000),
            action("d", [path("p", ["code"])], impact=1000),
            action("e", [path("p", ["app_push_number_match"])], impact=1),  # factor in use
        ],
        {"code": factor(direct_cost, 1.0, obtainable_via=["c"])},
    )


def _harden(loaded: LoadedModel) -> frozenset[str] | None:
    base = cheapest_attacks(loaded)
    control = next(c for c in CONTROLS if c.id == "replace_kba_with_app_push")
    c = loaded.model.actions[0]
    changed = control.change(loaded, c, c.paths[0])
    return recompute(base, loaded.factors, changed).affected


def test_an_action_that_does_not_go_through_the_change_is_not_redone(build: Build) -> None:
    # passing the code directly ($1) beats every chain through 'c': 'd' keeps its attack
    assert _harden(_model(build, direct_cost=1)) == frozenset({"c"})


def test_an_action_whose_attack_goes_through_the_change_is_redone(build: Build) -> None:
    loaded = _model(build, direct_cost=10_000)
    assert cheapest_attacks(loaded).attacks["d"].actions() == ("c", "d")  # type: ignore[union-attr]
    assert _harden(loaded) == frozenset({"c", "d"})
