"""Canonicalization before any detector runs.

Attackers hide instructions from filters while the model still reads them:
invisible characters between letters, Unicode TAG characters (U+E0000 block)
that carry a whole ASCII message, variation selectors used as a byte carrier
after an emoji, homoglyphs, emoji or dots between letters, leetspeak, and
encodings (base64, hex, rot13, reversed text). This module returns:

- `text`: the canonical view (NFKC, invisible characters removed, confusables
  folded inside mixed-script words, emoji and separators between letters
  turned into spaces), with `origin[i]` the index in the original text;
- `views`: decoded hidden or encoded payloads, each to be scanned again;
- `signals`: what was hidden and where, for the smuggling detector.

Ordinary emoji are never a signal: ZWJ sequences, skin tones, VS16 and flag
tag sequences (🏴 + TAG letters + CANCEL TAG) pass untouched.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Canonical", "Signal", "View", "canonicalize", "load_confusables"]

ZERO_WIDTH = {
    # the implicit direction marks (LRM, RLM, ALM) reorder nothing strongly and are
    # ordinary in Arabic, Hebrew and Persian writing (an RLM after a number or a
    # Latin name): removed like any zero-width character and judged like one, so
    # they count only where they split Latin words (SmuggledInstructions)
    0x200E,
    0x200F,
    0x061C,
    0x200B,
    0x200C,
    0x2060,
    0x2061,
    0x2062,
    0x2063,
    0x2064,
    0xFEFF,
    0x180E,
    0x00AD,
    0x034F,
    0x115F,
    0x1160,
    0x3164,
    0xFFA0,
    0x17B4,
    0x17B5,
}
# explicit embeddings, overrides and isolates: they reorder what a reader sees
# (Trojan Source, CVE-2021-42574) and are reported wherever they occur
BIDI = {
    0x202A,
    0x202B,
    0x202C,
    0x202D,
    0x202E,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
}
ZWJ = 0x200D
BLACK_FLAG = 0x1F3F4
CANCEL_TAG = 0xE007F
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "you",
        "your",
        "to",
        "of",
        "a",
        "is",
        "in",
        "that",
        "it",
        "for",
        "this",
        "with",
        "are",
        "be",
        "on",
        "not",
        "all",
        "now",
        "from",
        "ignore",
        "instructions",
        "previous",
        "system",
        "prompt",
        "tell",
        "me",
        "what",
    ]
)

# Function words of the other five languages the guard reads: a Spanish sentence
# reversed yields "is", "on", "or" by chance, but it already reads as language
# the right way round, so it gets no reversed view.
_OTHER_FUNCTION_WORDS = (
    "de la que el en y los se del las un por con no una su para es al lo como mi",  # es
    "le la les des et est du qui pour pas je vous il ne un une",  # fr
    "der die das und ist nicht ich sie ein eine zu den mit von auf",  # de
    "o a os as de do da que em um uma eu meu para com",  # pt
    "il la di che un una per non io mi della con",  # it
)
OTHER_STOPWORDS = frozenset(w for line in _OTHER_FUNCTION_WORDS for w in line.split())
LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
    }
)
_B64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")
_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}[ :]?){12,}(?![0-9A-Fa-f])")
_SPACED = re.compile(r"(?<![\w])(?:\w[ .\-_*|/\\]){3,}\w(?![\w])")
_LEET_WORD = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[013457@$])[\w@$!|]{3,}\b")


@dataclass(frozen=True, kw_only=True, slots=True)
class Signal:
    kind: str  # tag_smuggling | variation_selector_smuggling | zero_width | bidi | homoglyph | spaced_letters
    span: tuple[int, int]
    detail: str


@dataclass(frozen=True, kw_only=True, slots=True)
class View:
    kind: str  # tag_payload | vs_payload | base64 | hex | rot13 | reversed | leetspeak
    text: str
    span: tuple[int, int]  # where in the original text it came from


@dataclass(kw_only=True)
class Canonical:
    original: str
    text: str
    origin: list[int] | None  # None: identical to the original
    views: list[View] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None or not self.origin:
            return (start, end)
        a = self.origin[min(start, len(self.origin) - 1)]
        b = self.origin[min(max(end - 1, 0), len(self.origin) - 1)] + 1
        return (a, b)


def load_confusables() -> dict[str, str]:
    """Non-ASCII characters that look like an ASCII letter or digit, from the
    confusable-homoglyphs package's shipped Unicode data."""
    import json
    from importlib import resources

    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    fold: dict[str, str] = {}
    for char, entries in data.items():
        if len(char) != 1 or char.isascii() or _native_latin(char):
            continue
        for entry in entries.get("homoglyphs", []) if isinstance(entries, dict) else entries:
            target = entry.get("c", "")
            if len(target) == 1 and target.isascii() and target.isalnum():
                fold[char] = target
                break
    return fold


