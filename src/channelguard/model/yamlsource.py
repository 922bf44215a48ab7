"""YAML read at the edge, with the line of every value kept for error messages.

Limits hold before any object is built, so a hostile file costs little: at
most MAX_YAML_BYTES of text, MAX_YAML_DEPTH levels of nesting (checked on the
event stream, which does not recurse), and MAX_YAML_NODES values once aliases
are expanded ("billion laughs" stops there). Each breach is one Issue with
the file and line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from channelguard.errors import InputError, Issue
from channelguard.model import yamlfast
from channelguard.model.yamlfast import TooLarge, dotted

Loc = tuple[str | int, ...]

__all__ = ["MAX_YAML_BYTES", "MAX_YAML_DEPTH", "MAX_YAML_NODES", "Loc", "SourceDoc", "read_yaml"]

MAX_YAML_BYTES = 10_000_000  # the default; CHANNELGUARD_MAX_MODEL_MB raises it
LIMIT_ENV = "CHANNELGUARD_MAX_MODEL_MB"
MAX_YAML_DEPTH = 64
MAX_YAML_NODES = 1_000_000  # values after alias expansion; a 100,000-action model has fewer


def max_bytes() -> int:
    """The size limit: 10 MB, or CHANNELGUARD_MAX_MODEL_MB for a model of 100k actions
    (about 33 MB). Read at each call, so a bad value is an error, not a crash at import."""
    raw = os.environ.get(LIMIT_ENV)
    if raw is None:
        return MAX_YAML_BYTES
    try:
        mb = float(raw)
    except ValueError:
        raise InputError(f"{LIMIT_ENV}='{raw[:20]}' is not a number of megabytes") from None
    if not 1 <= mb <= 2000:
        raise InputError(f"{LIMIT_ENV}={raw[:20]}: give 1 to 2000 (MB)")
    return int(mb * 1_000_000)


def max_nodes(size: int) -> int:
    """Values allowed once aliases are expanded: at least MAX_YAML_NODES, more for a big
    file (one value per 4 bytes of it). An alias bomb is a small file that expands
    a millionfold; a large real model has about one value per 10 bytes."""
    return max(MAX_YAML_NODES, size // 4)


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
        return Issue(file=self.file, line=self.line_of(loc), field=dotted(loc), message=message)


def read_yaml(path: str | Path) -> SourceDoc:
    """Parse one YAML file; syntax errors and duplicate keys become Issues."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        limit = max_bytes()
        if size > limit:
            raise InputError(
                f"{name}: {size:,} bytes, over the {limit:,}-byte limit "
                f"(a larger model: set {LIMIT_ENV} to its size in MB)"
            )
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{name}: cannot read: {exc}") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> SourceDoc:
    doc = SourceDoc(file=name, data=None)
    if len(text) > max_bytes():
        message = f"over the {max_bytes():,}-character limit (set {LIMIT_ENV} to raise it)"
        doc.issues.append(Issue(file=name, line=None, field="", message=message))
        return doc
    try:
        if yamlfast.AVAILABLE:
            doc.data = yamlfast.build_from_events(
                text, name, doc.lines, doc.issues, max_depth=MAX_YAML_DEPTH,
                max_nodes=max_nodes(len(text)),
            )  # fmt: skip
        else:
            node = yaml.compose(text, Loader=_DepthLimitedLoader)
            if node is not None:
                doc.data = _build(node, (), doc, [0])
    except yaml.MarkedYAMLError as exc:  # syntax, or a value no safe constructor builds ('=')
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        message = f"YAML: {problem}"
        if "maximum nesting depth" in problem:  # libyaml's own limit, met while scanning ahead
            message = f"nested deeper than {MAX_YAML_DEPTH} levels"
        doc.issues.append(Issue(file=name, line=line, field="", message=message))
        doc.data = None
    except yaml.YAMLError as exc:
        doc.issues.append(Issue(file=name, line=None, field="", message=f"YAML: {exc}"))
        doc.data = None
    except TooLarge as exc:
        doc.issues.append(Issue(file=name, line=exc.line, field="", message=str(exc)))
        doc.data = None
    return doc


class _DepthLimitedLoader(yaml.SafeLoader):
    """Composes as SafeLoader does, refusing a collection nested deeper than
    MAX_YAML_DEPTH before descending into it (the composer recurses per level)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        opens = self.check_event(yaml.CollectionStartEvent)
        if opens:
            self._depth += 1
            if self._depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                line = mark.line + 1 if mark else 0
                raise TooLarge(line, f"nested deeper than {MAX_YAML_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            if opens:
                self._depth -= 1


def _build(node: yaml.Node, loc: Loc, doc: SourceDoc, count: list[int]) -> Any:
    count[0] += 1
    if count[0] > MAX_YAML_NODES or len(loc) > MAX_YAML_DEPTH:
        line = node.start_mark.line + 1
        raise TooLarge(
            line,
            f"more than {MAX_YAML_NODES:,} values or {MAX_YAML_DEPTH} levels once aliases "
            "are expanded (an alias bomb?)",
        )
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
                        field=dotted(loc + (str(key),)),
                        message=f"duplicate key '{key}'",
                    )
                )
                continue
            out[key] = _build(value_node, loc + (str(key),), doc, count)
            # the key's own line reads better than a block value's first line
            doc.lines[loc + (str(key),)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, loc + (i,), doc, count) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return f"<{type(node).__name__}>"
    # a constructor per scalar: a shared one keeps every node it ever built in
    # `constructed_objects` (a leak of ~130 KB per model reviewed, found by bench/fuzz.py)
    # and is not safe to share between threads
    value = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    # free-text fields such as `version: 2026-11-01` stay text
    if isinstance(value, date):
        return value.isoformat()
    return value
