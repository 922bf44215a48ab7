"""The rule format: YAML packs parsed at the edge into strict, frozen models.

A pack file:

    pack: acme
    rules:
      - id: acme:refund-to-new-card
        title: Refund asked to a card not on file
        severity: high            # low | medium | high | critical
        domain: security          # security | safety
        category: payment-redirection
        owasp: [LLM06:2025]
        atlas: [AML.T0052]
        roles: [user]             # user | document | assistant (customer and agent follow)
        match: any                # any pattern fires it, or all of them
        patterns:
          - regex: '\\brefund\\b.{0,40}\\bto (?:a|my) new card\\b'
        examples:
          fire: ["Please refund it to my new card instead"]
          quiet: ["Refund it to the card on file"]

Unknown keys are errors; every error reads `file:line: field: what`. Every field
and check: docs/reference/rule-packs.md, written from these models by
scripts/reference_docs.py (the descriptions and the validators' docstrings are
what users read there).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from channelguard.errors import Issue
from channelguard.guard.types import Domain, Role

__all__ = [
    "RULE_ROLES",
    "Examples",
    "Pack",
    "Rule",
    "RulePattern",
    "Severity",
    "compile_regex",
    "compile_with_regex",
    "parse_pack",
    "read_pack",
]

ID = r"^[a-z0-9_-]+:[A-Za-z0-9_.-]+$"  # pack:rule, so two packs never collide
PACK_NAME = r"^[a-z0-9_-]+$"
OWASP_ID = r"LLM(0[1-9]|10):20(23|25)"  # the whole id: OWASP LLM Top 10, 2023 or 2025
ATLAS_ID = r"AML\.T\d{4}(\.\d{3})?"  # the whole id: a MITRE ATLAS technique or sub-technique
RULE_ROLES = (Role.USER, Role.DOCUMENT, Role.ASSISTANT)


class Severity(StrEnum):
    """How bad a match is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def score(self) -> float:
        """The finding's score: every severity is at or above the default threshold
        (0.5) except low, which shows only when the operating point is lowered."""
        return {"low": 0.45, "medium": 0.7, "high": 0.85, "critical": 0.95}[self.value]


@lru_cache(maxsize=16384)
def compile_regex(source: str) -> Any:
    """How every rule pattern is read, as ATR's reference engine reads it: `re`,
    case-insensitive; the `regex` module (VERSION0, closest to `re`) for syntax
    `re` lacks, such as variable-width lookbehind. Cached: a pack is validated and
    then matched with the same compiled patterns."""
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error:
        return compile_with_regex(source)


def compile_with_regex(source: str) -> Any:
    """A rule pattern compiled by the `regex` module, with the flags closest to `re`'s
    reading (VERSION0), case-insensitive as every rule pattern is."""
    return regex.compile(source, regex.IGNORECASE | regex.VERSION0)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulePattern(_Strict):
    """One regular expression of a rule. It is searched for in the message's canonical
    text (NFKC, invisible characters removed, look-alike letters folded inside
    mixed-script words, emoji and separators between letters turned into spaces) and,
    where that differs, in the original text too, so a pattern can look for invisible
    characters or homoglyphs. Hyperscan, where installed, only picks candidates by
    literal strings proved from the pattern; the pattern itself decides, and one with
    no such string is searched in every message (same answers, slower)."""

    regex: str = Field(
        min_length=1,
        description="A Python regular expression, always case-insensitive, found anywhere "
        "in the text (anchor it with `^`, `$` or `\\b` where needed); in YAML, single quotes "
        "keep its backslashes as written. Your packs' patterns run without a time limit: "
        "keep them free of nested or adjacent unbounded repeats.",
    )
    roles: tuple[Role, ...] | None = Field(
        default=None,
        description="The roles this pattern reads, narrower than the rule's; unset: the "
        "rule's roles.",
    )

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        """It compiles as Python's `re` reads it, case-insensitive; syntax `re` lacks,
        such as variable-width lookbehind, is read by the `regex` module (VERSION0).
        A pattern neither reads is an error at its line: `does not compile: WHY`, the
        `regex` module's reason."""
        from channelguard.guard.rules.index import load_index

        index = load_index()
        if index is not None and index.compiles(value):  # checked when the index was written
            return value
        try:
            compile_regex(value)
        except regex.error as exc:
            raise ValueError(f"does not compile: {exc}") from None
        except (RecursionError, MemoryError, OverflowError, ValueError) as exc:
            # a pattern nested too deep or too large for the compiler: still this
            # pattern's error at its line, not an internal error
            raise ValueError(f"does not compile: {type(exc).__name__}") from None
        return value

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: tuple[Role, ...] | None) -> tuple[Role, ...] | None:
        """Each role is `user`, `document` or `assistant`; `customer` and `agent` are an
        error (they follow `user` and `assistant`)."""
        return None if value is None else _rule_roles(value)


