"""Agent Threat Rules (ATR, MIT) as a pack, read from the installed `pyatr` wheel.

The rules are not copied into channelguard: `pyatr/_bundled_rules.json` is
read from the pinned wheel at load time and mapped to the common format. ATR's
ids are kept (`atr:ATR-2026-00001`). ATR conditions name the field of an agent
event they read; channelguard names roles:

| ATR field | role |
|---|---|
| user_input | user |
| tool_response, tool_description | document |
| agent_output, tool_args, tool_name, tool_input | assistant |
| content | user, document, assistant |

Conditions on session traces and behaviour metrics have no text to read here:
a rule made only of them (or needing one of them, `condition: all`) is not
imported, and `Imported.skipped` says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import ValidationError

from channelguard.errors import DependencyError
from channelguard.guard.rules.model import Rule
from channelguard.guard.types import Role

__all__ = ["ATR_PACK", "PINNED", "Imported", "load_atr", "rule_from_atr"]

ATR_PACK = "atr"
PINNED = "0.3.1"  # the pyatr version whose rules were measured (rule_rates.json)

_ALL = (Role.USER, Role.DOCUMENT, Role.ASSISTANT)
FIELD_ROLES: dict[str, tuple[Role, ...]] = {
    "user_input": (Role.USER,),
    "tool_response": (Role.DOCUMENT,),
    "tool_description": (Role.DOCUMENT,),
    "agent_output": (Role.ASSISTANT,),
    "tool_args": (Role.ASSISTANT,),
    "tool_name": (Role.ASSISTANT,),
    "tool_input": (Role.ASSISTANT,),
    "content": _ALL,
}
# ATR's category -> (OWASP LLM Top 10 2025 ids, MITRE ATLAS techniques)
CATEGORY_MAP: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "prompt-injection": (("LLM01:2025",), ("AML.T0051.000",)),
    "tool-poisoning": (("LLM01:2025",), ("AML.T0051.001",)),
    "agent-manipulation": (("LLM01:2025",), ("AML.T0051.000",)),
    "context-exfiltration": (("LLM02:2025",), ("AML.T0057",)),
    "privilege-escalation": (("LLM06:2025",), ()),
    "excessive-autonomy": (("LLM06:2025",), ()),
    "skill-compromise": (("LLM03:2025",), ()),
    "model-security": (("LLM03:2025",), ()),
    "data-poisoning": (("LLM04:2025",), ()),
    "model-abuse": (("LLM10:2025",), ()),
}


@dataclass(kw_only=True)
class Imported:
    version: str
    rules: list[Rule] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # rule id -> ATR's status
    skipped: dict[str, str] = field(default_factory=dict)  # rule id -> why not imported


@lru_cache(maxsize=1)
def load_atr() -> Imported:
    """Read once per process: the installed wheel does not change under it, and 826
    rules take seconds to validate. Callers must not change what it returns."""
    try:
        from importlib.metadata import version

        installed = version("pyatr")
        text = resources.files("pyatr").joinpath("_bundled_rules.json").read_text("utf-8")
    except (ImportError, ModuleNotFoundError, FileNotFoundError):
        raise DependencyError("pyatr", "guard") from None
    out = Imported(version=installed)
    for raw in json.loads(text):
        rid = f"{ATR_PACK}:{raw.get('id', '?')}"
        try:
            out.rules.append(rule_from_atr(raw))
            out.status[rid] = str(raw.get("status", ""))
        except (ValueError, KeyError, TypeError) as exc:
            out.skipped[rid] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return out


def rule_from_atr(raw: dict[str, Any]) -> Rule:
    detection = raw["detection"]
    match = str(detection.get("condition", "any"))
    patterns: list[dict[str, Any]] = []
    unreadable: list[str] = []
    for cond in detection.get("conditions", []):
        read = FIELD_ROLES.get(str(cond.get("field")))
        if read is None or cond.get("operator") != "regex":
            unreadable.append(f"{cond.get('field')} {cond.get('operator')}")
            continue
        patterns.append({"regex": str(cond["value"]), "roles": list(read)})
    if not patterns or (match == "all" and unreadable):
        raise ValueError(f"no condition channelguard can read ({', '.join(unreadable)})")
    category = str(raw.get("tags", {}).get("category", "prompt-injection"))
    owasp, atlas = CATEGORY_MAP.get(category, (("LLM01:2025",), ()))
    roles = sorted({r for p in patterns for r in p["roles"]}, key=_ALL.index)  # ATR's order
    try:
        return Rule.model_validate(
            {
                "id": f"{ATR_PACK}:{raw['id']}",
                "title": str(raw["title"]),
                "severity": str(raw.get("severity", "medium")).lower(),
                "domain": "security",
                "category": category,
                "owasp": list(owasp),
                "atlas": list(atlas),
                "roles": roles,
                "match": match,
                "patterns": patterns,
                "description": str(raw.get("description", "")).strip(),
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {first['msg']}") from None
