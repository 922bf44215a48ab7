"""Every shipped rule alone on every real benign group, and the default pack's recall.

Used by `bench/rules.py --write-rates` and `--recall`. A benign group is one
shared file's label-0 rows of one role (every row, no cap). A rule that flags
more than BAR of any group, or fails one of its own examples (channelguard's
`examples`, ATR's test cases in tests/guard/data/atr), is off by default;
`src/channelguard/data/rule_rates.json` keeps every rule's rates and why.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from channelguard.guard.canonical import canonicalize, load_confusables
from channelguard.guard.detectors.base import Context
from channelguard.guard.detectors.rulepack import RulePack
from channelguard.guard.rules.packs import RATES_FILE
from channelguard.guard.types import Role
from training.corpus import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
BAR = 0.001
ATR_EXAMPLES = ROOT / "tests" / "guard" / "data" / "atr" / "examples.json"
COMMAND = "python bench/rules.py --write-rates"


def shared_files(datasets: Path) -> list[Path]:
    return sorted(p for p in datasets.glob("*.jsonl*") if p.is_file())


# a speaker's line in a whole dialogue kept as a document ("Agent: May I have your name?")
_AGENT_LINE = re.compile(r"^(?:agent|assistant|bot)[ \t]*:[ \t]*(\S.*)$", re.I | re.M)


def rows(datasets: Path, label: int) -> Iterator[tuple[str, str, str, str]]:
    """(group, role, text, source family) for every row with this label. The shared
    files hold no row in the assistant role, so what the agent says is measured on
    the agent's lines of the whole dialogues kept as documents (group
    `<file>:assistant`): rules written for agent output and tool calls are judged on
    real agent text too."""
    for path in shared_files(datasets):
        name = path.name.split(".jsonl")[0]
        for r in read_jsonl(path):
            if r.get("label") == label:
                family = str(r.get("source", "")).split(":", 1)[0] or "unknown"
                yield f"{name}:{r['role']}", r["role"], r["text"], family
                if label == 0 and r["role"] == "document":
                    for line in agent_lines(r["text"]):
                        yield f"{name}:assistant", "assistant", line, family


def agent_lines(text: str) -> list[str]:
    """The agent's lines of a whole dialogue kept as a document; none for one "Agent:"
    line in an e-mail."""
    lines = _AGENT_LINE.findall(text)
    return lines if len(lines) >= 2 else []


class Runner:
    def __init__(self, detector: RulePack) -> None:
        self.detector = detector
        self.confusables = load_confusables()

    def fired(self, text: str, role: str) -> set[str]:
        canon = canonicalize(text, self.confusables)
        found = self.detector.analyze(Context(role=Role(role), canonical=canon))
        return {f.rule for f in found if f.rule}


def hard_negatives() -> list[str]:
    """channelguard's hand-written honest texts full of trigger words and honest calls
    (tests/guard): no shipped rule may fire on them, in a user turn or a document."""
    sys.path.insert(0, str(ROOT))
    from tests.guard.test_scam_probes import HONEST
    from tests.guard.test_trigger_probes import PASS

    return [*PASS, *HONEST]


def example_failures(runner: Runner) -> dict[str, list[str]]:
    """Rule id -> its own examples that fail (fire that stays quiet, quiet that fires),
    and channelguard's hard negatives it fires on."""
    cases: list[tuple[str, str, str, str]] = []  # rule, expect, role, text
    for rule in runner.detector.rules:
        for role in rule.roles[:1]:
            cases += [(rule.id, "fire", role.value, t) for t in rule.examples.fire]
            cases += [(rule.id, "quiet", role.value, t) for t in rule.examples.quiet]
    atr = json.loads(ATR_EXAMPLES.read_text(encoding="utf-8"))["cases"]
    roles = {r.id: [x.value for x in r.roles] for r in runner.detector.rules}
    for rid, items in atr.items():
        cases += [(rid, c["expect"], c["role"], c["text"]) for c in items if rid in roles]
    failures: dict[str, list[str]] = defaultdict(list)
    for rid, expect, role, text in cases:
        read = roles[rid] if role == "input" else [role]  # ATR's generic input: every role
        fired = any(rid in runner.fired(text, r) for r in read)
        if fired != (expect == "fire"):
            failures[rid].append(f"{expect} ({role}): {text[:80]}")
    for text in hard_negatives():
        for role in ("user", "document"):
            for rid in runner.fired(text, role):
                failures[rid].append(f"channelguard hard negative ({role}): {text[:80]}")
    return dict(failures)


def benign_rates(runner: Runner, datasets: Path) -> tuple[dict[str, int], dict[str, Counter[str]]]:
    sizes: Counter[str] = Counter()
    hits: dict[str, Counter[str]] = defaultdict(Counter)
    for group, role, text, _ in rows(datasets, 0):
        sizes[group] += 1
        for rid in runner.fired(text, role):
            hits[rid][group] += 1
    return dict(sizes), hits


