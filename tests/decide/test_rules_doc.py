"""docs/rules.md is generated from the RuleId enum, and every rule is documented."""

from __future__ import annotations

from pathlib import Path

from channelguard.decide.rules import RULES, RuleId, rules_markdown
from channelguard.decide.session import Decider
from channelguard.guard.guard import Guard
from channelguard.model.loader import load_file
from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]


def test_docs_rules_md_is_generated_from_the_enum() -> None:
    written = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    assert written == rules_markdown(), "docs/rules.md is stale: run python scripts/rules_doc.py"


def test_every_rule_says_what_it_means_and_the_decision_it_gives() -> None:
    assert set(RULES) == set(RuleId)
    for rule in RuleId:
        kind = rule.value.split("-")[0].replace("step", "step up")
        assert rule.description.startswith(kind), rule
        assert f"`{rule.value}`" in rules_markdown()


def test_a_decision_names_a_rule_of_the_enum(guard: Guard) -> None:
    decider = Decider(load_file(EXAMPLES / "bank.yaml"), guard)
    decision = decider.feed({"session": "r1", "type": "action_request", "action": "no_such"})
    assert decision is not None and RuleId(decision.rule) is RuleId.DENY_UNKNOWN_ACTION
