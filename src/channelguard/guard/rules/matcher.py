"""Every rule pattern in one multi-pattern matcher.

Hyperscan scans a message once for the literal atoms of every pattern (the
strings no match can lack, `literals.conjuncts`: up to four sets, each of which
every match needs an atom of): a pattern whose most selective set is absent
cannot match and is skipped; one that hyperscan names is kept only where each
of its other sets has an atom in the lower-cased message too (a substring test,
cheaper than the regex it saves). Hyperscan's own logical combinations did the
same and cost 100 us on every short message. Hyperscan only names candidates: each is
confirmed, and its span found, by the `regex` module, which is the reference
semantics, so the answers are `regex`'s. A pattern with no provable atoms is
run by `regex` on every message. Full patterns are not compiled into
hyperscan: ATR's bounded repeats took up to 40 s each to compile. Without hyperscan installed the
matcher runs every pattern with `regex` (same answers, slower).

A few shipped patterns take time that grows faster than the text (found by
`scripts/superlinear_rules.py`, listed in `data/superlinear_patterns.json`):
`[A-Za-z]{2,}\x08[A-Za-z]` took 1.8 s on 20,000 letters, and a message of
200,000 characters 18 s. Those are run by the `regex` module with a time limit
(`SLOW_LIMIT_SECONDS`); a search that reaches it is a `Hit` with `timed_out`,
which the rule detector reports as a finding at 1.0 (fail closed: a text nobody
finished reading is not clean).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from channelguard.guard.rules.index import atoms_of
from channelguard.guard.rules.model import compile_regex, compile_with_regex

__all__ = ["SLOW_LIMIT_SECONDS", "Hit", "Matcher", "superlinear_patterns"]

SLOW_LIMIT_SECONDS = 0.05  # per search of a listed pattern, per window of a message


@dataclass(frozen=True, kw_only=True, slots=True)
class Hit:
    pattern: int  # index into the sources the matcher was built from
    span: tuple[int, int]
    text: str
    timed_out: bool = False  # the search reached its time limit: not a match, unread


@lru_cache(maxsize=1)
def superlinear_patterns() -> frozenset[str]:
    """The shipped patterns whose search time grows faster than the text."""
    path = resources.files("channelguard").joinpath("data/superlinear_patterns.json")
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["patterns"])


class _Limited:
    """A pattern run by `regex` with a time limit."""

    def __init__(self, source: str) -> None:
        self.pattern = source
        self._compiled = compile_with_regex(source)

    def search(self, text: str) -> Any:
        return self._compiled.search(text, timeout=SLOW_LIMIT_SECONDS)


class _Lazy:
    """A pattern compiled when first searched: most of a pack's patterns are never a
    candidate in a short run, and compiling 3,400 took seconds at every load."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, source: str) -> None:
        self.pattern = source
        self._compiled: Any = None

    def search(self, text: str) -> Any:
        if self._compiled is None:
            self._compiled = compile_regex(self.pattern)  # cached across matchers
        return self._compiled.search(text)


class Matcher:
    """Build with `Matcher.build(sources)`; `scan(text)` returns the patterns that match."""

    def __init__(
        self,
        compiled: list[Any],
        database: Any | None,
        always: list[int],
        engine: str,
        also: dict[int, list[frozenset[str]]] | None = None,
    ) -> None:
        self._compiled = compiled
        self._database = database
        self._always = always
        self.engine = engine
        self._also = also or {}  # pattern -> the atom sets hyperscan did not test
        self._local = threading.local()  # hyperscan scratch space is per thread

    @classmethod
    def build(cls, sources: Sequence[str], *, use_hyperscan: bool = True) -> Matcher:
        """Compiled once per process for the same patterns (every Guard of a test run,
        every worker's): a matcher is immutable once built and safe across threads."""
        return _build(tuple(sources), use_hyperscan)

    @classmethod
    def _make(cls, sources: tuple[str, ...], use_hyperscan: bool) -> Matcher:
        slow = superlinear_patterns()
        compiled = [_Limited(s) if s in slow else _Lazy(s) for s in sources]
        if not use_hyperscan or not sources:
            return cls(compiled, None, list(range(len(sources))), "regex")
        try:
            import hyperscan
        except ImportError:
            return cls(compiled, None, list(range(len(sources))), "regex")
        database, always, also = _hyperscan_database(hyperscan, sources)
        return cls(compiled, database, always, "hyperscan", also)

    @property
    def size(self) -> int:
        return len(self._compiled)

    @property
    def regex_only(self) -> list[int]:
        """Patterns run by `regex` on every message (hyperscan could not take them)."""
        return [] if self._database is None else list(self._always)

    def candidates(self, text: str) -> set[int]:
        """The patterns `regex` must try on `text`: those with an atom of each of their
        atom sets in it, and those with none proven."""
        found = set(self._always)
        if self._database is not None:
            named: set[int] = set()

            def on_match(pid: int, start: int, end: int, flags: int, ctx: object) -> None:
                named.add(pid)

            # the text is valid UTF-8 for hyperscan; a lone surrogate becomes "?" here
            # only: the confirming regex reads the real text
            scratch = getattr(self._local, "scratch", None)
            if scratch is None:
                import hyperscan

                scratch = self._local.scratch = hyperscan.Scratch(self._database)
            self._database.scan(
                text.encode("utf-8", "replace"), match_event_handler=on_match, scratch=scratch
            )
            lowered: str | None = None
            for pid in named:
                rest = self._also.get(pid)
                if rest:
                    lowered = text.lower() if lowered is None else lowered
                    if not all(any(a in lowered for a in atoms) for atoms in rest):
                        continue
                found.add(pid)
        return found

    def scan(self, text: str, allowed: set[int] | None = None) -> list[Hit]:
        """The patterns that match `text` (among `allowed`, if given), with their
        first match."""
        hits: list[Hit] = []
        for i in sorted(self.candidates(text)):
            if allowed is not None and i not in allowed:
                continue
            try:
                m = self._compiled[i].search(text)
            except TimeoutError:  # a listed pattern reached its limit: unread, not clean
                hits.append(Hit(pattern=i, span=(0, 0), text="", timed_out=True))
                continue
            if m is not None:
                hits.append(Hit(pattern=i, span=m.span(), text=m.group()))
        return hits


@lru_cache(maxsize=4)
def _build(sources: tuple[str, ...], use_hyperscan: bool) -> Matcher:
    return Matcher._make(sources, use_hyperscan)


def _hyperscan_database(
    hs: Any, sources: Sequence[str]
) -> tuple[Any, list[int], dict[int, list[frozenset[str]]]]:
    """Hyperscan takes each pattern's most selective atom set; the others are tested
    on the candidates it names. Patterns with no set proven run always."""
    flags = hs.HS_FLAG_CASELESS | hs.HS_FLAG_UTF8 | hs.HS_FLAG_UCP | hs.HS_FLAG_SINGLEMATCH
    ids: list[int] = []
    expressions: list[bytes] = []
    always: list[int] = []
    also: dict[int, list[frozenset[str]]] = {}
    for i, source in enumerate(sources):
        sets = atoms_of(source)
        if sets is None:
            always.append(i)
            continue
        ids.append(i)
        expressions.append("|".join(_escape(a) for a in sorted(sets[0])).encode("utf-8"))
        if len(sets) > 1:
            also[i] = sets[1:]
    if not ids:
        return None, always, also
    database = hs.Database(mode=hs.HS_MODE_BLOCK)
    database.compile(expressions=expressions, ids=ids, flags=[flags] * len(ids))
    return database, always, also


def _escape(atom: str) -> str:
    return "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in atom)
