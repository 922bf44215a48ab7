"""The same document `yamlsource` builds, read from libyaml's event stream.

PyYAML's pure-Python reader takes about a second per thousand actions of a
channel model, and its C composer half that; libyaml's parser alone takes a
thirtieth. Here values are built straight from the C parser's events: the
same limits (depth, values once aliases are expanded), the same lines, the
same duplicate-key issues, and scalars resolved by PyYAML's own safe resolver
and constructor. `yamlsource` uses this when libyaml is present and its own
composer otherwise; a test holds the two to the same output.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from channelguard.errors import Issue

__all__ = ["AVAILABLE", "TooLarge", "build_from_events", "dotted"]

AVAILABLE = bool(getattr(yaml, "__with_libyaml__", False))
_STR = "tag:yaml.org,2002:str"


class TooLarge(Exception):
    """A limit of the reader (depth, values once aliases are expanded) met at `line`."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _Anchored:
    """A value with an anchor: what an alias to it adds once expanded."""

    __slots__ = ("height", "size", "value")

    def __init__(self, value: Any, size: int, height: int) -> None:
        self.value = value
        self.size = size
        self.height = height


def build_from_events(
    text: str, file: str, lines: dict[Any, int], issues: list[Issue], *, max_depth: int,
    max_nodes: int,
) -> Any:  # fmt: skip
    loader = yaml.CSafeLoader(text)
    try:
        return _Builder(loader, file, lines, issues, max_depth, max_nodes).document()
    finally:
        loader.dispose()


class _Builder:
    def __init__(
        self, loader: Any, file: str, lines: dict[Any, int], issues: list[Issue],
        max_depth: int, max_nodes: int,
    ) -> None:  # fmt: skip
        self.loader = loader
        self.file = file
        self.lines = lines
        self.issues = issues
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.count = 0
        self.anchors: dict[str, _Anchored] = {}
        self.resolver = yaml.resolver.Resolver()

    def document(self) -> Any:
        get = self.loader.get_event
        get()  # StreamStart
        if self.loader.check_event(yaml.StreamEndEvent):
            return None
        get()  # DocumentStart
        value, _, _ = self.node((), 0)
        get()  # DocumentEnd
        if not self.loader.check_event(yaml.StreamEndEvent):
            event = self.loader.peek_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", None,
                "but found another document", event.start_mark,
            )  # fmt: skip
        return value

    def _tally(self, line: int, n: int, loc: tuple[Any, ...]) -> None:
        self.count += n
        if self.count > self.max_nodes or len(loc) > self.max_depth:
            raise TooLarge(
                line,
                f"more than {self.max_nodes:,} values or {self.max_depth} levels once aliases "
                "are expanded (an alias bomb?)",
            )

    def node(self, loc: tuple[Any, ...], depth: int) -> tuple[Any, int, int]:
        """The next value, how many values it holds expanded, and how deep it goes."""
        event = self.loader.get_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            anchored = self.anchors.get(event.anchor or "")
            if anchored is None:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"found undefined alias {event.anchor!r}",
                    event.start_mark,  # type: ignore[arg-type]
                )
            self._tally(line, anchored.size, loc + (None,) * anchored.height)
            self.lines[loc] = line
            return anchored.value, anchored.size, anchored.height
        self.lines[loc] = line
        if isinstance(event, yaml.ScalarEvent):
            self._tally(line, 1, loc)
            value, size, height = self.scalar(event), 1, 0
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if depth + 1 > self.max_depth:
                raise TooLarge(line, f"nested deeper than {self.max_depth} levels")
            self._tally(line, 1, loc)
            if isinstance(event, yaml.SequenceStartEvent):
                value, size, height = self.sequence(loc, depth + 1)
            else:
                value, size, height = self.mapping(loc, depth + 1)
        else:  # pragma: no cover - the parser allows nothing else here
            raise yaml.composer.ComposerError(None, None, "unexpected event", event.start_mark)
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchored(value, size, height)
        return value, size, height

    def sequence(self, loc: tuple[Any, ...], depth: int) -> tuple[list[Any], int, int]:
        out: list[Any] = []
        size, height = 1, 0
        while not self.loader.check_event(yaml.SequenceEndEvent):
            value, n, h = self.node(loc + (len(out),), depth)
            out.append(value)
            size, height = size + n, max(height, h)
        self.loader.get_event()
        return out, size, height + 1

    def mapping(self, loc: tuple[Any, ...], depth: int) -> tuple[dict[Any, Any], int, int]:
        out: dict[Any, Any] = {}
        size, height = 1, 0
        while not self.loader.check_event(yaml.MappingEndEvent):
            key_event = self.loader.peek_event()
            key_line = key_event.start_mark.line + 1
            if isinstance(key_event, yaml.ScalarEvent):
                self.loader.get_event()
                key = self.scalar(key_event)
            else:  # a collection as a key: the Python reader names its node type
                key, _, _ = self.node(loc + ("<key>",), depth)
                key = "<MappingNode>" if isinstance(key, dict) else "<SequenceNode>"
            where = loc + (str(key),)
            if key in out:
                self.issues.append(
                    Issue(
                        file=self.file,
                        line=key_line,
                        field=dotted(where),
                        message=f"duplicate key '{key}'",
                    )
                )
                self._skip(where, depth)
                continue
            value, n, h = self.node(where, depth)
            out[key] = value
            size, height = size + n, max(height, h)
            self.lines[where] = key_line  # the key's own line reads better
        self.loader.get_event()
        return out, size, height + 1

    def _skip(self, loc: tuple[Any, ...], depth: int) -> None:
        saved = dict(self.lines)
        self.node(loc, depth)  # still checked for limits and anchors, then dropped
        self.lines.clear()
        self.lines.update(saved)

    def scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _STR:
            return event.value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        value = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
        return value.isoformat() if isinstance(value, date) else value


def dotted(loc: tuple[Any, ...]) -> str:
    """A location as a field path: `actions[2].paths[0].requires`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
