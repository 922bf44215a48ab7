"""The literal strings a pattern cannot match without: the prefilter's atoms.

`required(source)` returns a set of lower-cased strings such that every match
of the pattern contains at least one of them, or None when no useful set can
be proven (the pattern then runs on every message). Hyperscan compiles such
literal sets in milliseconds, where compiling the full patterns took up to 40
seconds each (measured on ATR's bounded repeats); the `regex` module confirms
every candidate. The proof walks Python's own parse of the pattern, so a
pattern in syntax only `regex` reads simply has no atoms.
"""

from __future__ import annotations

import re
from typing import Any

try:  # CPython's parser for `re` (3.11+: re._parser)
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _parser = None

__all__ = ["MIN_ATOM", "required"]

MIN_ATOM = 2  # UTF-8 bytes; one byte matches nearly every message: not worth a prefilter
MAX_ATOMS = 256

Factor = frozenset[str] | None


def required(source: str) -> Factor:
    if _parser is None:
        return None
    try:
        tree = _parser.parse(source, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    found = _sequence(list(tree))
    if not found or any(_surrogate(a) for a in found) or min(map(_size, found)) < MIN_ATOM:
        return None
    return found


def _better(a: Factor, b: Factor) -> Factor:
    if a is None:
        return b
    if b is None:
        return a
    return a if (min(map(_size, a)), -len(a)) >= (min(map(_size, b)), -len(b)) else b


def _surrogate(atom: str) -> bool:  # written as \\ud83d…: not UTF-8, left to `regex`
    return any(0xD800 <= ord(c) <= 0xDFFF for c in atom)


def _size(atom: str) -> int:
    return len(atom.encode("utf-8", "surrogatepass"))


def _sequence(items: list[Any]) -> Factor:
    best: Factor = None
    run: list[str] = []
    for op, av in items:
        if op is _parser.LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset({"".join(run).lower()}))
            run = []
        best = _better(best, _node(op, av))
    if run:
        best = _better(best, frozenset({"".join(run).lower()}))
    return best


def _node(op: Any, av: Any) -> Factor:
    name = str(op)
    if name == "SUBPATTERN":
        return _sequence(list(av[-1]))
    if name == "ATOMIC_GROUP":
        return _sequence(list(av))
    if name == "BRANCH":
        union: set[str] = set()
        for branch in av[1]:
            part = _sequence(list(branch))
            if part is None:
                return None
            union |= part
        return frozenset(union) if len(union) <= MAX_ATOMS else None
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _high, sub = av
        return _sequence(list(sub)) if low >= 1 else None
    if name == "ASSERT":  # a positive lookaround must match too
        return _sequence(list(av[1]))
    return None  # classes, anchors, negative lookarounds, backreferences: none proven
