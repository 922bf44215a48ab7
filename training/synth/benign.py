"""Benign text the shared data lacks: e-mails, invoices, tables, code, tickets, general
questions, texts full of trigger words, and customer turns in six languages."""

from __future__ import annotations

import random

from training.synth.benign_more import (
    AI_META,
    AI_META_EXTRA,
    AI_META_MORE,
    CODE_MORE,
    CUSTOMER_ML_MORE,
    EMAILS_ML_MORE,
    GENERAL_MORE,
    SHORT,
    SHORT_MORE,
    email,
    table,
)
from training.synth.core import Sample, draw, fill, pick_templates, tables
from training.synth.general import requests
from training.synth.scam import customer_composed, urgent_honest
from training.synth.slots import (
    AMOUNTS,
    CITIES,
    COMPANIES,
    DATES,
    FIRST,
    NAMES,
    ORDERS,
    PRODUCTS,
)
from training.synth.trigger_more import trigger_genres

_TABLES = tables("benign")

S = {
    "name": NAMES,
    "first": FIRST,
    "company": COMPANIES,
    "product": PRODUCTS,
    "amount": AMOUNTS,
    "order": ORDERS,
    "date": DATES,
    "city": CITIES,
}

TRIGGER = _TABLES["TRIGGER"]
TRIGGER_ML = _TABLES["TRIGGER_ML"]
CUSTOMER_ML = _TABLES["CUSTOMER_ML"]
EMAILS = _TABLES["EMAILS"]
EMAILS_ML = _TABLES["EMAILS_ML"]
CODE = _TABLES["CODE"]
TICKETS = _TABLES["TICKETS"]
TABLES = _TABLES["TABLES"]
QUESTIONS = _TABLES["QUESTIONS"]


def _mk(
    rng: random.Random, templates: list[str], n: int, kind: str, role: str, lang: str, src: str
) -> list[Sample]:
    """Benign samples from one-language templates: core.draw with the language fixed."""
    return draw(
        rng,
        [(lang, t) for t in templates],
        n,
        slots=S,
        label=0,
        kind=kind,
        role=role,
        source=f"synth:{src}",
    )


def short_turns(rng: random.Random, split: str, n: int) -> list[Sample]:
    return _mk(
        rng,
        pick_templates(SHORT + SHORT_MORE, split),
        n,
        "benign_customer",
        "user",
        "multi",
        "short",
    )


def ai_meta(rng: random.Random, split: str, n: int) -> list[Sample]:
    return _mk(
        rng,
        pick_templates(AI_META + AI_META_MORE + AI_META_EXTRA, split),
        n,
        "benign_trigger",
        "user",
        "multi",
        "ai_meta",
    )


def trigger_words(rng: random.Random, split: str, n: int) -> list[Sample]:
    en, ml = pick_templates(TRIGGER, split), pick_templates(TRIGGER_ML, split)
    k = n * 3 // 4
    return _mk(rng, en, k, "benign_trigger", "user", "en", "trigger") + _mk(
        rng, ml, n - k, "benign_trigger", "user", "multi", "trigger_ml"
    )


def customer_multilingual(rng: random.Random, split: str, n: int) -> list[Sample]:
    # the split is over the combined list's order, as it has always been
    pool = pick_templates(CUSTOMER_ML + CUSTOMER_ML_MORE, split)
    return draw(
        rng,
        pool,
        n,
        slots=S,
        label=0,
        kind="benign_customer",
        role="user",
        source="synth:customer_ml",
    )


def documents(rng: random.Random, split: str, n: int) -> list[Sample]:
    groups = [
        (EMAILS, "email"),
        (EMAILS_ML + EMAILS_ML_MORE, "email_ml"),
        (CODE + CODE_MORE, "code"),
        (TICKETS, "ticket"),
        (TABLES, "table"),
    ]
    out: list[Sample] = []
    for i in range(n):
        if i % 6 == 5:
            out.append(
                Sample(
                    text=table(rng, split),
                    label=0,
                    kind="benign_document",
                    role="document",
                    lang="en",
                    source="synth:table_gen",
                )
            )
            continue
        if i % 6 in (3, 4):
            text = fill(email(rng, split), S, rng)
            out.append(
                Sample(
                    text=text,
                    label=0,
                    kind="benign_document",
                    role="document",
                    lang="en",
                    source="synth:email_gen",
                )
            )
            continue
        templates, src = groups[i % len(groups)]
        out += _mk(
            rng,
            pick_templates(templates, split),
            1,
            "benign_document",
            "document",
            "multi" if src.endswith("ml") else "en",
            src,
        )
    return out


def general(rng: random.Random, split: str, n: int) -> list[Sample]:
    return _mk(
        rng,
        pick_templates(QUESTIONS + GENERAL_MORE, split),
        n,
        "benign_general",
        "user",
        "en",
        "general",
    )


BENIGN_SETS = {
    "benign_trigger": trigger_words,
    "benign_customer_ml": customer_multilingual,
    "benign_documents": documents,
    "benign_general": general,
    "benign_short": short_turns,
    "benign_ai_meta": ai_meta,
    "benign_urgent": urgent_honest,
    "benign_banking": customer_composed,
    "benign_requests": requests,
    "benign_trigger_genres": trigger_genres,
}
