"""Jailbreak set-ups by marker families: persona, staying in character, refusal
suppression, removed limits, fictional or hypothetical framing, token games.
One family is ordinary speech ("act as my representative"); several together
are the scaffolding of DAN-style and role-play jailbreaks."""

from __future__ import annotations

import re
from typing import ClassVar

from channelguard.guard.detectors.base import INBOUND, BaseDetector, Context
from channelguard.guard.types import Domain, Finding

FAMILIES: dict[str, re.Pattern[str]] = {
    "persona": re.compile(
        r"\b(you (are|will be|will act as|are going to (act|pretend|be))|pretend (to be|you are)|act as|roleplay as|simulate|from now on,? you)\b|\b(du wirst|du bist jetzt|t[uú] (eres|ser[aá]s)|tu es d[ée]sormais|agora voc[eê] [ée]|ora sei)\b",
        re.I,
    ),
    "in_character": re.compile(
        r"\b(stay(s)? in character|break(s)? character|remain(s)? in character|character (at all times|never))\b|\bin der rolle\b",
        re.I,
    ),
    "no_refusal": re.compile(
        r"\b(never (refuse|decline|say (no|you can'?t))|must (always )?(answer|comply)|cannot refuse|won'?t refuse|without (any )?(refus\w+|warnings?|disclaimers?)|do not (add|include) (any )?(warnings?|disclaimers?))\b",
        re.I,
    ),
    "no_limits": re.compile(
        r"\b(no|without|free (of|from)|not bound by|ignores?|bypass(es)?)\s+(any\s+)?(restrictions?|limitations?|limits|filters?|rules|guidelines|ethic\w*|morals?|content polic\w+|censorship)\b|\b(no|without|not bound by)\s+(any\s+)?polic(y|ies)\b|\b(do anything now|DAN|jailbr[eo]ak\w*|unfiltered|uncensored|unrestricted|developer mode)\b",
        re.I,
    ),
    "fictional": re.compile(
        r"\b(hypothetical(ly)?|purely fictional|for (fictional|educational|research) purposes|in a fictional (world|story)|imaginary (world|scenario)|thought experiment)\b",
        re.I,
    ),
    "format_game": re.compile(
        r"\b(respond (only )?(as|with) (both|two)|two (responses|personas)|\[(🔒|🔓|classic|jailbreak|normal|developer)[^\]]*\]|start (your|each) (reply|response) with ['\"]?sure)\b",
        re.I,
    ),
}


class JailbreakMarkers(BaseDetector):
    id = "jailbreak_markers"
    domain = Domain.SECURITY
    category = "LLM01:2025"
    atlas: ClassVar[str | None] = "AML.T0054"
    version = "1"
    roles = INBOUND
    description = "Role-play and refusal-suppression scaffolding of known jailbreak families (two or more together)."

    def analyze(self, context: Context) -> list[Finding]:
        hits = {name: m for name, rx in FAMILIES.items() if (m := rx.search(context.text))}
        if len(hits) < 2:
            return []
        score = min(0.95, 0.45 + 0.15 * len(hits))
        first = min(hits.values(), key=lambda m: m.start())
        return [
            self.finding(
                score=score,
                span=context.canonical.to_original(*first.span()),
                evidence="markers: " + ", ".join(sorted(hits)),
            )
        ]