class Examples(_Strict):
    """Texts a rule is tested on. `channelguard rules lint` reads each one as the guard
    would, once in each of the rule's roles, and reports each that does not behave
    (`ID: must fire (ROLE): TEXT`, `must quiet`; exit 1): run it in your CI.
    channelguard's own rules carry both kinds and run in its tests; a shipped rule
    whose examples fail is off by default."""

    fire: tuple[str, ...] = Field(
        default=(), description="Texts that must fire the rule, in each of its roles."
    )
    quiet: tuple[str, ...] = Field(
        default=(), description="Texts that must not fire it, in any of its roles."
    )


class Rule(_Strict):
    """One rule: what it looks for (its patterns), in which messages (its roles), and
    what a finding of it says (id, severity, domain, OWASP and ATLAS ids)."""

    id: str = Field(
        pattern=ID,
        description="`PACK:NAME`: the pack's name, a colon, then letters, digits, `_`, `.` "
        "or `-`. A finding names it (`rule`); `--disable-rule ID` and `guard.disable_rules` "
        "turn the rule off.",
    )
    title: str = Field(
        min_length=1,
        description="One line on what the rule catches: `channelguard rules list` shows it, "
        "and a finding's evidence is the id, the title and the matched text.",
    )
    severity: Severity = Field(description="How bad a match is: it sets the finding's score.")
    domain: Domain = Field(
        description="The finding's domain: `security`, someone attacking; `safety`, the "
        "system causing harm by itself."
    )
    category: str = Field(
        min_length=1,
        description="Free text naming the kind of attack (ATR's category, for its rules); "
        "a finding carries the first OWASP id instead.",
    )
    owasp: tuple[str, ...] = Field(
        min_length=1,
        description="OWASP LLM Top 10 ids with their year, such as `LLM01:2025`; the first "
        "is the finding's category.",
    )
    atlas: tuple[str, ...] = Field(
        default=(),
        description="MITRE ATLAS technique ids, such as `AML.T0051.000`; the first is the "
        "finding's `atlas`.",
    )
    roles: tuple[Role, ...] = Field(
        min_length=1,
        description="The messages the rule reads: `user` (customer turns too), `document`, "
        "`assistant` (agent turns too).",
    )
    match: Literal["any", "all"] = Field(
        default="any",
        description="`any`: the rule fires when one of its patterns matches a message; "
        "`all`: only when every one of them matches the same message (each in its roles).",
    )
    patterns: tuple[RulePattern, ...] = Field(
        min_length=1, description="What the rule looks for: one regular expression each."
    )
    examples: Examples = Field(
        default=Examples(),
        description="Texts that must fire the rule and texts that must not, run by "
        "`channelguard rules lint`.",
    )
    description: str = Field(
        default="", description="Longer free text on the rule (ATR's, for its rules)."
    )

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: tuple[Role, ...]) -> tuple[Role, ...]:
        """Each role is `user`, `document` or `assistant`; `customer` and `agent` are an
        error (they follow `user` and `assistant`)."""
        return _rule_roles(value)

    @field_validator("owasp")
    @classmethod
    def _owasp_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """Each is a whole OWASP LLM Top 10 id with its year, `LLM01` to `LLM10` and
        `:2023` or `:2025`; else `not an OWASP LLM Top 10 id with its year: ID`."""
        bad = [v for v in value if not regex.fullmatch(OWASP_ID, v)]
        if bad:
            raise ValueError(f"not an OWASP LLM Top 10 id with its year: {', '.join(bad)}")
        return value

    @field_validator("atlas")
    @classmethod
    def _atlas_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """Each is a whole MITRE ATLAS technique id, `AML.T0051` or a sub-technique
        `AML.T0051.000`; else `not a MITRE ATLAS technique id: ID`."""
        bad = [v for v in value if not regex.fullmatch(ATLAS_ID, v)]
        if bad:
            raise ValueError(f"not a MITRE ATLAS technique id: {', '.join(bad)}")
        return value

    @model_validator(mode="after")
    def _pattern_roles_inside(self) -> Rule:
        """A pattern's own `roles` are among the rule's; else, at the rule, `a pattern's
        roles must be among the rule's roles`."""
        for p in self.patterns:
            if p.roles is not None and not set(p.roles) <= set(self.roles):
                raise ValueError("a pattern's roles must be among the rule's roles")
        return self

    def roles_of(self, pattern: RulePattern) -> tuple[Role, ...]:
        return pattern.roles if pattern.roles is not None else self.roles


