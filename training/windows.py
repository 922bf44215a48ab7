"""Training rows shaped as the runtime reads documents: in windows.

At run time the Guard reads a document or tool result in overlapping windows
of ENCODER_WINDOW characters (guard.guard.encoder_windows) and keeps each
head's best window. Training used to see a document's first MAX_TOKENS tokens
only, and a planted instruction on its own. So the middle of a benign e-mail,
help page or dialogue was never a negative, and an instruction sitting among a
document's own sentences, cut where a window cuts, was never a positive. Both
are what the `indirect` head judges at run time.

`window_rows` adds, from the rows a run trains on (never a held-out family,
never an unseen benign row):

- negatives: windows drawn from the middle and end of benign documents;
- positives (`indirect`): an instruction planted at a line or sentence break of
  a benign host document, read as the window that holds its start. The
  instructions are the injection rows a run trains on (direct injections of
  every author, BIPIA's planted instructions, our generators'), short ones
  only: a direct injection planted in data is an indirect one.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from channelguard.guard.guard import ENCODER_WINDOW, encoder_spans, encoder_windows
from training.rows import Row

__all__ = ["window_rows"]

MAX_INSTRUCTION = 400  # characters: longer jailbreak prompts are not planted
_BREAK = re.compile(r"(?<=[.!?:;])\s+|\n+")


def _breaks(text: str) -> list[int]:
    return [0, *(m.end() for m in _BREAK.finditer(text)), len(text)]


def _plant(host: str, instruction: str, rng: random.Random) -> str:
    """`instruction` inside `host` at a break, read as the runtime reads it: the
    window that holds the instruction's start."""
    at = rng.choice(_breaks(host))
    sep = rng.choice(["\n", " ", "\n\n"])
    text = host[:at] + sep + instruction + sep + host[at:]
    start = at + len(sep)
    best = None
    for offset, chunk in encoder_spans(text):
        if offset <= start < offset + len(chunk):
            best = chunk
            if start - offset <= ENCODER_WINDOW // 2:
                break
    return best if best is not None else instruction


def window_rows(rows: list[Row], n_pos: int, n_neg: int, seed: int = 0) -> list[Row]:
    """Up to `n_pos` planted-instruction windows and `n_neg` benign windows,
    from `rows` (the rows a run trains on)."""
    rng = random.Random(seed)
    hosts = [r for r in rows if r.head is None and r.role == "document" and len(r.text) > 200]
    instructions = [
        r
        for r in rows
        if r.head in ("injection", "indirect")
        and (r.role == "user" or r.kind == "planted")
        and 15 <= len(r.text) <= MAX_INSTRUCTION
    ]
    out: list[Row] = []
    if hosts and instructions:
        by_family: dict[str, list[Row]] = {}
        for r in instructions:  # every author counts, none drowns
            by_family.setdefault(r.family, []).append(r)
        families = sorted(by_family)
        for i in range(n_pos):
            src = rng.choice(by_family[families[i % len(families)]])
            host = rng.choice(hosts)
            out.append(
                replace(
                    src,
                    text=_plant(host.text, src.text, rng),
                    head="indirect",
                    role="document",
                    kind="planted_window",
                )
            )
    long_hosts = [r for r in hosts if len(r.text) > ENCODER_WINDOW * 2]
    for _ in range(n_neg if long_hosts else 0):
        host = rng.choice(long_hosts)
        chunks = encoder_windows(host.text)[1:]  # the first is what training saw
        out.append(replace(host, text=rng.choice(chunks), kind="benign_window"))
    return out