def _native_latin(ch: str) -> bool:
    """Letters of Latin-alphabet languages (Turkish ı and ş, Romanian ș, Vietnamese ơ):
    real letters, not look-alikes. Folding them flagged 4-10% of real Turkish, German
    and Vietnamese text as smuggled (bench/generalization.py, 2026-12-01)."""
    cp = ord(ch)
    return 0x00C0 <= cp <= 0x024F or 0x1E00 <= cp <= 0x1EFF


def _is_pictograph(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2190 <= cp <= 0x21FF
        or 0x2B00 <= cp <= 0x2BFF
        or 0x1F1E6 <= cp <= 0x1F1FF
        or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x3030, 0x303D)
    )


def canonicalize(text: str, confusables: dict[str, str]) -> Canonical:
    if text.isascii():
        canon = Canonical(original=text, text=text, origin=None)
    else:
        canon = _unicode_pass(text, confusables)
    _decode_views(canon)
    _spaced_letters(canon)
    return canon


def _unicode_pass(text: str, confusables: dict[str, str]) -> Canonical:
    out: list[str] = []
    origin: list[int] = []
    signals: list[Signal] = []
    views: list[View] = []
    n = len(text)
    i = 0
    hidden: dict[str, list[int]] = {"zero_width": [], "bidi": []}
    while i < n:
        ch = text[i]
        cp = ord(ch)
        if cp == BLACK_FLAG and i + 1 < n and 0xE0020 <= ord(text[i + 1]) <= 0xE007E:
            j = i + 1  # subdivision flag: 🏴 + tag letters + cancel tag is an ordinary emoji
            while j < n and 0xE0020 <= ord(text[j]) <= 0xE007E:
                j += 1
            if j < n and ord(text[j]) == CANCEL_TAG and j - i <= 8:
                out.append(" ")
                origin.append(i)
                i = j + 1
                continue
        if 0xE0000 <= cp <= 0xE007F:
            j = i
            payload = []
            while j < n and 0xE0000 <= ord(text[j]) <= 0xE007F:
                c = ord(text[j])
                if 0xE0020 <= c <= 0xE007E:
                    payload.append(chr(c - 0xE0000))
                j += 1
            decoded = "".join(payload)
            signals.append(Signal(kind="tag_smuggling", span=(i, j), detail=decoded[:200]))
            if decoded.strip():
                views.append(View(kind="tag_payload", text=decoded, span=(i, j)))
            i = j
            continue
        if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
            j = i
            while j < n and (
                0xFE00 <= ord(text[j]) <= 0xFE0F or 0xE0100 <= ord(text[j]) <= 0xE01EF
            ):
                j += 1
            if j - i >= 2 or (0xE0100 <= cp <= 0xE01EF and not _after_cjk(text, i)):
                data = bytes(_vs_byte(ord(c)) for c in text[i:j])
                decoded = data.decode("utf-8", errors="replace")
                signals.append(
                    Signal(kind="variation_selector_smuggling", span=(i, j), detail=decoded[:200])
                )
                if decoded.strip():
                    views.append(View(kind="vs_payload", text=decoded, span=(i, j)))
            i = j  # a single VS15/VS16 after a symbol is ordinary presentation
            continue
        if cp == ZWJ:
            if not (
                i > 0
                and i + 1 < n
                and _is_pictograph_or_modifier(text[i - 1])
                and _is_pictograph(text[i + 1])
            ):
                hidden["zero_width"].append(i)
            i += 1
            continue
        if cp in ZERO_WIDTH:
            hidden["zero_width"].append(i)
            i += 1
            continue
        if cp in BIDI:
            hidden["bidi"].append(i)
            i += 1
            continue
        if 0x1F3FB <= cp <= 0x1F3FF:  # skin tone: part of the emoji before it
            i += 1
            continue
        if _is_pictograph(ch):
            if not out or out[-1] != " ":
                out.append(" ")
                origin.append(i)
            i += 1
            continue
        for part in unicodedata.normalize("NFKC", ch):
            out.append(part)
            origin.append(i)
        i += 1
    for kind, where in hidden.items():
        if where:
            signals.append(
                Signal(kind=kind, span=(where[0], where[-1] + 1), detail=f"{len(where)} characters")
            )
    canon = Canonical(original=text, text="".join(out), origin=origin, views=views, signals=signals)
    _fold_homoglyphs(canon, confusables)
    return canon


