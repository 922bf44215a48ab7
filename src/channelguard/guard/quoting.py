"""Text quoted to report it, not to say it.

A customer pastes the scam text they got ("I got this text: 'Your account has been
suspended, verify at …' Is it from you?"); a developer names an attack ("someone
writing 'ignore your previous instructions'"); a log line records one ("input
contained 'ignore previous instructions', routed to moderation"). The patterns
that find the attack find it inside the quotation, and the message is flagged for
words its writer reports.

A quotation is *reported* when the words outside it frame it as something
received or named (a text, e-mail or call got; "saying", "writing", "contained",
"the prompt", "for example" just before it) and do not ask for it to be acted on
("… do what it says", "follow these", "from now on"). A finding of a detector that
reads words (`QUOTABLE`) whose whole span lies inside a reported quotation is the
quotation's: the guard keeps it, named, below the threshold. A finding with no span
(a learned head reading the whole text) is untouched, as is any finding outside the
quotation, so the writer's own request still counts.

User turns only: a customer quoting is reporting, but a document is read by the
agent, and an instruction quoted in an e-mail or a tool result is still read by the
model that reads the e-mail.
"""

from __future__ import annotations

import re
from dataclasses import replace

from channelguard.guard.types import Finding

__all__ = ["QUOTABLE", "reported_quotes", "unquote"]

# detectors whose findings point at the words that matched
QUOTABLE = frozenset(
    {"rules", "social_engineering", "jailbreak_markers", "injection_patterns", "prompt_injection"}
)

_MIN, _MAX = 8, 1500  # characters inside a quotation
# an opening mark after the start, a space, a colon or a bracket; the closing mark
# before the end, a space or punctuation; an apostrophe inside a word ("don't") is
# not a closing mark
_QUOTES = [
    re.compile(r"(?:(?<=^)|(?<=[\s:(\[]))'((?:[^'\n]|(?<=\w)'(?=\w))+)'(?=$|[\s.,;:!?)\]])"),
    re.compile(r'(?:(?<=^)|(?<=[\s:(\[]))"([^"\n]+)"(?=$|[\s.,;:!?)\]])'),
    re.compile(r"“([^”\n]+)”"),
    re.compile(r"‘((?:[^’\n]|(?<=\w)’(?=\w))+)’"),
    re.compile(r"«([^»\n]+)»"),
    re.compile(r"„([^“\n]+)“"),
]
# something received, anywhere outside the quotations
_RECEIVED = re.compile(
    r"\b(?:got|received|receiving|getting|sent\s+me|been\s+sent|came\s+in|arrived)\b"
    r"[^.?!\n]{0,40}?\b(?:texts?|sms|messages?|e-?mails?|calls?|voicemails?|letters?|"
    r"notifications?|dms?|whatsapps?|pop-?ups?)\b",
    re.I,
)
# a lead just before the quotation that names it
_LEAD = re.compile(
    r"\b(?:saying|says|said|reading|reads|stating|states|claiming|claims|wrote|writes|"
    r"writing|typed|typing|typing\s+in|posted|contained|containing|contains|included|"
    r"including|includes|such\s+as|for\s+example|for\s+instance|e\.g\.|like|"
    # someone else asked to do it: "an e-mail asking hotels to '…'" (not "asking you to")
    r"(?:asking|telling|told|urging|instructing)\s+(?!you\b|u\b)(?:\w+\s+){0,2}to|"
    r"(?:the|this|that|a)\s+(?:prompt|phrase|string|input|text|sms|e-?mail|line|payload|"
    r"words?|sentence|message))\s*[:,]?\s*$",
    re.I,
)
_LEAD_REACH = 48  # characters before the opening mark where the lead may end
# the writer asks for the quotation to be acted on: not a report
_ENDORSED = re.compile(
    r"\b(?:do|follow|obey|execute|carry\s+out|act\s+on|comply\s+with|apply|perform|"
    r"complete|repeat|print|output|say|translate|answer|respond\s+to|reply\s+to)\s+"
    r"(?:it|this|that|these|them|those|what\s+(?:it|they)\s+says?|as\s+(?:it|they)\s+says?|"
    r"the\s+(?:above|following|instructions?|text|message))\b|"
    r"\bfrom\s+now\s+on\b|\byou\s+(?:must|will|shall|are\s+to)\b",
    re.I,
)


def reported_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of the quotations in `text` that it reports (see the module)."""
    found: list[tuple[int, int]] = []
    for pattern in _QUOTES:
        for m in pattern.finditer(text):
            if _MIN <= len(m.group(1)) <= _MAX and not any(a <= m.start() < b for a, b in found):
                found.append(m.span())
    if not found:
        return []
    found.sort()
    starts = [0] + [e for _, e in found]
    ends = [s for s, _ in found] + [len(text)]
    outside = "\n".join(text[a:b] for a, b in zip(starts, ends, strict=True))
    if _ENDORSED.search(outside):
        return []
    received = _RECEIVED.search(outside) is not None
    return [(s, e) for s, e in found if received or _LEAD.search(text[max(0, s - _LEAD_REACH) : s])]


def unquote(findings: list[Finding], text: str, threshold: float) -> list[Finding]:
    """Findings whose whole span lies inside a reported quotation, kept below the
    threshold and named; every other finding as it is."""
    spans = None
    out: list[Finding] = []
    for f in findings:
        if f.detector in QUOTABLE and f.span is not None and f.score >= threshold:
            if spans is None:
                spans = reported_quotes(text)
            start, end = f.span
            if any(a <= start and end <= b for a, b in spans):
                f = replace(
                    f,
                    score=min(f.score, 0.9 * threshold),
                    evidence=f"quoted in a report, not said: {f.evidence}",
                )
        out.append(f)
    return out
