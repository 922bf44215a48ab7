"""Would choosing rules per benign source lower false positives on a source not
used to choose them? Leave-one-source-out of the rule selection. Prints JSON.

`bench/rules.py --write-rates` turns a rule off when it flags more than 0.1% of a
benign *file* (a file pools several sources). A finer bar, per source, looks
better on the rows that chose it by construction. The honest figure: for each
source, choose with every other source's benign rows only (a rule is off when,
on some other source, it flags at least `--min-hits` rows and more than `--bar`
of them), then count that source's benign rows the remaining rules flag, and
its attack rows they still catch. Rules alone: the learned stages do not
change with the choice.

    python bench/rule_selection.py [--datasets ../shared/datasets] [--cap 1500]
        [--bar 0.001] [--min-hits 2]

About 3 minutes on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generalization import cap_rows

from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, Role
from training.rows import Row, evaluation_rows, load_rows, synth_rows


def fired(rows: list[Row]) -> list[frozenset[str]]:
    """The default rule pack's rule ids that fire on each row."""
    guard = Guard(detectors=["rules"], encoder="off", multilingual="off").load()
    out: list[frozenset[str]] = []
    for i in range(0, len(rows), 512):
        part = rows[i : i + 512]
        results = guard.inspect_batch([Message(text=r.text, role=Role(r.role)) for r in part])
        out += [frozenset(f.rule for f in x.findings if f.rule) for x in results]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cap", type=int, default=1500, help="rows per source, file and kind")
    parser.add_argument("--bar", type=float, default=0.001)
    parser.add_argument("--min-hits", type=int, default=2)
    args = parser.parse_args()
    t0 = time.time()
    rows = load_rows(args.datasets) + synth_rows()
    rows = [r for r in cap_rows(evaluation_rows(rows), args.cap) if r.head != "spam"]
    rules = fired(rows)
    size: Counter[tuple[str, str, str]] = Counter()
    hits: dict[str, Counter[tuple[str, str, str]]] = defaultdict(Counter)
    for r, ids in zip(rows, rules, strict=True):
        if r.head is None:
            key = (r.family, r.file, r.role)
            size[key] += 1
            for rule in ids:
                hits[rule][key] += 1

    def off_without(family: str) -> set[str]:
        return {
            rule
            for rule, where in hits.items()
            for key, n in where.items()
            if key[0] != family and n >= args.min_hits and n / size[key] > args.bar
        }

    benign: dict[str, Counter[str]] = defaultdict(Counter)
    attacks: dict[str, Counter[str]] = defaultdict(Counter)
    for family in sorted({r.family for r in rows}):
        off = off_without(family)
        for r, ids in zip(rows, rules, strict=True):
            if r.family != family:
                continue
            into = benign[r.group] if r.head is None else attacks[family]
            into["n"] += 1
            into["as_shipped"] += bool(ids)
            into["chosen_per_source"] += bool(ids - off)
    result: dict[str, Any] = {
        "benchmark": "rule_selection",
        "bar": args.bar,
        "min_hits": args.min_hits,
        "rules_off_choosing_on_every_source": len(off_without("")),
        "benign_flagged_by_rules": {g: dict(c) for g, c in sorted(benign.items())},
        "attacks_caught_by_rules": {
            "all": {
                k: sum(c[k] for c in attacks.values())
                for k in ("n", "as_shipped", "chosen_per_source")
            },
            "changed": {
                f: dict(c)
                for f, c in sorted(attacks.items())
                if c["as_shipped"] != c["chosen_per_source"]
            },
        },
        "seconds": round(time.time() - t0, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    run_script(main)
