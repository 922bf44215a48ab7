"""What loading the shipped rules would compute anyway, computed once and shipped.

Loading the guard read every ATR pattern twice over: `re` compiled each one to
check it (2 to 3 s for 3,400 patterns on one core) and `literals.conjuncts`
parsed each one again for the prefilter's atoms (about 2 s). Both answers depend
only on the pattern, on Python's `re` parser and on `literals.py`, so
`scripts/pattern_index.py` writes them to `data/pattern_index.json`: the patterns
`re` compiles (by digest) and their atom sets. The index is used only where it
was written for this Python (major.minor) and this `literals.py` (by digest);
anywhere else everything is computed as before (slower, same answers). A pattern
not in the index (a user's, a newer ATR's) is checked and parsed as before.

A pattern the index vouches for is compiled when the matcher first needs it
(`matcher._Lazy`), not at load.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["INDEX_FILE", "PatternIndex", "atoms_of", "build_index", "fingerprint", "load_index"]

INDEX_FILE = "pattern_index.json"


def digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprint() -> dict[str, str]:
    """What the index's answers depend on besides the pattern."""
    from channelguard.guard.rules import literals

    code = Path(literals.__file__).read_bytes()
    return {
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "literals": hashlib.sha256(code).hexdigest()[:32],
    }


class PatternIndex:
    def __init__(self, atoms: dict[str, list[list[str]] | None]) -> None:
        self._atoms = atoms  # digest -> atom sets (None: none proven); present = compiles

    def __len__(self) -> int:
        return len(self._atoms)

    def compiles(self, source: str) -> bool:
        return digest(source) in self._atoms

    def atoms(self, source: str) -> tuple[bool, list[frozenset[str]] | None]:
        """(known, atom sets) for `source`."""
        key = digest(source)
        if key not in self._atoms:
            return False, None
        sets = self._atoms[key]
        return True, None if sets is None else [frozenset(s) for s in sets]


@lru_cache(maxsize=1)
def load_index() -> PatternIndex | None:
    """The shipped index, if written for this Python and this `literals.py`."""
    try:
        text = resources.files("channelguard").joinpath("data", INDEX_FILE).read_text("utf-8")
        data = json.loads(text)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint():
        return None
    atoms = data.get("atoms")
    return PatternIndex(atoms) if isinstance(atoms, dict) else None


def atoms_of(source: str) -> list[frozenset[str]] | None:
    """`literals.conjuncts(source)`, from the index where it knows the pattern."""
    from channelguard.guard.rules.literals import conjuncts

    index = load_index()
    if index is not None:
        known, sets = index.atoms(source)
        if known:
            return sets
    return conjuncts(source)


def build_index(sources: list[str]) -> dict[str, Any]:
    """The index for `sources`: those `re` compiles (case-insensitive, as every rule
    pattern is read), with their atom sets. Patterns only the `regex` module reads are
    left out: whether they compile depends on that module's version."""
    import re

    from channelguard.guard.rules.literals import conjuncts

    atoms: dict[str, list[list[str]] | None] = {}
    for source in sorted(set(sources)):
        try:
            re.compile(source, re.IGNORECASE)
        except (re.error, RecursionError, OverflowError, ValueError):
            continue
        sets = conjuncts(source)
        atoms[digest(source)] = None if sets is None else [sorted(s) for s in sets]
    return {"fingerprint": fingerprint(), "atoms": dict(sorted(atoms.items()))}
