"""Each named detector alone on every row of ../shared/datasets. Prints JSON.

What a cue or pattern detector costs and catches on the shared rows, by itself
(`Guard(detectors=[d], encoder="off", multilingual="off")`): per detector, the
attack rows and the benign rows it flags, per file. The shared files hold no
agent turn: detectors of what the agent says are judged on the agent's lines of
the benign dialogues kept as documents (bench/rule_rates.py), as role
`assistant`. With `--save FILE` the
flagged rows (index, evidence) are written too; `--against FILE` (a saved run of
an earlier commit) names the rows flagged now and not then, and then and not
now, with their text cut to 200 characters, so a change's new false positives
are read, not only counted.

The pattern detectors were written beside some of these rows (their docstrings
say which were not): the benign figure shows what a change costs on real
traffic; the attack figure is not a measure of generalisation (bench/generalization.py
and the trials in docs/trials.md are).

    python bench/detector_rates.py --detectors social_engineering,credential_request
        [--datasets ../shared/datasets] [--save OUT.json] [--against EARLIER.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ lives at the root
sys.path.insert(0, str(Path(__file__).resolve().parent))

from rule_rates import agent_lines

from channelguard.errors import InputError, run_script
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message
from training.rows import load_rows

BATCH = 2000


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    role: str
    file: str
    attack: bool


def flagged_rows(detector: str, texts: list[tuple[str, str]]) -> dict[int, str]:
    guard = Guard(detectors=[detector], encoder="off", multilingual="off").load()
    out: dict[int, str] = {}
    for start in range(0, len(texts), BATCH):
        chunk = texts[start : start + BATCH]
        verdicts = guard.inspect_batch([Message(text=t, role=r) for t, r in chunk])
        for i, v in enumerate(verdicts):
            if v.flagged:
                out[start + i] = v.findings[0].evidence
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--detectors", required=True, help="comma-separated detector ids")
    ap.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    ap.add_argument("--save", type=Path, default=None, help="write the flagged rows here")
    ap.add_argument("--against", type=Path, default=None, help="a saved run to compare with")
    args = ap.parse_args()
    earlier: dict[str, Any] = {}
    if args.against is not None:
        try:
            earlier = json.loads(args.against.read_text(encoding="utf-8"))["flagged"]
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"{args.against}: not a saved run of this script: {exc}") from None
    loaded = load_rows(args.datasets)
    # the shared files hold no agent turn: what the agent says is measured on the agent's
    # lines of the benign dialogues kept as documents (bench/rule_rates.py)
    said = [
        (line, r.file)
        for r in loaded
        if r.head is None and r.role == "document"
        for line in agent_lines(r.text)
    ]
    rows = [Row(text=r.text, role=r.role, file=r.file, attack=r.head is not None) for r in loaded]
    rows += [Row(text=t, role="assistant", file=f + ":agent lines", attack=False) for t, f in said]
    texts = [(r.text, r.role) for r in rows]
    attack = [r.attack for r in rows]
    result: dict[str, Any] = {
        "benchmark": "detector_rates",
        "rows": {"attack": sum(attack), "benign": len(rows) - sum(attack)},
        "detectors": {},
    }
    saved: dict[str, dict[str, str]] = {}
    for detector in [d.strip() for d in args.detectors.split(",") if d.strip()]:
        t0 = time.perf_counter()
        flags = flagged_rows(detector, texts)
        saved[detector] = {str(i): e for i, e in flags.items()}
        by_file: Counter[str] = Counter()
        for i in flags:
            by_file[("attack " if attack[i] else "benign ") + rows[i].file] += 1
        entry: dict[str, Any] = {
            "attack_flagged": sum(1 for i in flags if attack[i]),
            "benign_flagged": sum(1 for i in flags if not attack[i]),
            "by_file": dict(sorted(by_file.items())),
            "seconds": round(time.perf_counter() - t0, 1),
        }
        if detector in earlier:
            before = {int(i) for i in earlier[detector]}
            now = set(flags)
            entry["changed"] = {
                side: [
                    {
                        "row": i,
                        "label": "attack" if attack[i] else "benign",
                        "file": rows[i].file,
                        "text": rows[i].text[:200],
                    }
                    for i in sorted(ids)
                ]
                for side, ids in (("new", now - before), ("gone", before - now))
            }
        result["detectors"][detector] = entry
    if args.save is not None:
        args.save.write_text(json.dumps({"flagged": saved}), encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    run_script(main)
