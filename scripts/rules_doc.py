"""Write docs/rules.md, the decision rules, from channelguard.decide.rules
(tests/decide/test_rules_doc.py fails when it is stale).

    python scripts/rules_doc.py
"""

from __future__ import annotations

from pathlib import Path

from channelguard.decide.rules import rules_markdown

OUT = Path(__file__).resolve().parents[1] / "docs/rules.md"


def main() -> None:
    OUT.write_text(rules_markdown(), encoding="utf-8")
    print(OUT)


if __name__ == "__main__":
    main()
