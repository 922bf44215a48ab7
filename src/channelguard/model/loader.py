"""Load a channel model: YAML → strict schema → cross-reference checks → LoadedModel.

`lint_file` collects every problem; `load_file` raises ModelError with all of
them too (the review cannot run on a half-valid model).
"""

from __future__ import annotations

import pathlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from channelguard.errors import Issue, ModelError
from channelguard.model.factors import Factor, builtin_specs, resolve_factor
from channelguard.model.rawchecks import raw_issues
from channelguard.model.schema import Action, AnyOf, Channel, ChannelModel, FactorSpec, Path
from channelguard.model.suggest import did_you_mean
from channelguard.model.yamlsource import Loc, SourceDoc, read_yaml

__all__ = [
    "LoadedModel",
    "from_model",
    "lint_doc",
    "lint_file",
    "load_data",
    "load_file",
    "schema_issues",
]

# pydantic inserts union member tags into error locations; they are not keys
_UNION_TAGS = {"str", "AnyOf", "constrained-str", "int", "float", "bool", "dict", "list"}


@dataclass(frozen=True, kw_only=True)
class LoadedModel:
    """A validated model with every factor it uses resolved."""

    model: ChannelModel
    factors: dict[str, Factor]
    file: str

    def channel(self, channel_id: str) -> Channel:
        """A channel by id; a loaded model has every channel its paths name."""
        return next(c for c in self.model.channels if c.id == channel_id)


def load_file(path: str | pathlib.Path) -> LoadedModel:
    doc = read_yaml(path)
    loaded, issues = lint_doc(doc)
    if issues or loaded is None:
        raise ModelError(issues)
    return loaded


def lint_file(path: str | pathlib.Path) -> list[Issue]:
    return lint_doc(read_yaml(path))[1]


def load_data(data: Any, name: str = "<data>") -> LoadedModel:
    """Load from already-parsed data (tests, benchmarks, the HTTP API)."""
    loaded, issues = lint_doc(SourceDoc(file=name, data=data))
    if issues or loaded is None:
        raise ModelError(issues)
    return loaded


def lint_doc(doc: SourceDoc) -> tuple[LoadedModel | None, list[Issue]]:
    """The model and every error in it (an empty list when it loaded)."""
    issues = list(doc.issues)
    if doc.data is None and not issues:
        issues.append(Issue(file=doc.file, line=None, field="", message="the file is empty"))
    if issues:
        return None, issues
    if not isinstance(doc.data, dict):
        return None, [doc.issue((), "the top level must be a mapping")]
    try:
        model = ChannelModel.model_validate(doc.data)
    except ValidationError as exc:
        # the cross-references are checked on the raw data too, so that lint lists an
        # unknown factor or channel in one place and an unknown key in another at once
        issues = schema_issues(exc, doc)
        seen = {(i.line, i.field) for i in issues}
        issues += [i for i in raw_issues(doc) if (i.line, i.field) not in seen]
        return None, sorted(issues, key=lambda i: (i.line or 0, i.field))
    return _resolve(model, doc)


def from_model(model: ChannelModel, name: str = "<model>") -> LoadedModel:
    """Resolve a model built in code (the plan's changed models); checks still run."""
    loaded, issues = _resolve(model, SourceDoc(file=name, data=None))
    if issues or loaded is None:
        raise ModelError(issues)
    return loaded


def _resolve(model: ChannelModel, doc: SourceDoc) -> tuple[LoadedModel | None, list[Issue]]:
    library = builtin_specs()
    issues = _cross_check(model, library, doc)
    if issues:
        return None, issues
    factors = {
        fid: resolve_factor(fid, model.factors.get(fid), library.get(fid))
        for fid in _used_factor_ids(model) | set(model.factors)
    }
    return LoadedModel(model=model, factors=factors, file=doc.file), []


def schema_issues(exc: ValidationError, doc: SourceDoc) -> list[Issue]:
    """A pydantic error as one `file:line: field: what` Issue per location."""
    seen: dict[Loc, Issue] = {}
    for err in exc.errors():
        loc: Loc = tuple(p for p in err["loc"] if not _is_tag(p))
        message = _message(err)
        if "requires" in loc and len(loc) > loc.index("requires") + 1:
            # a union (id | {any_of}) reports once per member: say it once, plainly
            loc = loc[: loc.index("requires") + 2]
            message = "expected a factor id or {any_of: [factor ids]}"
        if err["type"] == "extra_forbidden" and loc and isinstance(loc[-1], str):
            message += did_you_mean(loc[-1], _keys_at(loc[:-1]))
        if loc not in seen:
            seen[loc] = doc.issue(loc, message)
    return list(seen.values())


