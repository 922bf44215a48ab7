"""Cross-reference checks on raw data whose schema failed elsewhere.

`lint` must list every problem at once: an unknown key in one place must not
hide an unknown factor, a bad `fallback_of` or a custom factor without a
source in another. The typed checks in `loader` need a valid model, so these
run on the parsed YAML instead; every shape is checked before use (the data
is untrusted) and a value of the wrong type is the schema's to report.
"""

from __future__ import annotations

from typing import Any

from channelguard.errors import Issue
from channelguard.model.factors import builtin_specs
from channelguard.model.suggest import did_you_mean
from channelguard.model.yamlsource import Loc, SourceDoc

__all__ = ["as_dict", "as_list", "raw_issues"]

_FIGURES = ("attacker_cost_usd", "attacker_minutes", "success_probability", "attempts")


def as_dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _ids(items: list[Any]) -> set[str]:
    return {x["id"] for x in items if isinstance(x, dict) and isinstance(x.get("id"), str)}


def raw_issues(doc: SourceDoc) -> list[Issue]:
    data = as_dict(doc.data)
    actions = as_list(data.get("actions"))
    return _factor_issues(doc, as_dict(data.get("factors")), _ids(actions)) + _path_issues(
        doc, data, actions
    )


def _factor_issues(doc: SourceDoc, own: dict[Any, Any], action_ids: set[str]) -> list[Issue]:
    library = builtin_specs()
    issues: list[Issue] = []
    for fid, spec in own.items():
        if not isinstance(fid, str) or not isinstance(spec, dict):
            continue
        if any(spec.get(k) is not None for k in _FIGURES) and not spec.get("source"):
            loc: Loc = ("factors", fid, "source")
            issues.append(doc.issue(loc, "a factor that sets figures needs a source"))
        if fid not in library:
            for name in _FIGURES[:3]:
                if spec.get(name) is None:
                    issues.append(doc.issue(("factors", fid), f"new factor '{fid}' needs {name}"))
        for i, target in enumerate(as_list(spec.get("obtainable_via"))):
            if isinstance(target, str) and target not in action_ids:
                hint = did_you_mean(target, action_ids)
                loc = ("factors", fid, "obtainable_via", i)
                issues.append(doc.issue(loc, f"unknown action '{target}'{hint}"))
    return issues


def _path_issues(doc: SourceDoc, data: dict[Any, Any], actions: list[Any]) -> list[Issue]:
    known = set(builtin_specs()) | {k for k in as_dict(data.get("factors")) if isinstance(k, str)}
    channels = _ids(as_list(data.get("channels")))
    issues: list[Issue] = []
    for a, action in enumerate(actions):
        paths = as_list(as_dict(action).get("paths"))
        path_ids = _ids(paths)
        for p, path in enumerate(paths):
            if not isinstance(path, dict):
                continue
            loc: Loc = ("actions", a, "paths", p)
            channel = path.get("channel")
            if isinstance(channel, str) and channel not in channels:
                hint = did_you_mean(channel, channels)
                issues.append(doc.issue(loc + ("channel",), f"unknown channel '{channel}'{hint}"))
            issues += _fallback_issue(doc, loc, path, path_ids, as_dict(action).get("id"))
            issues += _requires_issues(doc, loc, as_list(path.get("requires")), known)
    return issues


def _fallback_issue(
    doc: SourceDoc, loc: Loc, path: dict[Any, Any], path_ids: set[str], action: Any
) -> list[Issue]:
    target, own = path.get("fallback_of"), path.get("id")
    if not isinstance(target, str) or (target in path_ids and target != own):
        return []
    # an id of the wrong type (a list, a mapping) is the schema's to report
    hint = did_you_mean(target, path_ids - {own if isinstance(own, str) else ""})
    msg = f"fallback_of '{target}' is not another path of '{action}'{hint}"
    return [doc.issue(loc + ("fallback_of",), msg)]


def _requires_issues(doc: SourceDoc, loc: Loc, requires: list[Any], known: set[str]) -> list[Issue]:
    issues: list[Issue] = []
    for r, item in enumerate(requires):
        names = item.get("any_of") if isinstance(item, dict) else [item]
        for n, name in enumerate(as_list(names)):
            if isinstance(name, str) and name not in known:
                where = loc + ("requires", r) + (("any_of", n) if isinstance(item, dict) else ())
                issues.append(
                    doc.issue(where, f"unknown factor '{name}'{did_you_mean(name, known)}")
                )
    return issues
