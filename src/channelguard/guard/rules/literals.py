"""The literal strings a pattern cannot match without: the prefilter's atoms.

`required(source)` returns a set of lower-cased strings such that every match
of the pattern contains at least one of them, or None when no useful set can
be proven (the pattern then runs on every message). `conjuncts(source)` returns
several such sets, every one of which a match must satisfy (the parts of a
pattern written one after another): a pattern is a candidate only where each
set has an atom in the message, which cuts the candidates `regex` must confirm
(`you are` alone is in most long prompts; `you are` and `DAN` are not). Hyperscan compiles such
literal sets in milliseconds, where compiling the full patterns took up to 40
seconds each (measured on ATR's bounded repeats); the `regex` module confirms
every candidate. The proof walks Python's own parse of the pattern, so a
pattern in syntax only `regex` reads simply has no atoms.
"""

from __future__ import annotations

import functools
import re
from typing import Any

try:  # CPython's parser for `re` (3.11+: re._parser)
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _parser = None

__all__ = ["MAX_CONJUNCTS", "MIN_ATOM", "conjuncts", "required"]

MIN_ATOM = 2  # UTF-8 bytes; one byte matches nearly every message: not worth a prefilter
MAX_ATOMS = 256
MAX_CONJUNCTS = 4  # the most selective sets a pattern keeps

Factor = frozenset[str] | None


def required(source: str) -> Factor:
    tree = _parse(source)
    found = None if tree is None else _sequence(tree)
    return found if found and _usable(found) else None


def conjuncts(source: str) -> list[frozenset[str]] | None:
    """Sets of atoms a match must each contain one of, the most selective first (the
    longest shortest atom, then the fewest atoms), at most `MAX_CONJUNCTS`; None
    where no set is proven. Each set is proven as `required` proves its one."""
    tree = _parse(source)
    found = [] if tree is None else [f for f in dict.fromkeys(_conjoined(tree)) if _usable(f)]
    if not found:
        return None
    found.sort(key=lambda f: (-min(map(_size, f)), len(f), sorted(f)))
    return found[:MAX_CONJUNCTS]


def _parse(source: str) -> list[Any] | None:
    if _parser is None:
        return None
    try:
        return list(_parser.parse(source, re.IGNORECASE))
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


def _usable(atoms: frozenset[str]) -> bool:
    return not any(_surrogate(a) for a in atoms) and min(map(_size, atoms)) >= MIN_ATOM


def _conjoined(items: list[Any]) -> list[frozenset[str]]:
    """Every set proven required by a sequence: its literal runs, and the sets of
    each group, repeat (at least once) or lookahead in it; a branch gives one set
    (the union of its branches' best)."""
    out: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _parser.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append(frozenset({"".join(run).lower()}))
            run = []
        name = str(op)
        if name == "SUBPATTERN":
            out += _conjoined(list(av[-1]))
        elif name == "ATOMIC_GROUP":
            out += _conjoined(list(av))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if av[0] >= 1:
                out += _conjoined(list(av[2]))
        elif name == "ASSERT":
            out += _conjoined(list(av[1]))
        else:
            factor = _node(op, av)
            if factor is not None:
                out.append(factor)
    if run:
        out.append(frozenset({"".join(run).lower()}))
    return out


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
    """The most selective of a sequence's required sets (`_better`, the first on a
    tie), or None."""
    return functools.reduce(_better, _conjoined(items), None)


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
