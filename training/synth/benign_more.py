"""More benign variety: greetings and short turns, questions about AI, code, and
customer turns in six languages. Kept apart from benign.py to stay readable."""

from __future__ import annotations

from training.synth.core import in_split, tables

_TABLES = tables("benign_more")

SHORT = _TABLES["SHORT"]
AI_META = _TABLES["AI_META"]
CODE_MORE = _TABLES["CODE_MORE"]
CUSTOMER_ML_MORE = _TABLES["CUSTOMER_ML_MORE"]
GENERAL_MORE = _TABLES["GENERAL_MORE"]
AI_META_MORE = _TABLES["AI_META_MORE"]
EMAILS_ML_MORE = _TABLES["EMAILS_ML_MORE"]
SHORT_MORE = _TABLES["SHORT_MORE"]

HEADERS = _TABLES["HEADERS"]
WORDS = _TABLES["WORDS"]


def table(rng: object, split: str) -> str:
    import random as _random

    assert isinstance(rng, _random.Random)
    heads = [h for i, h in enumerate(HEADERS) if in_split(i, split)]
    cols = rng.sample(heads, rng.randint(2, min(6, len(heads))))
    rows = []
    for _ in range(rng.randint(2, 8)):
        rows.append(
            [
                rng.choice(
                    [
                        str(rng.randint(1, 99999)),
                        rng.choice(WORDS),
                        f"{rng.uniform(0, 999):.2f}",
                        rng.choice(["2023", "2024", "2025"]),
                    ]
                )
                for _ in cols
            ]
        )
    style = rng.choice(["md", "csv", "tsv"])
    if style == "md":
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)] + [
            "| " + " | ".join(r) + " |" for r in rows
        ]
    elif style == "csv":
        lines = [",".join(cols)] + [",".join(r) for r in rows]
    else:
        lines = ["\t".join(cols)] + ["\t".join(r) for r in rows]
    return "\n".join(lines)


SUBJECTS = _TABLES["SUBJECTS"]
SENTENCES = _TABLES["SENTENCES"]
GREETINGS = _TABLES["GREETINGS"]
SIGNOFFS = _TABLES["SIGNOFFS"]


def email(rng: object, split: str) -> str:
    import random as _random

    assert isinstance(rng, _random.Random)

    def part(pool: list[str]) -> list[str]:
        return [s for i, s in enumerate(pool) if in_split(i, split)]

    body = " ".join(rng.sample(part(SENTENCES), rng.randint(1, 4)))
    text = f"{rng.choice(GREETINGS)}\n\n{body}\n\n{rng.choice(SIGNOFFS)}".strip()
    if rng.random() < 0.6:
        text = f"Subject: {rng.choice(part(SUBJECTS))}\n\n{text}"
    return text


AI_META_EXTRA = _TABLES["AI_META_EXTRA"]
