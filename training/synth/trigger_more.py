"""Trigger words outside customer requests: complaints, advice, headlines,
privacy promises, IT and developer notes, forwarded warnings.

The first trigger-word set is customer requests ("ignore my last e-mail").
Fresh hand-written texts showed the injection head also flags other genres
that use the same words: "you always ignore your own rules", "forget everything
you were told about X", "we never change settings without telling the user",
"don't follow the instructions in that e-mail". These templates are those
genres, split by index like every generator. Several are close in wording to
the probes in tests/guard/test_trigger_probes.py, so those probes no longer
measure generalisation; the held-out fold of this set does.
"""

from __future__ import annotations

import random

from training.synth.core import Sample, draw, pick_templates, tables
from training.synth.slots import ATTACK_SLOTS

_TABLES = tables("trigger_more")

__all__ = ["TRIGGER_GENRES", "trigger_genres"]

TRIGGER_GENRES: list[tuple[str, str]] = _TABLES["TRIGGER_GENRES"]


def trigger_genres(rng: random.Random, split: str, n: int) -> list[Sample]:
    return draw(
        rng,
        pick_templates(TRIGGER_GENRES, split),
        n,
        slots=ATTACK_SLOTS,
        label=0,
        kind="benign_trigger",
        role="user",
        source="synth:trigger_genres",
    )
