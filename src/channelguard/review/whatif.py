"""`review --what-if PATCH`: proposed changes applied to a model, and their effect.

A patch is YAML (docs/spec/review-extensions.md):

    changes:
      - {op: add_factor, action: wire, path: phone, factor: passkey}
      - {op: remove_path, action: wire, path: after_hours}
      - {op: set_factor, factor: kba, attacker_cost_usd: 50}
      - {op: set_impact, action: wire, impact_usd: 250000}
      - {op: add_control, control: second_approver, action: wire, path: phone}

Changes apply in order, each to the model the previous ones left; every id is
checked against that model and a bad one is an Issue naming the patch's
file:line:field, with "did you mean" from the ids it could have been.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from channelguard.errors import Issue, ModelError
from channelguard.model.factors import builtin_specs
from channelguard.model.loader import LoadedModel, from_model
from channelguard.model.schema import Action, ChannelModel, FactorSpec
from channelguard.model.schema import Path as ModelPath
from channelguard.model.suggest import did_you_mean
from channelguard.model.yamlsource import Loc, SourceDoc, read_yaml
from channelguard.review.delta import ActionDelta, Posture, compare
from channelguard.review.engine import EngineResult, cheapest_attacks

__all__ = ["Patch", "WhatIf", "apply_patch", "read_patch", "what_if"]

_Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=200)]
_Money = Annotated[float, Field(ge=0, le=1e15, allow_inf_nan=False)]


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class AddFactor(_Op):
    op: Literal["add_factor"]
    action: _Id
    path: _Id
    factor: _Id


class RemovePath(_Op):
    op: Literal["remove_path"]
    action: _Id
    path: _Id


class SetFactor(_Op):
    op: Literal["set_factor"]
    factor: _Id
    attacker_cost_usd: _Money | None = None
    attacker_minutes: Annotated[float, Field(ge=0, le=5.3e11)] | None = None
    success_probability: Annotated[float, Field(gt=0, le=1)] | None = None
    attempts: Annotated[StrictInt, Field(ge=1, le=1000)] | None = None


class SetImpact(_Op):
    op: Literal["set_impact"]
    action: _Id
    impact_usd: _Money


class AddControl(_Op):
    op: Literal["add_control"]
    control: _Id
    action: _Id
    path: _Id | None = None


Change = Annotated[
    AddFactor | RemovePath | SetFactor | SetImpact | AddControl, Field(discriminator="op")
]


_OPS: dict[str, type[_Op]] = {
    "add_factor": AddFactor,
    "remove_path": RemovePath,
    "set_factor": SetFactor,
    "set_impact": SetImpact,
    "add_control": AddControl,
}


class Patch(_Op):
    changes: Annotated[list[Change], Field(min_length=1, max_length=10_000)]


@dataclass(frozen=True, kw_only=True)
class WhatIf:
    patch: str
    changes: tuple[str, ...]  # each change, in words
    deltas: tuple[ActionDelta, ...]


def read_patch(path: str | pathlib.Path) -> tuple[Patch, SourceDoc]:
    doc = read_yaml(path)
    if doc.issues:
        raise ModelError(doc.issues)
    if not isinstance(doc.data, dict):
        raise ModelError([doc.issue((), "a patch is a mapping with a 'changes' list")])
    try:
        return Patch.model_validate(doc.data), doc
    except ValidationError as exc:
        raise ModelError(_patch_issues(exc, doc)) from None


def _patch_issues(exc: ValidationError, doc: SourceDoc) -> list[Issue]:
    issues = []
    ops = _OPS
    for err in exc.errors():
        raw = tuple(err["loc"])
        # the op's name is a tag in pydantic's location, not a key of the file
        op = ops.get(str(raw[2])) if len(raw) > 2 and raw[0] == "changes" else None
        loc: Loc = raw[:2] + raw[3:] if op is not None else raw
        if err["type"] == "union_tag_invalid":
            tag = str(err.get("ctx", {}).get("tag", ""))
            issues.append(doc.issue(loc + ("op",), f"unknown op '{tag}'{did_you_mean(tag, ops)}"))
        elif err["type"] == "extra_forbidden":
            hint = did_you_mean(str(loc[-1]), op.model_fields if op else ["changes"])
            issues.append(doc.issue(loc, f"unknown key{hint}"))
        elif err["type"] == "missing":
            issues.append(doc.issue(loc, "required key is missing"))
        else:
            issues.append(doc.issue(loc, str(err["msg"]).removeprefix("Value error, ")))
    return issues


def apply_patch(loaded: LoadedModel, patch: Patch, doc: SourceDoc) -> tuple[LoadedModel, list[str]]:
    """The model with every change applied, and each change in words."""
    current = loaded
    said: list[str] = []
    for i, change in enumerate(patch.changes):
        where: Loc = ("changes", i)
        model, words = _apply_one(current, change, doc, where)
        try:
            current = from_model(model, loaded.file)
        except ModelError as exc:  # e.g. a path left with a fallback_of to the removed path
            why = "; ".join(f"{x.field}: {x.message}" for x in exc.issues)
            raise ModelError([doc.issue(where, f"leaves the model invalid: {why}")]) from None
        said.append(words)
    return current, said


def _apply_one(
    loaded: LoadedModel, change: Change, doc: SourceDoc, where: Loc
) -> tuple[ChannelModel, str]:
    model = loaded.model
    if isinstance(change, SetFactor):
        return _set_factor(model, change, doc, where)
    action = _action(model, change.action, doc, where)
    if isinstance(change, SetImpact):
        new = action.model_copy(update={"impact_usd": change.impact_usd})
        return _with_action(model, new), f"impact of '{action.id}' set to ${change.impact_usd:,.0f}"
    if isinstance(change, AddControl):
        return _add_control(loaded, action, change, doc, where)
    path = _path(action, change.path, doc, where)
    if isinstance(change, RemovePath):
        paths = [p for p in action.paths if p.id != path.id]
        new = action.model_copy(update={"paths": paths})
        return _with_action(model, new), f"path '{path.id}' of '{action.id}' removed"
    known = set(builtin_specs()) | set(model.factors)
    if change.factor not in known:
        hint = did_you_mean(change.factor, known)
        raise ModelError(
            [doc.issue(where + ("factor",), f"unknown factor '{change.factor}'{hint}")]
        )
    new_path = path.model_copy(update={"requires": [*path.requires, change.factor]})
    new = action.model_copy(
        update={"paths": [new_path if p.id == path.id else p for p in action.paths]}
    )
    return _with_action(
        model, new
    ), f"'{change.factor}' required on path '{path.id}' of '{action.id}'"


def _set_factor(
    model: ChannelModel, change: SetFactor, doc: SourceDoc, where: Loc
) -> tuple[ChannelModel, str]:
    known = set(builtin_specs()) | set(model.factors)
    if change.factor not in known:
        hint = did_you_mean(change.factor, known)
        raise ModelError(
            [doc.issue(where + ("factor",), f"unknown factor '{change.factor}'{hint}")]
        )
    figures = change.model_dump(exclude={"op", "factor"}, exclude_none=True)
    if not figures:
        raise ModelError([doc.issue(where, "set_factor sets no figure")])
    line = doc.line_of(where)
    own = model.factors.get(change.factor) or FactorSpec()
    spec = own.model_copy(update={**figures, "source": f"what-if patch {doc.file}:{line}"})
    factors = {**model.factors, change.factor: spec}
    said = ", ".join(f"{k} {v:g}" for k, v in figures.items())
    return model.model_copy(update={"factors": factors}), f"factor '{change.factor}': {said}"


def _add_control(
    loaded: LoadedModel, action: Action, change: AddControl, doc: SourceDoc, where: Loc
) -> tuple[ChannelModel, str]:
    from channelguard.review.controls import CONTROLS, Target, apply

    by_id = {c.id: c for c in CONTROLS}
    control = by_id.get(change.control)
    if control is None:
        hint = did_you_mean(change.control, by_id)
        msg = f"unknown control '{change.control}'{hint}"
        raise ModelError([doc.issue(where + ("control",), msg)])
    path = None if change.path is None else _path(action, change.path, doc, where)
    if control.path_level and path is None:
        raise ModelError([doc.issue(where, f"control '{control.id}' needs a path")])
    if not control.fits(loaded, action, path if control.path_level else None):
        msg = f"control '{control.id}' does not fit '{action.id}'" + (
            f" path '{path.id}'" if path is not None else ""
        )
        raise ModelError([doc.issue(where + ("control",), msg)])
    target = Target(action=action.id, path=path.id if control.path_level and path else None)
    return apply(loaded, control, target), control.describe(target)


def _action(model: ChannelModel, action_id: str, doc: SourceDoc, where: Loc) -> Action:
    found = next((a for a in model.actions if a.id == action_id), None)
    if found is None:
        hint = did_you_mean(action_id, [a.id for a in model.actions])
        raise ModelError([doc.issue(where + ("action",), f"unknown action '{action_id}'{hint}")])
    return found


def _path(action: Action, path_id: str, doc: SourceDoc, where: Loc) -> ModelPath:
    found = next((p for p in action.paths if p.id == path_id), None)
    if found is None:
        hint = did_you_mean(path_id, [p.id for p in action.paths])
        msg = f"'{action.id}' has no path '{path_id}'{hint}"
        raise ModelError([doc.issue(where + ("path",), msg)])
    return found


def _with_action(model: ChannelModel, new: Action) -> ChannelModel:
    actions = [new if a.id == new.id else a for a in model.actions]
    return model.model_copy(update={"actions": actions})


def postures(loaded: LoadedModel, engine: EngineResult) -> dict[str, Posture]:
    return {
        a.id: Posture(impact_usd=a.impact_usd, expected_cost_usd=engine.expected_cost(a.id))
        for a in loaded.model.actions
    }


def what_if(loaded: LoadedModel, patch_file: str | pathlib.Path) -> WhatIf:
    patch, doc = read_patch(patch_file)
    after, said = apply_patch(loaded, patch, doc)
    before = postures(loaded, cheapest_attacks(loaded))
    deltas = compare(before, postures(after, cheapest_attacks(after)))
    return WhatIf(patch=str(patch_file), changes=tuple(said), deltas=tuple(deltas))
