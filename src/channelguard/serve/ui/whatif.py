"""The graph page's what-if: the plan items a reader ticks, applied to the served
model with the review's own what-if (`review --what-if`: `apply_patch` over
`add_control` changes), and the cheapest attack re-computed, so the page says
which actions stop being exposed and each action's new cheapest cost. Nothing
is stored: the served model and its review are left as they were."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from channelguard.errors import ModelError
from channelguard.model.loader import LoadedModel
from channelguard.model.yamlsource import SourceDoc
from channelguard.review.candidates import spots
from channelguard.review.controls import CONTROLS
from channelguard.review.delta import ActionDelta, DeltaStatus, Posture, compare
from channelguard.review.engine import EngineResult, cheapest_attacks
from channelguard.review.plan import PlanItem
from channelguard.review.review import Review
from channelguard.review.whatif import Patch, apply_patch
from channelguard.serve.ui.posture import plan_item_id

__all__ = ["MAX_CHOSEN", "PlanWhatIf", "plan_what_if"]

MAX_CHOSEN = 40  # the plan has at most this many items (review/plan.py MAX_ITEMS)


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanWhatIf:
    chosen: tuple[str, ...]  # the plan items applied, by plan_item_id, in the plan's order
    changes: tuple[str, ...]  # each change made, in words
    skipped: tuple[str, ...]  # changes an earlier chosen item had made moot, in words
    deltas: tuple[ActionDelta, ...]  # only the actions whose posture changed
    closed: tuple[str, ...]  # exposed before, not after
    exposed_after: tuple[str, ...]


def _item_id(item: PlanItem) -> str:
    t = item.target
    target = {"factor": t.factor, "action": t.action, "path": t.path}
    return plan_item_id({"control": item.control, "target": target})


def _places(loaded: LoadedModel, item: PlanItem) -> list[tuple[str, str, str | None]]:
    """(control, action, path) of each change the item makes on the model as it
    stands, folded ones first: a factor-wide change on every path that still
    accepts the factor and where its control fits (as the plan does)."""
    out: list[tuple[str, str, str | None]] = []
    for control_id, target in item.changes():
        if target.factor is None:
            out.append((control_id, target.action, target.path))
            continue
        control = next(c for c in CONTROLS if c.id == control_id)
        out.extend((control_id, a.id, p.id) for a, p in spots(loaded, control, target.factor))
    return out


def _apply(loaded: LoadedModel, item: PlanItem) -> tuple[LoadedModel, list[str], list[str]]:
    said: list[str] = []
    moot: list[str] = []
    for control, action, path in _places(loaded, item):
        change: dict[str, Any] = {"op": "add_control", "control": control, "action": action}
        if path is not None:
            change["path"] = path
        doc = SourceDoc(file=f"plan item #{item.rank}", data={"changes": [change]})
        try:
            loaded, words = apply_patch(loaded, Patch.model_validate(doc.data), doc)
        except ModelError as exc:  # an earlier chosen item already changed this spot
            moot.append(f"#{item.rank} on {action}" + (f"/{path}" if path else "") + ": "
                        + "; ".join(i.message for i in exc.issues))  # fmt: skip
            continue
        said.extend(words)
    return loaded, said, moot


def _postures(loaded: LoadedModel, engine: EngineResult) -> dict[str, Posture]:
    return {
        a.id: Posture(impact_usd=a.impact_usd, expected_cost_usd=engine.expected_cost(a.id))
        for a in loaded.model.actions
    }


def plan_what_if(loaded: LoadedModel, review: Review, chosen: Collection[str]) -> PlanWhatIf:
    """The served model with the chosen plan items in place (unknown ids ignored:
    the form only offers the plan's own), compared with the model as served."""
    wanted = set(list(chosen)[:MAX_CHOSEN])
    items = [i for i in review.plan if _item_id(i) in wanted]
    after, said, moot = loaded, [], []
    for item in items:
        after, words, skipped = _apply(after, item)
        said.extend(words)
        moot.extend(skipped)
    engine = review.engine if not said else cheapest_attacks(after)
    deltas = compare(_postures(loaded, review.engine), _postures(after, engine))
    changed = [d for d in deltas if d.status is not DeltaStatus.UNCHANGED]
    closed = [d.action for d in changed if d.status is DeltaStatus.NO_LONGER_EXPOSED]
    exposed = [d.action for d in deltas if d.after is not None and d.after.exposed]
    return PlanWhatIf(
        chosen=tuple(_item_id(i) for i in items),
        changes=tuple(said),
        skipped=tuple(moot),
        deltas=tuple(changed),
        closed=tuple(closed),
        exposed_after=tuple(sorted(exposed)),
    )
