"""Lint a channel model: every error and every note at once, each with file:line.

Errors are what stops a review (schema and cross-references, as `loader`
reports them). Notes are what a reviewer should see but the review can run
with: factors and channels nothing uses, and every class the engine guessed
from words (a factor's evidence, an action's kind) rather than read from the
model, so the author can state it instead.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass
from typing import Any, Literal

from channelguard.errors import Issue
from channelguard.model.kinds import guessed_kinds
from channelguard.model.loader import LoadedModel, lint_doc
from channelguard.model.rawchecks import as_dict, as_list
from channelguard.model.yamlsource import SourceDoc, read_yaml

__all__ = ["LintNote", "LintReport", "lint_model"]


@dataclass(frozen=True, kw_only=True, slots=True)
class LintNote:
    severity: Literal["error", "note"]
    issue: Issue

    def to_dict(self) -> dict[str, Any]:
        i = self.issue
        return {
            "severity": self.severity,
            "file": i.file,
            "line": i.line,
            "field": i.field,
            "message": i.message,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class LintReport:
    file: str
    notes: tuple[LintNote, ...]

    @property
    def errors(self) -> int:
        return sum(n.severity == "error" for n in self.notes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": self.errors == 0,
            "errors": self.errors,
            "notes": len(self.notes) - self.errors,
            "problems": [n.to_dict() for n in self.notes],
        }


def lint_model(path: str | pathlib.Path) -> LintReport:
    doc = read_yaml(path)
    loaded, errors = lint_doc(doc)
    notes = _unused(doc) + (_guessed(doc, loaded) if loaded is not None else [])
    found = [LintNote(severity="error", issue=i) for i in errors]
    found += [LintNote(severity="note", issue=i) for i in notes]
    # a problem with the document's own keys ("actoins:") first: the rest may follow
    # from it (every "unknown action" when the actions are misspelt), then by line
    found.sort(
        key=lambda n: (not _top_level(n.issue), n.issue.line or 0, n.severity, n.issue.field)
    )
    return LintReport(file=str(path), notes=tuple(found))


def _top_level(issue: Issue) -> bool:
    return bool(issue.field) and not any(c in issue.field for c in ".[")


def _unused(doc: SourceDoc) -> list[Issue]:
    data = as_dict(doc.data)
    if not isinstance(data.get("actions"), list):
        return []  # no actions read: "no path requires it" would be said of everything
    used_factors: set[str] = set()
    used_channels: set[str] = set()
    for action in as_list(data.get("actions")):
        for path in as_list(as_dict(action).get("paths")):
            used_channels.add(_text(as_dict(path).get("channel")))
            for item in as_list(as_dict(path).get("requires")):
                names = as_dict(item).get("any_of") if isinstance(item, dict) else [item]
                used_factors.update(_text(n) for n in as_list(names))
    issues = [
        doc.issue(("factors", fid), f"factor '{fid}' is defined but no path requires it")
        for fid in as_dict(data.get("factors"))
        if isinstance(fid, str) and fid not in used_factors
    ]
    for c, channel in enumerate(as_list(data.get("channels"))):
        cid = as_dict(channel).get("id")
        if isinstance(cid, str) and cid not in used_channels:
            issues.append(doc.issue(("channels", c, "id"), f"channel '{cid}' has no path"))
    return issues


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _guessed(doc: SourceDoc, loaded: LoadedModel) -> list[Issue]:
    issues = [
        doc.issue(
            ("factors", f.id),
            f"read as {f.evidence.value} evidence ({f.evidence_reason}); set 'evidence:' to choose",
        )
        for f in sorted(loaded.factors.values(), key=lambda f: f.id)
        if f.evidence_reason
    ]
    for g in guessed_kinds(loaded.model):
        message = (
            f"action '{g.action}' read as kind {g.kind.value} ({g.reason}); set 'kind:' to choose"
        )
        issues.append(doc.issue(("actions", g.index, "id"), message))
    return issues
