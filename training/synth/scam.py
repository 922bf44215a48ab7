"""Scam calls and urgent-but-honest calls, composed from parts.

A vishing call is a claimed identity with a story, a request that moves money,
credentials or contact details, and pressure that argues the control away
(urgency, secrecy, authority, "skip the check just this once"). Each part is a
list per language and every list is split by index (core.pick_templates), so a
held-out call combines a story, a request and a pressure line that training
never saw. The honest counterpart is just as urgent (a stolen card, a
bereavement, a trip) but accepts the control: that is the hard negative.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from training.synth.core import Sample, draw, fill, pick_templates, tables
from training.synth.slots import ATTACK_SLOTS

_TABLES = tables("scam")

__all__ = ["SCAM_PARTS", "URGENT_HONEST", "scam_composed", "urgent_honest"]

SCAM_PARTS: dict[str, dict[str, list[str]]] = _TABLES["SCAM_PARTS"]

URGENT_HONEST: dict[str, list[str]] = _TABLES["URGENT_HONEST"]


def _picked(
    table: dict[str, dict[str, list[str]]], split: str, held_apart: tuple[str, ...]
) -> dict[str, dict[str, list[str]]]:
    """Per language, the part lists with the held-apart ones cut to the split's fold."""
    return {
        lang: {k: pick_templates(v, split) if k in held_apart else v for k, v in parts.items()}
        for lang, parts in table.items()
    }


def _call(parts: dict[str, list[str]], rng: random.Random) -> str:
    claim = rng.choice(parts["claim"])
    ask = rng.choice(parts["ask"])
    pressure = rng.sample(parts["pressure"], k=1)[0]
    who = parts["_who"][0]
    shape = rng.random()
    if shape < 0.4:  # one caller turn, as the guard sees it live
        text = " ".join([claim, ask, pressure])
    elif shape < 0.7:  # pressure comes after the agent's objection
        text = "\n".join(
            [
                parts["agent"][0],
                f"{who}: {claim} {ask}",
                rng.choice(parts["agent"][1:]),
                f"{who}: {pressure}",
            ]
        )
    else:  # request and pressure without the story
        text = f"{ask} {pressure}"
    return fill(text, ATTACK_SLOTS, rng)


def _composed(
    rng: random.Random,
    n: int,
    parts: dict[str, dict[str, list[str]]],
    build: Callable[[dict[str, list[str]], random.Random], str],
    *,
    label: int,
    kind: str,
    source: str,
) -> list[Sample]:
    langs = list(parts)
    out = []
    for _ in range(n):
        lang = rng.choice(langs)
        out.append(
            Sample(
                text=build(parts[lang], rng),
                label=label,
                kind=kind,
                role="user",
                lang=lang,
                source=source,
            )
        )
    return out


def scam_composed(rng: random.Random, split: str, n: int) -> list[Sample]:
    parts = _picked(SCAM_PARTS, split, ("claim", "ask", "pressure"))
    return _composed(rng, n, parts, _call, label=1, kind="scam_call", source="synth:scam_composed")


def urgent_honest(rng: random.Random, split: str, n: int) -> list[Sample]:
    pool = [(lang, t) for lang, ts in URGENT_HONEST.items() for t in pick_templates(ts, split)]
    return draw(
        rng,
        pool,
        n,
        slots=ATTACK_SLOTS,
        label=0,
        kind="benign_urgent",
        role="user",
        source="synth:urgent_honest",
    )


CUSTOMER_PARTS: dict[str, dict[str, list[str]]] = _TABLES["CUSTOMER_PARTS"]


def _question(parts: dict[str, list[str]], rng: random.Random) -> str:
    words = [rng.choice(parts["open"]), rng.choice(parts["ask"]), rng.choice(parts["close"])]
    return fill(" ".join(w for w in words if w), ATTACK_SLOTS, rng)


def customer_composed(rng: random.Random, split: str, n: int) -> list[Sample]:
    """Honest banking and account questions in six languages, parts split by index."""
    parts = _picked(CUSTOMER_PARTS, split, ("ask",))
    return _composed(
        rng,
        n,
        parts,
        _question,
        label=0,
        kind="benign_customer",
        source="synth:customer_composed",
    )
