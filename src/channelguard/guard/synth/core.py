"""The generator machinery: templates with {slots}, split by template index."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Sample", "fill", "generate", "pick_templates"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Sample:
    text: str
    label: int
    kind: str
    role: str
    lang: str
    source: str


_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, slots: dict[str, Sequence[str]], rng: random.Random) -> str:
    return _SLOT.sub(lambda m: rng.choice(slots[m.group(1)]) if m.group(1) in slots else m.group(0), template)


def pick_templates(templates: Sequence[str], split: str) -> list[str]:
    if split == "all":
        return list(templates)
    keep = [t for i, t in enumerate(templates) if (i % 4 == 3) == (split == "test")]
    return keep or list(templates)


Generator = Callable[[random.Random, str, int], list[Sample]]


def generate(name: str, n: int, *, split: str = "train", seed: int = 0) -> list[Sample]:
    from channelguard.guard.synth.attacks import ATTACK_SETS
    from channelguard.guard.synth.benign import BENIGN_SETS

    sets: dict[str, Generator] = {**BENIGN_SETS, **ATTACK_SETS}
    if name not in sets:
        raise KeyError(f"unknown synthetic set '{name}'; known: {', '.join(sorted(sets))}")
    rng = random.Random(f"{name}:{split}:{seed}")
    return sets[name](rng, split, n)
