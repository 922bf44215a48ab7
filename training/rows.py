"""Every labelled text of ../shared/datasets as a training row, with its family.

A family is the upstream source (the part of `source` before the first
colon): texts of one family share authors, collection method and style, so a
figure on a family the model did not train on is the honest measure of how it
does on data it never saw. Our own generators form one family, `synth`.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from training.corpus import bipia_injection, read_jsonl

__all__ = [
    "FILES",
    "HEADS",
    "KIND_HEAD",
    "Row",
    "evaluation_rows",
    "load_rows",
    "synth_rows",
    "training_sample",
]

HEADS = ["injection", "indirect", "fraud", "harmful", "toxic"]
KIND_HEAD = {
    "jailbreak": "injection",
    "prompt_extraction": "injection",
    "prompt_injection": "injection",
    "indirect_injection": "indirect",
    "social_engineering": "fraud",
    "fraud": "fraud",  # SMS spam: mostly smishing, prizes and premium-rate scams
    "scam_call": "fraud",
    "harmful_request": "harmful",
    "toxicity": "toxic",
}
FILES = [
    "attacks_jailbreak.jsonl",
    "attacks_jailbreak_more.jsonl",
    "attacks_prompt_extraction.jsonl",
    "attacks_injection_more.jsonl",
    "attacks_indirect_injection.jsonl",
    "attacks_social_engineering.jsonl",
    "attacks_sms_spam.jsonl",
    "attacks_email_spam.jsonl.gz",
    "harmful_requests.jsonl",
    "attacks_harmful_more.jsonl",
    "toxicity.jsonl",
    "benign_customer.jsonl.gz",
    "benign_prompts.jsonl.gz",
    "benign_multilingual.jsonl.gz",
    "benign_documents.jsonl.gz",
    "benign_lookalike.jsonl",
    # third batch: direct injections from many authors and languages, injections in
    # tool output, non-English harmful requests, smishing, real service dialogues,
    # tool results, command help pages and hard benign prompts
    "attacks_injection_3.jsonl",
    "attacks_indirect_injection_3.jsonl",
    "attacks_multilingual_3.jsonl",
    "attacks_smishing_3.jsonl",
    "benign_dialogues_3.jsonl.gz",
    "benign_tool_outputs_3.jsonl.gz",
    "benign_docs_3.jsonl.gz",
    "benign_hard_3.jsonl",
]
# how many rows of one family (and label) the model trains on, so a 97,000-turn
# corpus does not drown a 300-prompt one; evaluation uses every row
TRAIN_CAP = 5000


@dataclass(frozen=True, kw_only=True, slots=True)
class Row:
    text: str
    head: str | None  # None: benign for every head; "spam": measured, never trained on
    family: str
    kind: str
    role: str
    file: str

    @property
    def group(self) -> str:
        """What a false positive on it costs: the benign budget it counts against."""
        if self.head is not None:
            return "attack"
        if self.kind == "benign_customer":
            return "customer"
        if self.role == "document" or self.kind == "indirect_injection":
            return "documents"
        if self.kind == "benign_hard":
            return "lookalike"
        return "prompts"


def family_of(source: str) -> str:
    return source.split(":", 1)[0] or "unknown"


def load_rows(root: Path) -> list[Row]:
    """Every row of the shared files, spam marked apart, BIPIA attacks reduced to the
    instruction they plant (the rest of the document is its clean twin's text)."""
    rows: list[Row] = []
    for name in FILES:
        data = list(read_jsonl(root / name))
        if name == "attacks_indirect_injection.jsonl":  # BIPIA: attacks with clean twins
            rows += _bipia(data, name)
            continue
        for r in data:
            if r["label"] == 1:
                head = "spam" if r["kind"] == "spam" else KIND_HEAD[r["kind"]]
            else:
                head = None
            rows.append(
                Row(
                    text=r["text"],
                    head=head,
                    family=family_of(r["source"]),
                    kind=r["kind"],
                    role=r["role"],
                    file=name,
                )
            )
    return rows


def _bipia(data: list[dict[str, str]], name: str) -> list[Row]:
    clean = {r["source"]: r["text"] for r in data if r["label"] == 0}
    out = []
    for r in data:
        common = {"family": "bipia", "kind": r["kind"], "role": "document", "file": name}
        if r["label"] == 0:
            out.append(Row(text=r["text"], head=None, **common))
            continue
        out.append(Row(text=r["text"], head="indirect", **common))
        twin = clean.get(":".join(r["source"].split(":")[:3]))
        planted = bipia_injection(twin, r["text"]) if twin else ""
        if planted:  # the planted instruction alone, as training sees a segment
            out.append(Row(text=planted, head="indirect", **{**common, "kind": "planted"}))
    return out


def training_sample(
    rows: list[Row],
    seed: int = 0,
    *,
    cap: int = TRAIN_CAP,
    shuffle: bool = False,
    benign_cap: int | None = None,
) -> list[Row]:
    """At most `cap` rows per (family, head) and no spam; the planted BIPIA
    instructions train, the whole injected documents only evaluate. `shuffle`
    mixes the sources (for minibatch training); `benign_cap`, when given, caps each
    family's benign rows apart (ordinary text is what a head must learn to pass)."""
    by: dict[tuple[str, str | None], list[Row]] = defaultdict(list)
    for r in rows:
        if r.head == "spam" or (r.family == "bipia" and r.head and r.kind != "planted"):
            continue
        by[(r.family, r.head)].append(r)
    rng = random.Random(seed)
    out: list[Row] = []
    for key in sorted(by, key=str):
        group = by[key]
        limit = benign_cap if benign_cap is not None and key[1] is None else cap
        out += group if len(group) <= limit else rng.sample(group, limit)
    if shuffle:
        rng.shuffle(out)
    return out


SYNTH_PLAN = {
    "attack_direct": 1500,
    "attack_indirect": 800,
    "attack_scam_call": 2000,
    "attack_fraud_email": 800,
    "attack_impersonation": 400,
    "benign_trigger": 1500,
    "benign_trigger_genres": 1000,
    "benign_ai_meta": 500,
    "benign_urgent": 800,
    "benign_banking": 1500,
    "benign_documents": 2000,
    "benign_customer_ml": 1500,
}


def synth_rows(seed: int = 0) -> list[Row]:
    """Our generators' training folds as one more family, `synth`: scam calls in six
    languages, planted instructions, honest urgent calls and trigger-word texts."""
    from training.synth import generate

    out: list[Row] = []
    for name, n in SYNTH_PLAN.items():
        for s in generate(name, n, split="train", seed=seed):
            head = KIND_HEAD[s.kind] if s.label else None
            out.append(
                Row(text=s.text, head=head, family="synth", kind=s.kind, role=s.role, file=name)
            )
    return out


def evaluation_rows(rows: list[Row]) -> list[Row]:
    """What a family is judged on: every row as users send it (whole documents, not
    the planted instruction cut out of them)."""
    return [r for r in rows if r.kind != "planted"]