class Pack(_Strict):
    """One YAML file: a pack's name and its rules. Rule ids are unique across every pack
    loaded, the shipped `atr` and `cg` included: an id used twice stops the load (`rule
    'ID' is defined twice`); `rules lint` checks your packs against each other and
    against the shipped ones."""

    pack: str = Field(
        pattern=PACK_NAME,
        description="The pack's name: lower-case letters, digits, `_` or `-`. Every rule "
        "id starts with it and a colon.",
    )
    rules: tuple[Rule, ...] = Field(default=(), description="The pack's rules.")

    def id_issues(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Once every field is valid: each rule id starts with the pack's name and a colon
        (else `'ID' must start with 'PACK:'`), and no two rules share one (else `two
        rules share the id 'ID'`). Each issue with where it is."""
        out: list[tuple[tuple[str | int, ...], str]] = []
        seen: set[str] = set()
        for i, rule in enumerate(self.rules):
            if not rule.id.startswith(f"{self.pack}:"):
                out.append((("rules", i, "id"), f"'{rule.id}' must start with '{self.pack}:'"))
            if rule.id in seen:
                out.append((("rules", i, "id"), f"two rules share the id '{rule.id}'"))
            seen.add(rule.id)
        return out


def _rule_roles(value: tuple[Role, ...]) -> tuple[Role, ...]:
    bad = [r.value for r in value if r not in RULE_ROLES]
    if bad:
        known = ", ".join(r.value for r in RULE_ROLES)
        raise ValueError(f"{', '.join(bad)}: a rule names {known} (customer and agent follow)")
    return value


def read_pack(path: Path) -> tuple[Pack | None, list[Issue]]:
    """One pack file: the pack, or every problem with it as `file:line: field: what`."""
    from channelguard.model.yamlsource import read_yaml

    doc = read_yaml(path)
    if doc.issues:
        return None, list(doc.issues)
    return parse_pack(doc)


def parse_pack(doc: object) -> tuple[Pack | None, list[Issue]]:
    from channelguard.model.loader import schema_issues
    from channelguard.model.yamlsource import SourceDoc

    assert isinstance(doc, SourceDoc)
    if not isinstance(doc.data, dict):
        return None, [Issue(file=doc.file, line=1, field="", message="expected a mapping")]
    try:
        pack = Pack.model_validate(doc.data)
    except ValidationError as exc:
        return None, _without_echoes(schema_issues(exc, doc))
    issues = [doc.issue(loc, message) for loc, message in pack.id_issues()]
    return (None, issues) if issues else (pack, [])


def _without_echoes(issues: list[Issue]) -> list[Issue]:
    """A list whose only items were refused is also reported empty ("patterns: Tuple
    should have at least 1 item after validation, not 0"): an echo of the item's own
    error at its line, dropped."""
    return [
        i
        for i in issues
        if not (
            "should have at least 1 item after validation, not 0" in i.message
            and any(o.field.startswith(f"{i.field}[") for o in issues)
        )
    ]
