"""The plan scores a change with the engine only when its bound could lead: the
bound must not fall below what the change really gains, or the plan would skip it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from channelguard.model.loader import LoadedModel, load_data, load_file
from channelguard.review.bounds import Users, bound
from channelguard.review.candidates import candidates, choke_factors
from channelguard.review.state import RAISE_FACTOR, _contribution, _gain, _state, move_keys
from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]


def _check(loaded: LoadedModel) -> int:
    state = _state(loaded)
    users = Users.build(state.result.attacks)
    impact = {a.id: a.impact_usd for a in loaded.model.actions}
    checked = 0
    # factor-wide changes (a choke point hardened everywhere) included, bound on their keys
    for move in candidates(loaded, choke_factors(loaded, state.result.attacks)):
        trial = _gain(state, move)
        if trial is None:
            continue
        b = bound(
            move_keys(loaded, move),
            users,
            state.result,
            impact=impact,
            exposed=state.open_,
            contribution=_contribution,
            raise_factor=RAISE_FACTOR,
        )
        assert trial.gain <= b.gain + 1e-6 * max(1.0, abs(b.gain)), move
        if trial.substantial:
            assert b.may_matter, move
        checked += 1
    return checked


@pytest.mark.parametrize("name", ["bank.yaml", "insurer.yaml", "telecom.yaml"])
def test_no_change_gains_more_than_its_bound_on_the_examples(name: str) -> None:
    assert _check(load_file(EXAMPLES / name)) > 0


def test_factor_wide_changes_are_bounded_too() -> None:
    loaded = load_file(EXAMPLES / "insurer.yaml")
    state = _state(loaded)
    wide = [
        m
        for m in candidates(loaded, choke_factors(loaded, state.result.attacks))
        if m[1].factor is not None
    ]
    assert any(m[1].factor == "manager_override" for m in wide)
    assert all(len({k[0] for k in move_keys(loaded, m)}) > 1 for m in wide)


def test_no_change_gains_more_than_its_bound_on_an_independent_model() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from independent_models import independent
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert _check(load_data(independent(150), "independent-150")) > 100
