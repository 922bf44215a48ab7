"""Identifiers a caller sends, and what makes one usable as a key: 1-200
characters, not only whitespace, and no control (CR, LF, NUL, ESC, C1), format
(zero-width, bidi, BOM), surrogate, line or paragraph separator characters. A
CR/LF reaches headers and logs as a line of its own; an invisible character
makes two ids that look the same. Session ids (the route, a feedback
`session:` reference, an incident's session), feedback channels and rule ids
are held to it; a claimed identity is first put in its canonical form (NFKC,
invisible characters dropped, so look-alike spellings are one identity) and
refused only when nothing visible is left. Below everything that takes ids, so
the register and the service check them the same way.
"""

from __future__ import annotations

import unicodedata

__all__ = ["INVISIBLE", "MAX_ID", "canonical", "id_problem"]

MAX_ID = 200
# Unicode categories refused in an id and dropped from a claimed identity: control,
# format (zero-width, bidi, soft hyphen, BOM), surrogate, line and paragraph separator
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def id_problem(value: str, *, max_chars: int = MAX_ID) -> str | None:
    """What is wrong with an identifier, or None."""
    if not value or len(value) > max_chars:
        return f"1-{max_chars} characters"
    if not value.strip():
        return "only whitespace"
    for char in value:
        if unicodedata.category(char) in INVISIBLE:
            return f"holds the control or invisible character U+{ord(char):04X}"
    return None


def canonical(value: str) -> str:
    """The identity a value names: NFKC (full-width and other compatibility forms
    are their plain letters) without invisible characters, so a respelling that
    looks the same to the agent reaches the same memory. Case is kept."""
    folded = unicodedata.normalize("NFKC", value)
    return "".join(c for c in folded if unicodedata.category(c) not in INVISIBLE).strip()
