"""YAML read at the edge, with the line of every value kept for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from channelguard.errors import InputError, Issue

Loc = tuple[str | int, ...]

__all__ = ["Loc", "SourceDoc", "read_yaml"]


@dataclass(kw_only=True)
class SourceDoc:
    """A parsed YAML document plus the line (1-based) of each location in it."""

    file: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest ancestor that has one."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None

    def issue(self, loc: Loc, message: str) -> Issue:
        return Issue(file=self.file, line=self.line_of(loc), field=_dotted(loc), message=message)


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def read_yaml(path: str | Path) -> SourceDoc:
    """Parse one YAML file; syntax errors and duplicate keys become Issues."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{name}: cannot read: {exc}") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> SourceDoc:
    doc = SourceDoc(file=name, data=None)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        doc.issues.append(Issue(file=name, line=line, field="", message=f"YAML: {exc.problem}"))
        return doc
    except yaml.YAMLError as exc:
        doc.issues.append(Issue(file=name, line=None, field="", message=f"YAML: {exc}"))
        return doc
    if node is not None:
        doc.data = _build(node, (), doc)
    return doc


def _build(node: yaml.Node, loc: Loc, doc: SourceDoc) -> Any:
    doc.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if key in out:
                doc.issues.append(
                    Issue(
                        file=doc.file,
                        line=key_node.start_mark.line + 1,
                        field=_dotted(loc + (str(key),)),
                        message=f"duplicate key '{key}'",
                    )
                )
                continue
            out[key] = _build(value_node, loc + (str(key),), doc)
            # the key's own line reads better than a block value's first line
            doc.lines[loc + (str(key),)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, loc + (i,), doc) for i, item in enumerate(node.value)]
    return _scalar(node)


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return f"<{type(node).__name__}>"
    value = _CONSTRUCTOR.construct_object(node, deep=True)
    # free-text fields such as `version: 2026-11-01` stay text
    if isinstance(value, date):
        return value.isoformat()
    return value
