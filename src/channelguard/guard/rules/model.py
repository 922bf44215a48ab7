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

Unknown keys are errors; every error reads `file:line: field: what`.
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
RULE_ROLES = (Role.USER, Role.DOCUMENT, Role.ASSISTANT)


class Severity(StrEnum):
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
    regex: str = Field(min_length=1)
    roles: tuple[Role, ...] | None = None  # narrower than the rule's, for this pattern only

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        from channelguard.guard.rules.index import load_index

        index = load_index()
        if index is not None and index.compiles(value):  # checked when the index was written
            return value
        try:
            compile_regex(value)
        except regex.error as exc:
            raise ValueError(f"does not compile: {exc}") from None
        return value

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: tuple[Role, ...] | None) -> tuple[Role, ...] | None:
        return None if value is None else _rule_roles(value)


class Examples(_Strict):
    fire: tuple[str, ...] = ()  # must fire the rule
    quiet: tuple[str, ...] = ()  # must not


class Rule(_Strict):
    id: str = Field(pattern=ID)
    title: str = Field(min_length=1)
    severity: Severity
    domain: Domain
    category: str = Field(min_length=1)
    owasp: tuple[str, ...] = Field(min_length=1)
    atlas: tuple[str, ...] = ()
    roles: tuple[Role, ...] = Field(min_length=1)
    match: Literal["any", "all"] = "any"
    patterns: tuple[RulePattern, ...] = Field(min_length=1)
    examples: Examples = Examples()
    description: str = ""

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: tuple[Role, ...]) -> tuple[Role, ...]:
        return _rule_roles(value)

    @field_validator("owasp")
    @classmethod
    def _owasp_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not regex.fullmatch(r"LLM(0[1-9]|10):20(23|25)", v)]
        if bad:
            raise ValueError(f"not an OWASP LLM Top 10 id with its year: {', '.join(bad)}")
        return value

    @field_validator("atlas")
    @classmethod
    def _atlas_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not regex.fullmatch(r"AML\.T\d{4}(\.\d{3})?", v)]
        if bad:
            raise ValueError(f"not a MITRE ATLAS technique id: {', '.join(bad)}")
        return value

    @model_validator(mode="after")
    def _pattern_roles_inside(self) -> Rule:
        for p in self.patterns:
            if p.roles is not None and not set(p.roles) <= set(self.roles):
                raise ValueError("a pattern's roles must be among the rule's roles")
        return self

    def roles_of(self, pattern: RulePattern) -> tuple[Role, ...]:
        return pattern.roles if pattern.roles is not None else self.roles


class Pack(_Strict):
    pack: str = Field(pattern=r"^[a-z0-9_-]+$")
    rules: tuple[Rule, ...] = ()

    def id_issues(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Ids outside the pack's prefix or used twice, each with where it is."""
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
        return None, schema_issues(exc, doc)
    issues = [doc.issue(loc, message) for loc, message in pack.id_issues()]
    return (None, issues) if issues else (pack, [])
