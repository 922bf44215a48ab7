"""Find the shipped rule patterns whose search time grows faster than the text.
Writes src/channelguard/data/superlinear_patterns.json (the matcher runs those with a
time limit; see guard/rules/matcher.py).

Each pattern of every shipped pack is searched, as the matcher compiles it, on
hostile texts of 10,000 characters (one letter, one digit, spaces, dots, words,
and the same with a trailing control character); one that takes more than
20 ms on any of them is listed. A message of 20,000 characters (one window)
costs such a pattern four times that or more: seconds, on a text an attacker
chooses.

    python scripts/superlinear_rules.py [--write]

About 2 minutes on one core.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from channelguard.errors import run_script
from channelguard.guard.rules.model import compile_regex
from channelguard.guard.rules.packs import select_rules

OUT = Path(__file__).resolve().parents[1] / "src/channelguard/data/superlinear_patterns.json"
LIMIT = 0.02  # seconds on a 10,000-character probe
PROBES = {
    "letters": "A" * 10_000,
    "letters and a backspace": "A" * 10_000 + "\x08",
    "digits": "1" * 10_000,
    "spaces": " " * 10_000,
    "dots": "." * 10_000,
    "words": "a " * 5_000,
    "lines": "a\n" * 5_000,
    "mixed": "aA1." * 2_500,
    "hex escapes": "=41" * 3_333,
    "a repeated word": "ignore " * 1_430,
    "bangs": "!" * 10_000,
}


def slow_patterns() -> dict[str, dict[str, float]]:
    selection = select_rules(folders=[], disabled=[], every=True)
    sources = sorted({p.regex for rule in selection.rules for p in rule.patterns})
    out: dict[str, dict[str, float]] = {}
    for source in sources:
        compiled = compile_regex(source)
        for name, text in PROBES.items():
            t = time.perf_counter()
            compiled.search(text)
            took = time.perf_counter() - t
            if took > LIMIT:
                out.setdefault(source, {})[name] = round(took, 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name}")
    args = parser.parse_args()
    found = slow_patterns()
    result = {
        "command": "python scripts/superlinear_rules.py --write",
        "limit_seconds_on_10000_characters": LIMIT,
        "patterns": sorted(found),
        "seconds_on_probes": {s: found[s] for s in sorted(found)},
    }
    if args.write:
        OUT.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({"patterns": len(found)}, indent=1))


if __name__ == "__main__":
    run_script(main)
