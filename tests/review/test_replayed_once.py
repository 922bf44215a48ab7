"""Of a chosen change that moves no cost on its own, the plan asks "the plan without
this change" twice: to drop it (the end result is the same without it, plan._items)
and to fold it into the item it enables (items.fold). That replay is made once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from channelguard.model.loader import LoadedModel, load_data, load_file
from channelguard.review import items as I
from channelguard.review import plan as P
from channelguard.review.state import Move
from tests.conftest import EXAMPLES, action, base_model, path


def _replays(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[object, ...]]:
    """Each sequence of moves replayed from the start while dropping or folding."""
    seen: Counter[tuple[object, ...]] = Counter()
    inside = [False]

    def counted(replay: Callable[..., Any]) -> Callable[..., Any]:
        def run(start: object, moves: list[Move]) -> Any:
            if inside[0]:
                seen[tuple((c.id, t) for c, t in moves)] += 1
            return replay(start, moves)

        return run

    def within(stage: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            inside[0] = True
            try:
                return stage(*args)
            finally:
                inside[0] = False

        return run

    monkeypatch.setattr(I, "listed", counted(I.listed))
    monkeypatch.setattr(P, "_run", counted(P._run))
    monkeypatch.setattr(P, "_items", within(P._items))
    monkeypatch.setattr(P, "fold", within(P.fold))
    return seen


def _twin_paths() -> LoadedModel:
    # two equally cheap paths to one action: closing one alone moves nothing
    model = base_model(
        actions=[action("wire", [path("a", ["kba"]), path("b", ["kba"])], kind="payment")]
    )
    return load_data(model, "m.yaml")


@pytest.mark.parametrize("name", ["", "telecom.yaml"])
def test_the_plan_without_a_change_is_replayed_once(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    loaded = load_file(EXAMPLES / name) if name else _twin_paths()
    seen = _replays(monkeypatch)
    plan = P.make_plan(loaded)
    assert any(item.together for item in plan)  # a change was folded: the case asked
    assert seen and [k for k, n in seen.items() if n > 1] == []
