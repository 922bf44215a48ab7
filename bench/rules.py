"""Each rule detector alone, on every real source of ../shared/datasets. Prints JSON.

Rule detectors are never trained, so every real source is data they were not
fitted on; where a rule's cues were written from a source, the source is named
in the detector's docstring, and its figure there is in-sample. Per detector:
the share of each attack family it catches alone, the share of each benign
group (real prompts, customer turns, documents, harmless look-alikes) it flags
alone, and how many attacks no other rule catches. Our own generated templates
(`synth`) are reported apart, labelled.

    python bench/rules.py [--datasets ../shared/datasets] [--cap 1500]
    python bench/rules.py --write-rates   # every shipped rule alone: rule_rates.json
    python bench/rules.py --recall        # the default rule pack on every attack row

About 3 minutes on one core; `--cap 0` judges every row (about 200,000, 8 minutes).
Benign rows are also counted per shared file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generalization import cap_rows, rule_ids

from channelguard.errors import run_script
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, Role
from training.rows import Row, evaluation_rows, load_rows, synth_rows


def bucket(r: Row) -> str:
    if r.head is None:
        return f"benign {r.group}"
    return "spam (not fraud)" if r.head == "spam" else f"attack {r.head}"


def keys(r: Row) -> list[str]:
    """Every count a row adds to: its bucket, and its attack family or benign file."""
    if r.head is None:
        return [bucket(r), f"benign file {r.file}"]
    if r.head == "spam":
        return [bucket(r)]
    return [bucket(r), f"family {r.family} {r.kind}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cap", type=int, default=1500, help="rows per source, file and kind")
    parser.add_argument(
        "--write-rates",
        action="store_true",
        help="measure every shipped rule alone on every benign group (all rows) and write "
        "src/channelguard/data/rule_rates.json, which decides the default pack",
    )
    parser.add_argument(
        "--reuse-benign",
        action="store_true",
        help="with --write-rates: keep the benign counts of the file already written, run "
        "only the examples and hard negatives again",
    )
    parser.add_argument(
        "--recall", action="store_true", help="the default rule pack on every attack row"
    )
    args = parser.parse_args()
    if args.write_rates or args.recall:
        import rule_rates

        if args.write_rates:
            out = rule_rates.write_rates(args.datasets, reuse_benign=args.reuse_benign)
        else:
            out = rule_rates.recall(args.datasets)
        print(json.dumps(out, indent=2))
        return
    t0 = time.time()
    rows = evaluation_rows(load_rows(args.datasets) + synth_rows())
    if args.cap > 0:
        rows = cap_rows(rows, args.cap)
    ids = rule_ids()
    guard = Guard(detectors=ids).load()
    results = guard.inspect_batch([Message(text=r.text, role=Role(r.role)) for r in rows])
    fired = [{f.detector for f in x.findings} for x in results]
    out: dict[str, Any] = {"benchmark": "rules_alone", "rows": len(rows), "detectors": {}}
    for name, keep in (
        ("real_sources", lambda r: r.family != "synth"),
        ("own_templates_apart", lambda r: r.family == "synth"),
    ):
        idx = [i for i, r in enumerate(rows) if keep(r)]
        sizes: dict[str, int] = defaultdict(int)
        for i in idx:
            for k in keys(rows[i]):
                sizes[k] += 1
        for d in ids:
            hits: dict[str, int] = defaultdict(int)
            alone = 0
            for i in idx:
                if d not in fired[i]:
                    continue
                r = rows[i]
                for k in keys(r):
                    hits[k] += 1
                if r.head not in (None, "spam"):
                    alone += fired[i] == {d}
            entry = out["detectors"].setdefault(d, {})
            entry[name] = {
                k: {"n": sizes[k], "rate": round(hits[k] / sizes[k], 4)}
                for k in sorted(sizes)
                if hits[k] or k.startswith("benign ")
            }
            entry[name]["attacks_only_this_rule_catches"] = alone
    out["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    run_script(main)
