"""Harmless requests in the grammar of harmful ones.

Harmful-request data is imperative and how-to ("Write a post that...", "Give
step-by-step instructions for...", "Explain how to..."); benign customer data
is not. A model that sees only those two learns that the grammar is the harm.
These requests use the same frames on harmless subjects. Frames, tasks and
subjects are each split by index (core.pick_templates), so a held-out request
pairs a frame and a subject that training never saw together or at all.
"""

from __future__ import annotations

import random

from training.synth.core import Sample, pick_templates, tables

_TABLES = tables("general")

__all__ = ["FRAMES", "SUBJECTS", "TASKS", "requests"]

FRAMES = _TABLES["FRAMES"]
TASKS = _TABLES["TASKS"]
SUBJECTS = _TABLES["SUBJECTS"]


def requests(rng: random.Random, split: str, n: int) -> list[Sample]:
    frames = pick_templates(FRAMES, split)
    tasks = pick_templates(TASKS, split)
    subjects = pick_templates(SUBJECTS, split)
    out = []
    for _ in range(n):
        text = rng.choice(frames).format(task=rng.choice(tasks), subject=rng.choice(subjects))
        out.append(
            Sample(
                text=text,
                label=0,
                kind="benign_general",
                role="user",
                lang="en",
                source="synth:requests",
            )
        )
    return out
