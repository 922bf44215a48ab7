"""Attacks the shared data lacks: direct and indirect injection in six languages,
multi-turn scam calls, fraud e-mails and impersonation messages."""

from __future__ import annotations

import random

from training.synth.benign import EMAILS, TABLES, TICKETS
from training.synth.core import Sample, draw, fill, pick_templates, tables
from training.synth.scam import scam_composed
from training.synth.slots import ATTACK_SLOTS, PAYLOADS_EN

_TABLES = tables("attacks")

PAYLOADS = {"en": PAYLOADS_EN, **_TABLES["PAYLOADS"]}
DIRECT = _TABLES["DIRECT"]
EXTRACTION = _TABLES["EXTRACTION"]
INDIRECT = _TABLES["INDIRECT"]
SCAM_TURNS = _TABLES["SCAM_TURNS"]
FRAUD_EMAILS = _TABLES["FRAUD_EMAILS"]
IMPERSONATION = _TABLES["IMPERSONATION"]


def _langs(table: dict[str, list[str]], split: str) -> list[tuple[str, str]]:
    return [(lang, t) for lang, ts in table.items() for t in pick_templates(ts, split)]


def direct_injection(rng: random.Random, split: str, n: int) -> list[Sample]:
    pool = _langs(DIRECT, split)
    out = []
    for _ in range(n):
        lang, template = rng.choice(pool)
        slots = {**ATTACK_SLOTS, "payload": PAYLOADS[lang]}
        out.append(
            Sample(
                text=fill(template, slots, rng),
                label=1,
                kind="prompt_injection",
                role="user",
                lang=lang,
                source="synth:direct",
            )
        )
    for template in pick_templates(EXTRACTION, split)[: max(1, n // 10)]:
        out.append(
            Sample(
                text=template,
                label=1,
                kind="prompt_extraction",
                role="user",
                lang="multi",
                source="synth:extraction",
            )
        )
    return out[:n]


def indirect_injection(rng: random.Random, split: str, n: int) -> list[Sample]:
    hosts = EMAILS + TABLES + TICKETS
    injections = pick_templates(INDIRECT, split)
    out = []
    for _ in range(n):
        host = fill(rng.choice(hosts), ATTACK_SLOTS, rng)
        inj = fill(rng.choice(injections), {"payload": PAYLOADS_EN}, rng)
        cut = rng.choice([len(host), host.rfind("\n") if "\n" in host else len(host)])
        text = host[:cut] + inj + host[cut:]
        out.append(
            Sample(
                text=text,
                label=1,
                kind="indirect_injection",
                role="document",
                lang="en",
                source="synth:indirect",
            )
        )
    return out


def scam_calls(rng: random.Random, split: str, n: int) -> list[Sample]:
    """Half whole scripted calls, half calls composed from held-apart parts (synth.scam)."""
    pool = [
        (lang, t.replace("\x00", "\n"))
        for lang, ts in SCAM_TURNS.items()
        for t in pick_templates(["\x00".join(turns) for turns in ts], split)
    ]
    scripted = draw(
        rng,
        pool,
        n // 2,
        slots=ATTACK_SLOTS,
        label=1,
        kind="scam_call",
        role="user",
        source="synth:scam_call",
    )
    return scripted + scam_composed(rng, split, n - n // 2)


def fraud_emails(rng: random.Random, split: str, n: int) -> list[Sample]:
    return draw(
        rng,
        _langs(FRAUD_EMAILS, split),
        n,
        slots=ATTACK_SLOTS,
        label=1,
        kind="social_engineering",
        role="document",
        source="synth:fraud_email",
    )


def impersonation(rng: random.Random, split: str, n: int) -> list[Sample]:
    return draw(
        rng,
        [("multi", t) for t in pick_templates(IMPERSONATION, split)],
        n,
        slots=ATTACK_SLOTS,
        label=1,
        kind="social_engineering",
        role="user",
        source="synth:impersonation",
    )


ATTACK_SETS = {
    "attack_direct": direct_injection,
    "attack_indirect": indirect_injection,
    "attack_scam_call": scam_calls,
    "attack_fraud_email": fraud_emails,
    "attack_impersonation": impersonation,
}
