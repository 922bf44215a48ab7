"""ATR's own test cases, for the rules the pinned pyatr wheel ships, as test data.

The pyatr wheel ships the rules without their test cases; ATR's npm package
(`agent-threat-rules`, MIT) ships the rule YAML with them. This keeps the cases
of every rule whose conditions are identical in both (so the cases test the
rules channelguard runs) and writes them, with ATR's licence beside them, to
tests/guard/data/atr/:

    npm pack agent-threat-rules@4.0.0 && tar xzf agent-threat-rules-4.0.0.tgz
    python scripts/atr_examples.py package/

A case names the event field it fills; it becomes a message of the role that
field maps to; `input`, ATR's generic text under test, is kept as "input" and
read in every role the rule reads (fire in one; quiet in all). Cases that fill several fields
(a tool call's name and arguments) have no single message and are left out,
and counted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "guard" / "data" / "atr"
FIELD_ROLE = {
    "input": "input",  # ATR's generic text under test: the harness reads it in the rule's roles
    "user_input": "user",
    "content": "user",
    "tool_response": "document",
    "tool_description": "document",
    "agent_output": "assistant",
    "tool_args": "assistant",
}
TEXT_KEYS = {*FIELD_ROLE, "tool_name", "tool_call"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked npm package folder")
    args = parser.parse_args()
    bundled = {
        r["id"]: r
        for r in json.loads(
            resources.files("pyatr").joinpath("_bundled_rules.json").read_text("utf-8")
        )
    }
    counts: Counter[str] = Counter()
    cases: dict[str, list[dict[str, str]]] = {}
    for path in sorted((args.package / "rules").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rid = data.get("id")
        if rid not in bundled:
            counts["rules not in the wheel"] += 1
            continue
        if _values(data) != _values(bundled[rid]):
            counts["rules whose conditions differ from the wheel's"] += 1
            continue
        kept = list(_cases(data.get("test_cases") or {}, counts))
        if kept:
            cases[f"atr:{rid}"] = kept
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {
        "source": "agent-threat-rules 4.0.0 (npm, MIT): test_cases of the rules pyatr 0.3.1 "
        "ships with identical conditions; written by scripts/atr_examples.py",
        "left_out": dict(counts),
        "cases": cases,
    }
    (OUT / "examples.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
    shutil.copy(args.package / "LICENSE", OUT / "LICENSE")
    total = sum(len(v) for v in cases.values())
    print(json.dumps({"rules": len(cases), "cases": total, "left_out": counts}, indent=2))


def _values(rule: dict[str, object]) -> list[str]:
    detection = rule.get("detection") or {}
    assert isinstance(detection, dict)
    return [str(c.get("value")) for c in detection.get("conditions", [])]


def _cases(tests: dict[str, object], counts: Counter[str]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for kind, expect in (("true_positives", "fire"), ("true_negatives", "quiet")):
        for case in tests.get(kind) or []:  # type: ignore[attr-defined]
            fields = [k for k in case if k in TEXT_KEYS]
            if len(fields) != 1 or fields[0] not in FIELD_ROLE:
                counts[f"{kind} with no single text field"] += 1
                continue
            out.append(
                {"expect": expect, "role": FIELD_ROLE[fields[0]], "text": str(case[fields[0]])}
            )
    return out


if __name__ == "__main__":
    sys.exit(main())
