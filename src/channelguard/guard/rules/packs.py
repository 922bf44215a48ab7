"""Which rules run: the shipped packs (channelguard's own, ATR), the user's, less
the ones turned off.

A shipped rule runs by default only when `data/rule_rates.json` (written by
`python bench/rules.py --write-rates`) measured it at or under the bar (0.1%)
on every real benign group and its own examples pass; the file keeps each
rule's measured rates and why it is off. A shipped rule the file does not list
(never measured) is off. Every rule of a user's pack runs: the user chose it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from channelguard.errors import ConfigError, InputError, Issue
from channelguard.guard.rules.model import Pack, Rule, read_pack

__all__ = [
    "RATES_FILE",
    "Selection",
    "lint_packs",
    "load_rates",
    "own_pack_files",
    "pack_files",
    "select_rules",
    "shipped_rules",
    "shipped_sources",
    "user_rules",
]

RATES_FILE = "rule_rates.json"


@dataclass(kw_only=True)
class Selection:
    rules: list[Rule]  # the rules that run
    off: dict[str, str] = field(default_factory=dict)  # shipped rule id -> why it does not
    atr_version: str | None = None


def own_pack_files() -> list[Path]:
    folder = Path(str(resources.files("channelguard"))) / "data" / "rules"
    return sorted(folder.glob("*.yaml"))


def load_rates() -> dict[str, Any]:
    text = resources.files("channelguard").joinpath("data", RATES_FILE).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def shipped_rules() -> tuple[list[Rule], str]:
    """channelguard's own pack and ATR from the installed pyatr (its version)."""
    from channelguard.guard.rules.atr import load_atr

    imported = load_atr()
    own = [r for pack in _read_all(own_pack_files()) for r in pack.rules]
    return own + imported.rules, imported.version


def shipped_sources() -> list[str]:
    """Every pattern of every shipped rule, on or off."""
    return [p.regex for rule in shipped_rules()[0] for p in rule.patterns]


def user_rules(folders: list[str]) -> list[Rule]:
    return [r for pack in _read_all(pack_files(folders)) for r in pack.rules]


def pack_files(folders: list[str]) -> list[Path]:
    """The pack files named: a file itself, a folder's *.yaml and *.yml."""
    files: list[Path] = []
    for name in folders:
        folder = Path(name)
        if folder.is_file():
            files.append(folder)
        elif folder.is_dir():
            files += sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
        else:
            raise InputError(f"{name}: no such rule pack file or folder")
    return files


def select_rules(
    *, folders: list[str], disabled: list[str], every: bool = False, shipped_packs: bool = True
) -> Selection:
    """The rules to run. `every` runs every shipped rule, off or not (measurement);
    without `shipped_packs`, only the user's (lint)."""
    shipped, version = shipped_rules() if shipped_packs else ([], None)
    mine = user_rules(folders)
    rates = load_rates().get("rules", {})
    off: dict[str, str] = {}
    chosen: list[Rule] = []
    for rule in shipped:
        entry = rates.get(rule.id)
        if every or (entry is not None and entry.get("on")):
            chosen.append(rule)
        else:
            off[rule.id] = entry.get("why", "off") if entry else "not measured"
    shipped_ids = {r.id for r in shipped}
    ids = set(shipped_ids)
    for rule in mine:
        if rule.id in ids:
            whose = "a shipped pack has it" if rule.id in shipped_ids else "two of your packs"
            raise ConfigError(f"rule '{rule.id}' is defined twice ({whose})")
        ids.add(rule.id)
        chosen.append(rule)
    unknown = sorted(set(disabled) - ids)
    if unknown:
        raise InputError(f"--disable-rule: no rule has the id {', '.join(unknown)}")
    for rid in disabled:
        off[rid] = "turned off by the user"
    return Selection(
        rules=[r for r in chosen if r.id not in set(disabled)], off=off, atr_version=version
    )


def lint_packs(files: list[Path]) -> list[Issue]:
    """Every problem in every file (a lint collects them all; loading stops at the
    first), and what `scan` would refuse when your packs load beside the shipped ones:
    a shipped pack's name (`cg`, `atr`), a shipped rule's id, an id two of your files
    share."""
    from channelguard.model.yamlsource import read_yaml

    issues: list[Issue] = []
    shipped = {r.id for r in shipped_rules()[0]}
    names = {rid.split(":", 1)[0] for rid in shipped}
    seen: dict[str, Path] = {}
    for path in files:
        pack, found = read_pack(path)
        issues += found
        if pack is None:
            continue
        doc = read_yaml(path)
        if pack.pack in names:
            issues.append(
                doc.issue(("pack",), f"'{pack.pack}' is a shipped pack's name: choose another")
            )
        for i, rule in enumerate(pack.rules):
            if rule.id in shipped:
                issues.append(
                    doc.issue(
                        ("rules", i, "id"),
                        f"'{rule.id}' is a shipped rule's id: scan refuses a rule defined twice",
                    )
                )
            elif rule.id in seen and seen[rule.id].resolve() != path.resolve():
                issues.append(
                    doc.issue(("rules", i, "id"), f"'{rule.id}' is defined in {seen[rule.id]} too")
                )
            seen.setdefault(rule.id, path)
    return issues


def _read_all(files: list[Path]) -> list[Pack]:
    packs: list[Pack] = []
    for path in files:
        pack, issues = read_pack(path)
        if issues or pack is None:
            raise ConfigError("\n".join(str(i) for i in issues))
        packs.append(pack)
    return packs
