"""Write src/channelguard/data/pattern_index.json: which shipped rule patterns `re`
compiles, and their prefilter atoms (guard/rules/index.py says why).

Run it after changing a shipped rule pack, upgrading pyatr, changing
guard/rules/literals.py or moving to another Python (major.minor); a test fails
in CI while the shipped index is stale (tests/guard/test_pattern_index.py).

    python scripts/pattern_index.py

About 5 seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

from channelguard.errors import run_script
from channelguard.guard.rules.index import INDEX_FILE, build_index
from channelguard.guard.rules.packs import shipped_sources

OUT = Path(__file__).resolve().parents[1] / "src/channelguard/data" / INDEX_FILE


def main() -> None:
    index = build_index(shipped_sources())
    OUT.write_text(json.dumps(index, separators=(",", ":")) + "\n", encoding="utf-8")
    print(json.dumps({"written": str(OUT), "patterns": len(index["atoms"])}))


if __name__ == "__main__":
    run_script(main)
