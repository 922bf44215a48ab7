"""The review as SARIF 2.1.0, so a channel model checked in CI shows its findings
in code-scanning tools: one rule per policy rule (and one for exposure), one
result per finding, located at the line of the action or path in the model file."""

from __future__ import annotations

from typing import Any

from channelguard import __version__
from channelguard.model.loader import LoadedModel
from channelguard.model.yamlsource import read_yaml
from channelguard.report.text import chain
from channelguard.review.review import Review

__all__ = ["review_to_sarif"]

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def review_to_sarif(loaded: LoadedModel, review: Review) -> dict[str, Any]:
    lines = _lines(loaded)
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for f in review.findings:
        rules.setdefault(f.rule, {"id": f.rule, "shortDescription": {"text": f.rule}})
        where = f"{f.action}/{f.path}" if f.path else f.action
        results.append(
            _result(
                f.rule,
                LEVEL.get(f.severity, "warning"),
                f"{where}: {f.message}",
                loaded,
                lines.get((f.action, f.path)) or lines.get((f.action, None)),
            )
        )
    for a in review.actions:
        if not a.exposed:
            continue
        rules.setdefault(
            "exposed-action",
            {
                "id": "exposed-action",
                "shortDescription": {"text": "impact above the cheapest attack"},
            },
        )
        cost = a.expected_cost_usd
        text = (
            f"{a.id}: impact ${a.impact_usd:,.0f} exceeds the cheapest attack (${cost:,.2f}): "
            + chain(a.attack)
        )
        results.append(_result("exposed-action", "error", text, loaded, lines.get((a.id, None))))
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "channelguard",
                        "version": __version__,
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }


def _result(
    rule: str, level: str, text: str, loaded: LoadedModel, line: int | None
) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": loaded.file}}
    if line is not None:
        location["region"] = {"startLine": line}
    return {
        "ruleId": rule,
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": location}],
    }


def _lines(loaded: LoadedModel) -> dict[tuple[str, str | None], int]:
    """The line of every action and path in the model file (none for a model in memory)."""
    try:
        doc = read_yaml(loaded.file)
    except Exception:
        return {}
    out: dict[tuple[str, str | None], int] = {}
    for a, action in enumerate(loaded.model.actions):
        line = doc.line_of(("actions", a))
        if line is not None:
            out[(action.id, None)] = line
        for p, path in enumerate(action.paths):
            line = doc.line_of(("actions", a, "paths", p))
            if line is not None:
                out[(action.id, path.id)] = line
    return out