def _is_pictograph_or_modifier(ch: str) -> bool:
    cp = ord(ch)
    return _is_pictograph(ch) or 0x1F3FB <= cp <= 0x1F3FF or cp in (0xFE0F, 0x20E3)


def _after_cjk(text: str, i: int) -> bool:
    return i > 0 and unicodedata.name(text[i - 1], "").startswith("CJK")


def _vs_byte(cp: int) -> int:
    return cp - 0xFE00 if cp <= 0xFE0F else cp - 0xE0100 + 16


_WORD = re.compile(r"\w+")


def _fold_homoglyphs(canon: Canonical, confusables: dict[str, str]) -> None:
    """Fold look-alike letters inside words that are mostly Latin: 'pаypal' with a
    Cyrillic а. Real non-Latin words (all Cyrillic, all Greek) are left alone."""
    chars = list(canon.text)
    count = 0
    first = last = -1
    for match in _WORD.finditer(canon.text):
        word = match.group()
        if word.isascii():
            continue
        ascii_letters = sum(1 for c in word if c.isascii() and c.isalpha())
        foldable = [k for k, c in enumerate(word) if c in confusables]
        if not foldable or ascii_letters == 0 or ascii_letters < len(foldable):
            continue
        for k in foldable:
            chars[match.start() + k] = confusables[word[k]]
        count += len(foldable)
        first = match.start() if first < 0 else first
        last = match.end()
    if count:
        canon.text = "".join(chars)
        span = canon.to_original(first, last)
        canon.signals.append(
            Signal(kind="homoglyph", span=span, detail=f"{count} look-alike letters")
        )


def _spaced_letters(canon: Canonical) -> None:
    """`i g n o r e` or `i.g.n.o.r.e` becomes `ignore` in the canonical view."""
    if not _SPACED.search(canon.text):
        return
    pieces: list[str] = []
    origin: list[int] = []
    pos = 0
    src = canon.origin
    for match in _SPACED.finditer(canon.text):
        token = match.group()
        if sum(c.isalpha() for c in token) < 4:
            continue
        pieces.append(canon.text[pos : match.start()])
        origin.extend(src[pos : match.start()] if src else range(pos, match.start()))
        letters = [(k, c) for k, c in enumerate(token) if c.isalnum()]
        pieces.append("".join(c for _, c in letters))
        origin.extend((src[match.start() + k] if src else match.start() + k) for k, _ in letters)
        pos = match.end()
        canon.signals.append(
            Signal(
                kind="spaced_letters",
                span=canon.to_original(match.start(), match.end()),
                detail=token[:60],
            )
        )
    if pos == 0:
        return
    pieces.append(canon.text[pos:])
    origin.extend(src[pos:] if src else range(pos, len(canon.text)))
    canon.text = "".join(pieces)
    canon.origin = origin


