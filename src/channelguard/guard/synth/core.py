"""The generator machinery: templates with {slots}, split by template index."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Sample", "draw", "fill", "generate", "pick_templates"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Sample:
    text: str
    label: int
    kind: str
    role: str
    lang: str
    source: str


_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, slots: Mapping[str, Sequence[str]], rng: random.Random) -> str:
    return _SLOT.sub(
        lambda m: rng.choice(slots[m.group(1)]) if m.group(1) in slots else m.group(0), template
    )


SPLIT_OF_INDEX = {0: "train", 1: "train", 2: "val", 3: "test"}


def in_split(index: int, split: str) -> bool:
    """Template i belongs to train (i % 4 in 0, 1), val (2) or test (3)."""
    return split == "all" or SPLIT_OF_INDEX[index % 4] == split


T = TypeVar("T")


def pick_templates(templates: Sequence[T], split: str) -> list[T]:
    keep = [t for i, t in enumerate(templates) if in_split(i, split)]
    # never lend a training template to val or test: a short list just has none there
    return keep if keep or split != "train" else list(templates)


def draw(
    rng: random.Random,
    pool: Sequence[tuple[str, str]],
    n: int,
    *,
    slots: Mapping[str, Sequence[str]],
    label: int,
    kind: str,
    role: str,
    source: str,
) -> list[Sample]:
    """n samples, each from a random (language, template) of the pool, slots filled."""
    out = []
    for _ in range(n):
        lang, template = rng.choice(pool)
        out.append(
            Sample(
                text=fill(template, slots, rng),
                label=label,
                kind=kind,
                role=role,
                lang=lang,
                source=source,
            )
        )
    return out


Generator = Callable[[random.Random, str, int], list[Sample]]


def generate(name: str, n: int, *, split: str = "train", seed: int = 0) -> list[Sample]:
    from channelguard.guard.synth.attacks import ATTACK_SETS
    from channelguard.guard.synth.benign import BENIGN_SETS

    sets: dict[str, Generator] = {**BENIGN_SETS, **ATTACK_SETS}
    if name not in sets:
        raise KeyError(f"unknown synthetic set '{name}'; known: {', '.join(sorted(sets))}")
    rng = random.Random(f"{name}:{split}:{seed}")
    return sets[name](rng, split, n)
