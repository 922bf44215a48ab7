"""Rules as data: every selected rule of every pack, in one multi-pattern matcher.

    detector = RulePack().load(rules=["my-packs/"], disable_rules=["atr:ATR-2026-00005"])

Construction stores nothing expensive; `load` reads the packs and compiles the
matcher. One finding per rule that fires, naming the rule (`rule`), its match
and its pack's severity as the score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from channelguard.guard.detectors.base import ALL_ROLES, BaseDetector, Context
from channelguard.guard.rules.matcher import Hit, Matcher
from channelguard.guard.rules.model import Rule
from channelguard.guard.rules.packs import Selection, select_rules
from channelguard.guard.types import Domain, Finding, Role

__all__ = ["RulePack"]

# the role a rule names for each role a message may have
_RULE_ROLE = {
    Role.USER: Role.USER,
    Role.CUSTOMER: Role.USER,
    Role.DOCUMENT: Role.DOCUMENT,
    Role.ASSISTANT: Role.ASSISTANT,
    Role.AGENT: Role.ASSISTANT,
}


class RulePack(BaseDetector):
    id = "rules"
    domain = Domain.SECURITY
    category = "LLM01:2025"
    version = "1"
    roles: ClassVar[frozenset[Role]] = ALL_ROLES
    description = (
        "Rules as data: channelguard's pack and Agent Threat Rules (pinned pyatr), rules "
        "under 0.1% on every benign group by default, plus your packs (--rules)."
    )

    def __init__(self) -> None:
        self.selection: Selection | None = None
        self._matcher: Matcher | None = None
        self._owner: list[int] = []  # pattern index -> rule index
        self._by_role: dict[Role, set[int]] = {}

    def load(
        self,
        *,
        rules: Sequence[str] = (),
        disable_rules: Sequence[str] = (),
        every: bool = False,
        shipped_packs: bool = True,
        use_hyperscan: bool = True,
    ) -> RulePack:
        self.selection = select_rules(
            folders=list(rules),
            disabled=list(disable_rules),
            every=every,
            shipped_packs=shipped_packs,
        )
        self._owner = []
        sources: list[str] = []
        by_role: dict[Role, set[int]] = defaultdict(set)
        for i, rule in enumerate(self.selection.rules):
            for pattern in rule.patterns:
                for role in rule.roles_of(pattern):
                    by_role[role].add(len(sources))
                self._owner.append(i)
                sources.append(pattern.regex)
        self._by_role = dict(by_role)
        self._matcher = Matcher.build(sources, use_hyperscan=use_hyperscan)
        return self

    def failing_examples(self) -> list[str]:
        """Each selected rule's own examples that do not behave: `file`-free lines
        `rule id: must fire (role): text` (the lint; ATR's cases live in the tests)."""
        from channelguard.guard.canonical import canonicalize, load_confusables

        confusables = load_confusables()
        out: list[str] = []
        for rule in self.rules:
            for role in rule.roles:
                for expect, texts in (("fire", rule.examples.fire), ("quiet", rule.examples.quiet)):
                    for text in texts:
                        context = Context(role=role, canonical=canonicalize(text, confusables))
                        hit = any(f.rule == rule.id for f in self.analyze(context))
                        if hit != (expect == "fire"):
                            out.append(f"{rule.id}: must {expect} ({role.value}): {text[:80]}")
        return out

    @property
    def rules(self) -> list[Rule]:
        return [] if self.selection is None else self.selection.rules

    def analyze(self, context: Context) -> list[Finding]:
        if self._matcher is None or self.selection is None:
            self.load()
        assert self._matcher is not None and self.selection is not None
        role = _RULE_ROLE[context.role]
        allowed = self._by_role.get(role, set())
        if not allowed:
            return []
        hits: dict[int, list[Hit]] = defaultdict(list)
        seen: set[int] = set()
        for text, mapped in self._texts(context):
            for hit in self._matcher.scan(text, allowed - seen):
                seen.add(hit.pattern)
                span = context.canonical.to_original(*hit.span) if mapped else hit.span
                hits[self._owner[hit.pattern]].append(replace(hit, span=span))
        out: list[Finding] = []
        for i, found in sorted(hits.items()):
            rule = self.selection.rules[i]
            if rule.match == "all" and len(found) < len(rule.patterns):
                continue
            out.append(self._finding(rule, found[0]))
        return out

    @staticmethod
    def _texts(context: Context) -> list[tuple[str, bool]]:
        """The canonical text, then the original where it differs: rules that look for
        invisible characters or homoglyphs must see them (canonicalization removes
        them). True: a span in that text needs mapping to the original."""
        canon = context.canonical
        if canon.original == canon.text:
            return [(canon.text, False)]
        return [(canon.text, True), (canon.original, False)]

    def _finding(self, rule: Rule, hit: Hit) -> Finding:
        span: tuple[int, int] | None = hit.span
        score, evidence = rule.severity.score, f"{rule.id} {rule.title}: {hit.text[:120]}"
        if hit.timed_out:  # fail closed, as for text past the input limit: score 1.0
            why = "its pattern ran past its time limit on this text: not fully inspected"
            score, span, evidence = 1.0, None, f"{rule.id}: {why}"
        return Finding(
            detector=self.id,
            rule=rule.id,
            domain=rule.domain,
            category=rule.owasp[0],
            atlas=rule.atlas[0] if rule.atlas else None,
            score=score,
            span=span,
            evidence=evidence,
        )
