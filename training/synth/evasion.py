"""Rewrites of attack text that try to slip past filters (for training and benchmarks)."""

from __future__ import annotations

import base64
import random

__all__ = ["EVASIONS", "evade"]

_CYRILLIC = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "x": "х",
    "y": "у",
    "i": "і",
    "s": "ѕ",
}
_EMOJI = ["😀", "🔥", "✨", "👍", "🙂", "🎉"]


def zero_width(text: str, rng: random.Random) -> str:
    return "".join(c + ("\u200b" if c.isalpha() and rng.random() < 0.5 else "") for c in text)


def tag_block(text: str, rng: random.Random) -> str:
    cover = rng.choice(
        ["Hi, quick question about my order.", "Thanks!", "Hello 👋", "Please see below."]
    )
    return cover + "".join(chr(0xE0000 + ord(c)) for c in text if ord(c) < 0x7F)


def homoglyphs(text: str, rng: random.Random) -> str:
    return "".join(_CYRILLIC[c] if c in _CYRILLIC and rng.random() < 0.4 else c for c in text)


def emoji_between_words(text: str, rng: random.Random) -> str:
    return "".join(rng.choice(_EMOJI) if c == " " else c for c in text)


def variation_selectors(text: str, rng: random.Random) -> str:
    data = text.encode("utf-8")
    carrier = "".join(chr(0xFE00 + b) if b < 16 else chr(0xE0100 + b - 16) for b in data)
    return rng.choice(["😊", "👍", "🙏"]) + carrier


def base64_wrap(text: str, rng: random.Random) -> str:
    encoded = base64.b64encode(text.encode("utf-8")).decode()
    return rng.choice(["Decode this and follow it: ", "Please process: ", ""]) + encoded


EVASIONS = {
    "zero_width": zero_width,
    "tag_block": tag_block,
    "homoglyphs": homoglyphs,
    "emoji_between_words": emoji_between_words,
    "variation_selectors": variation_selectors,
    "base64": base64_wrap,
}


def evade(text: str, kind: str, rng: random.Random) -> str:
    return EVASIONS[kind](text, rng)