def write_rates(datasets: Path, *, reuse_benign: bool = False) -> dict[str, Any]:
    """With `reuse_benign`, the benign counts come from the file already written (same
    rules, same data; a 30-minute pass on a shared machine) and only the examples and
    hard negatives are run again."""
    t0 = time.time()
    runner = Runner(RulePack().load(every=True))
    failures = example_failures(runner)
    if reuse_benign:
        sizes, hits = _previous_counts()
    else:
        sizes, hits = benign_rates(runner, datasets)
    selection = runner.detector.selection
    assert selection is not None
    out_rules: dict[str, Any] = {}
    for rule in runner.detector.rules:
        rates = {g: round(n / sizes[g], 5) for g, n in sorted(hits[rule.id].items())}
        over = {g: r for g, r in rates.items() if r > BAR}
        why: list[str] = []
        if over:
            worst = max(over, key=lambda g: over[g])
            why.append(f"flags {over[worst]:.2%} of the harmless rows of {worst} (bar {BAR:.1%})")
        if rule.id in failures:
            n = len(failures[rule.id])
            why.append(
                f"{n} of its own examples or our hard negatives fail, e.g. {failures[rule.id][0]}"
            )
        entry: dict[str, Any] = {"on": not why, "benign": rates}
        if why:
            entry["why"] = "; ".join(why)
        out_rules[rule.id] = entry
    doc = {
        "command": COMMAND + (" --reuse-benign" if reuse_benign else ""),
        "data": "every label-0 row of every ../shared/datasets/*.jsonl[.gz] file, grouped by "
        "file and role; a rule is on when no group is over the bar and its own examples pass",
        "bar": BAR,
        "pyatr": selection.atr_version,
        "groups": sizes,
        "seconds": round(time.time() - t0, 1),
        "rules": out_rules,
    }
    if reuse_benign:
        doc["benign_counts_from"] = _previous().get("benign_counts_from", _previous()["command"])
        doc["benign_seconds"] = _previous().get("benign_seconds", _previous()["seconds"])
    path = ROOT / "src" / "channelguard" / "data" / RATES_FILE
    path.write_text(json.dumps(doc, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    on = sum(e["on"] for e in out_rules.values())
    return {
        "wrote": str(path.relative_to(ROOT)),
        "rules": len(out_rules),
        "on": on,
        "off_for_benign_rate": sum("flags" in e.get("why", "") for e in out_rules.values()),
        "off_for_own_examples": sum("examples" in e.get("why", "") for e in out_rules.values()),
        "groups": sizes,
        "seconds": doc["seconds"],
    }


def _previous() -> dict[str, Any]:
    path = ROOT / "src" / "channelguard" / "data" / RATES_FILE
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _previous_counts() -> tuple[dict[str, int], dict[str, Counter[str]]]:
    old = _previous()
    sizes: dict[str, int] = old["groups"]
    hits: dict[str, Counter[str]] = defaultdict(Counter)
    for rid, entry in old["rules"].items():
        for group, rate in entry["benign"].items():
            hits[rid][group] = round(rate * sizes[group])
    return sizes, hits


def recall(datasets: Path) -> dict[str, Any]:
    """The default pack on every attack row: caught per file and per source, and how
    many of those the default guard without the `rules` detector misses (what the
    pack adds; the guard runs only on the rows the pack caught)."""
    from channelguard.guard.guard import Guard
    from channelguard.guard.registry import build_registry
    from channelguard.guard.types import Message

    t0 = time.time()
    pack = Runner(RulePack().load())
    attacks = list(rows(datasets, 1))
    fired = [pack.fired(text, role) for _, role, text, _ in attacks]
    caught = [i for i, f in enumerate(fired) if f]
    default = [i for i, c in build_registry().items() if getattr(c, "default", True)]
    guard = Guard(detectors=[i for i in default if i != "rules"]).load()
    flagged = guard.inspect_batch(
        [Message(text=attacks[i][2], role=Role(attacks[i][1])) for i in caught]
    )
    missed_by_guard = {i for i, r in zip(caught, flagged, strict=True) if not r.flagged}
    n: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    hit_atr: Counter[str] = Counter()
    added: Counter[str] = Counter()
    for i, ((group, _, _, family), f) in enumerate(zip(attacks, fired, strict=True)):
        for key in (f"file {group}", f"source {group.split(':')[0]} {family}"):
            n[key] += 1
            hit[key] += bool(f)
            hit_atr[key] += any(r.startswith("atr:") for r in f)
            added[key] += i in missed_by_guard
    per = {
        k: {
            "n": n[k],
            "default_pack": round(hit[k] / n[k], 4),
            "atr_rules_of_it": round(hit_atr[k] / n[k], 4),
            "added_over_guard_without_rules": round(added[k] / n[k], 4),
        }
        for k in sorted(n)
    }
    return {
        "benchmark": "rule_pack_recall",
        "data": "every label-1 row of ../shared/datasets: out of sample for ATR (not shaped on "
        "these files), but the default selection used this data's benign rows",
        "default_rules": len(pack.detector.rules),
        "per": per,
        "seconds": round(time.time() - t0, 1),
    }
