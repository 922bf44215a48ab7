"""The generator machinery: templates with {slots}, split by template index."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

__all__ = ["Sample", "draw", "fill", "generate", "pick_templates", "tables"]

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True, kw_only=True, slots=True)
class Sample:
    text: str
    label: int
    kind: str
    role: str
    lang: str
    source: str


@cache
def tables(module: str) -> dict[str, Any]:
    """The template tables of one generator module, from `templates/<module>.yaml`.

    A list of [language, text] pairs comes back as tuples, as the generators
    pair them; everything else is lists and mappings of strings."""
    path = TEMPLATES / f"{module}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of table names")
    return {name: _pairs(value) for name, value in data.items()}


def _pairs(value: Any) -> Any:
    if isinstance(value, list):
        if value and all(
            isinstance(x, list) and len(x) == 2 and all(isinstance(y, str) for y in x)
            for x in value
        ):
            return [(x[0], x[1]) for x in value]
        return [_pairs(x) for x in value]
    if isinstance(value, dict):
        return {k: _pairs(x) for k, x in value.items()}
    return value


_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, slots: Mapping[str, Sequence[str]], rng: random.Random) -> str:
    return _SLOT.sub(
        lambda m: rng.choice(slots[m.group(1)]) if m.group(1) in slots else m.group(0), template
    )


SPLIT_OF_INDEX = {0: "train", 1: "train", 2: "val", 3: "test"}
FOLDS = (0, 1, 2)  # the template folds outside the test fold (3)


def in_split(index: int, split: str) -> bool:
    """Template i belongs to train (i % 4 in 0, 1), val (2) or test (3).

    For cross-fitting the training script also asks for `dev` (folds 0-2, never
    the test fold), `dev-k` (dev without fold k) and `fold-k` (fold k alone).
    """
    fold = index % 4
    if split == "all":
        return True
    if split == "dev":
        return fold in FOLDS
    if split.startswith("dev-"):
        return fold in FOLDS and fold != int(split[4:])
    if split.startswith("fold-"):
        return fold == int(split[5:])
    return SPLIT_OF_INDEX[fold] == split


def is_training(split: str) -> bool:
    return split == "train" or split.startswith("dev")


T = TypeVar("T", bound=Hashable)


def pick_templates(templates: Sequence[T], split: str) -> list[T]:
    # a template listed twice keeps the fold of its first place, so no copy leaks across
    first = {t: i for i, t in reversed(list(enumerate(templates)))}
    keep = [t for i, t in enumerate(templates) if first[t] == i and in_split(i, split)]
    # never lend a training template to val or test: a short list just has none there
    return keep if keep or not is_training(split) else list(templates)


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
    from training.synth.attacks import ATTACK_SETS
    from training.synth.benign import BENIGN_SETS

    sets: dict[str, Generator] = {**BENIGN_SETS, **ATTACK_SETS}
    if name not in sets:
        raise KeyError(f"unknown synthetic set '{name}'; known: {', '.join(sorted(sets))}")
    rng = random.Random(f"{name}:{split}:{seed}")
    return sets[name](rng, split, n)