# the schema class at each place of a model, for "did you mean" on an unknown key
_KEYS_AT: dict[tuple[str, ...], type[Any]] = {
    (): ChannelModel,
    ("factors", "*"): FactorSpec,
    ("channels", "#"): Channel,
    ("actions", "#"): Action,
    ("actions", "#", "paths", "#"): Path,
    ("actions", "#", "paths", "#", "requires", "#"): AnyOf,
}


def _keys_at(loc: Loc) -> list[str]:
    shape = tuple(
        "#" if isinstance(part, int) else "*" if i == 1 and loc[0] == "factors" else str(part)
        for i, part in enumerate(loc)
    )
    model = _KEYS_AT.get(shape)
    return list(model.model_fields) if model is not None else []


def _is_tag(part: Any) -> bool:
    return isinstance(part, str) and (part in _UNION_TAGS or part.startswith("function-"))


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    msg = str(err["msg"])
    return msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg


def _used_factor_ids(model: ChannelModel) -> set[str]:
    used = {fid for action in model.actions for path in action.paths for fid in path.factor_ids()}
    if any(path.approvals for action in model.actions for path in action.paths):
        used.add("second_approver")
    return used


def _duplicates(ids: list[str]) -> set[str]:
    return {key for key, count in Counter(ids).items() if count > 1}


def _cross_check(
    model: ChannelModel, library: dict[str, FactorSpec], doc: SourceDoc
) -> list[Issue]:
    issues: list[Issue] = []
    issues += _check_ids(model, doc)
    issues += _check_factors(model, library, doc)
    issues += _check_paths(model, library, doc)
    return issues


def _check_ids(model: ChannelModel, doc: SourceDoc) -> list[Issue]:
    issues: list[Issue] = []
    groups: tuple[tuple[str, list[str]], ...] = (
        ("channels", [c.id for c in model.channels]),
        ("actions", [a.id for a in model.actions]),
    )
    for group, ids in groups:
        dup = _duplicates(ids)
        for i, item_id in enumerate(ids):
            if item_id in dup:
                issues.append(doc.issue((group, i, "id"), f"duplicate id '{item_id}'"))
    for a, action in enumerate(model.actions):
        dup = _duplicates([p.id for p in action.paths])
        for p, path in enumerate(action.paths):
            if path.id in dup:
                loc = ("actions", a, "paths", p, "id")
                issues.append(doc.issue(loc, f"duplicate path id '{path.id}' in '{action.id}'"))
    return issues


def _check_factors(
    model: ChannelModel, library: dict[str, FactorSpec], doc: SourceDoc
) -> list[Issue]:
    issues: list[Issue] = []
    action_ids = {a.id for a in model.actions}
    for fid, spec in model.factors.items():
        if spec.sets_numbers() and not spec.source:
            issues.append(
                doc.issue(("factors", fid, "source"), "a factor that sets figures needs a source")
            )
        if fid not in library:
            for name in ("attacker_cost_usd", "attacker_minutes", "success_probability"):
                if getattr(spec, name) is None:
                    issues.append(doc.issue(("factors", fid), f"new factor '{fid}' needs {name}"))
        for i, target in enumerate(spec.obtainable_via or []):
            if target not in action_ids:
                loc = ("factors", fid, "obtainable_via", i)
                hint = did_you_mean(target, action_ids)
                issues.append(doc.issue(loc, f"unknown action '{target}'{hint}"))
    return issues


def _check_paths(
    model: ChannelModel, library: dict[str, FactorSpec], doc: SourceDoc
) -> list[Issue]:
    issues: list[Issue] = []
    channel_ids = {c.id for c in model.channels}
    known = set(library) | set(model.factors)
    for a, action in enumerate(model.actions):
        path_ids = {p.id for p in action.paths}
        for p, path in enumerate(action.paths):
            loc: Loc = ("actions", a, "paths", p)
            if path.channel not in channel_ids:
                hint = did_you_mean(path.channel, channel_ids)
                msg = f"unknown channel '{path.channel}'{hint}"
                issues.append(doc.issue(loc + ("channel",), msg))
            if path.fallback_of is not None and (
                path.fallback_of not in path_ids or path.fallback_of == path.id
            ):
                hint = did_you_mean(path.fallback_of, path_ids - {path.id})
                msg = f"fallback_of '{path.fallback_of}' is not another path of '{action.id}'{hint}"
                issues.append(doc.issue(loc + ("fallback_of",), msg))
            for r, item in enumerate(path.requires):
                names = [item] if isinstance(item, str) else item.any_of
                for n, name in enumerate(names):
                    if name not in known:
                        where = (
                            loc + ("requires", r) + (() if isinstance(item, str) else ("any_of", n))
                        )
                        msg = f"unknown factor '{name}'{did_you_mean(name, known)}"
                        issues.append(doc.issue(where, msg))
    return issues