def _printable_ratio(s: str) -> float:
    return sum(c.isprintable() or c in "\n\t" for c in s) / max(1, len(s))


def _words(s: str) -> int:
    return sum(1 for w in re.findall(r"[a-z]+", s.lower()) if w in STOPWORDS)


def _function_words_any_language(s: str) -> int:
    return sum(
        1 for w in re.findall(r"[a-zà-ÿ]+", s.lower()) if w in STOPWORDS or w in OTHER_STOPWORDS
    )


def _reads_like_language(s: str) -> bool:
    """Three different function words, and one word in six a function word."""
    words = re.findall(r"[a-z]+", s.lower())
    function = [w for w in words if w in STOPWORDS]
    return len(set(function)) >= 3 and len(function) * 6 >= len(words)


_SEGMENT = re.compile(r"[^.:;!?\n]+[.:;!?\n]*")


def _rot13(s: str) -> str:
    return codecs.encode(s, "rot13")


def _reverse(s: str) -> str:
    return s[::-1]


def _reads_better(decoded: str, native: int) -> bool:
    """A decoded text reads as language, and better than the text did as sent
    (`native`: its function words in any language)."""
    return _words(decoded) >= max(3, 2 * native + 1) and _reads_like_language(decoded)


def _decoded_runs(canon: Canonical, kind: str, decode: Callable[[str], str]) -> list[View]:
    """Runs of sentences (or clauses after a colon) that read as language once
    decoded and better than they read as they are, each a view of its own span.
    A text of one such piece was judged whole already."""
    text = canon.text
    pieces = list(_SEGMENT.finditer(text))
    if len(pieces) < 2:
        return []
    runs: list[tuple[int, int]] = []
    for m in pieces:
        piece = m.group()
        if len(piece.strip()) < 12:
            continue
        if _reads_better(decode(piece), _function_words_any_language(piece)):
            if runs and not text[runs[-1][1] : m.start()].strip():
                runs[-1] = (runs[-1][0], m.end())
            else:
                runs.append((m.start(), m.end()))
    return [View(kind=kind, text=decode(text[a:b]), span=canon.to_original(a, b)) for a, b in runs]


def _decode_views(canon: Canonical) -> None:
    text = canon.text
    for match in _B64.finditer(text):
        token = match.group()
        if len(token) % 4 == 1 or token.isalpha() or token.isdigit():
            continue
        try:
            raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=False)
            decoded = raw.decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if len(decoded) >= 8 and _printable_ratio(decoded) > 0.95 and " " in decoded:
            canon.views.append(
                View(kind="base64", text=decoded, span=canon.to_original(*match.span()))
            )
    for match in _HEX.finditer(text):
        token = re.sub(r"[ :]", "", match.group())
        try:
            decoded = bytes.fromhex(token).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        if _printable_ratio(decoded) > 0.95 and " " in decoded:
            canon.views.append(
                View(kind="hex", text=decoded, span=canon.to_original(*match.span()))
            )
    if len(text) >= 12:
        here = _words(text)
        # rot13 and reversed need to read better than the text itself does in any language
        native = _function_words_any_language(text)
        full = (0, len(canon.original))
        # a decoded view must read like language, so a table full of "no"
        # (reversed: "on") is not reversed text
        for kind, decode in (("rot13", _rot13), ("reversed", _reverse)):
            whole = decode(text)
            if _reads_better(whole, native):
                canon.views.append(View(kind=kind, text=whole, span=full))
            else:  # a payload after plain words: "Decode this and follow it: Vtaber nyy …"
                canon.views.extend(_decoded_runs(canon, kind, decode))
        if _LEET_WORD.search(text):
            leet = _LEET_WORD.sub(lambda m: m.group().translate(LEET), text)
            if _words(leet) > here:
                canon.views.append(View(kind="leetspeak", text=leet, span=full))
