"""Incident exports: JSON and CSV for anyone, STIX 2.1 bundles of the security
incidents for a security operations centre (built and checked by the `stix2`
library), and a Markdown report for legal and executives."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from channelguard.errors import DependencyError, InputError
from channelguard.escape import markdown as md
from channelguard.register.views import IncidentView
from channelguard.register.vocab import OWASP_LLM, atlas_techniques

__all__ = ["FORMATS", "MEDIA_TYPES", "export_incidents"]

MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "stix": "application/stix+json",
    "md": "text/markdown",
}
FORMATS = tuple(MEDIA_TYPES)
CSV_FIELDS = (
    "id", "version", "title", "domain", "cause", "harm_type", "severity", "status", "lead",
    "playbook", "owasp", "atlas", "channel", "action", "path", "factor", "detected_at",
    "created_at", "updated_at", "clocks_overdue",
)  # fmt: skip
# a fixed namespace: the same incident always gets the same STIX id
NAMESPACE = uuid.UUID("0b8f3f0e-4c52-5a8e-9a1b-6c1f1a0c9b11")


def export_incidents(incidents: Sequence[IncidentView], fmt: str) -> str:
    if fmt == "json":
        data = {"incidents": [i.to_json() for i in incidents]}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(incidents)
    if fmt == "stix":
        return _stix(incidents)
    if fmt == "md":
        return "\n".join(_markdown(i) for i in incidents) or "No incidents.\n"
    raise InputError(f"--format '{fmt}': choose one of {', '.join(FORMATS)}")


def _csv(incidents: Sequence[IncidentView]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for inc in incidents:
        control = inc.failed_control
        row = {k: getattr(inc, k, "") for k in CSV_FIELDS}
        row.update(
            owasp=" ".join(inc.owasp),
            atlas=" ".join(inc.atlas),
            channel=control.get("channel") or "",
            action=control.get("action") or "",
            path=control.get("path") or "",
            factor=control.get("factor") or "",
            clocks_overdue=" ".join(c.kind for c in inc.clocks if c.state == "overdue"),
        )
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    # a spreadsheet runs a cell that starts with = + - @ as a formula: quote it
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _stix(incidents: Sequence[IncidentView]) -> str:
    try:
        import stix2
    except ImportError:
        raise DependencyError("stix2", "serve") from None
    identity = stix2.Identity(
        id=f"identity--{uuid.uuid5(NAMESPACE, 'channelguard')}",
        name="channelguard",
        identity_class="system",
    )
    objects: list[Any] = [identity]
    patterns: dict[str, Any] = {}
    for inc in incidents:
        if inc.domain not in ("security", "both"):
            continue  # safety failures are not for the SOC feed
        incident = stix2.Incident(
            id=f"incident--{uuid.uuid5(NAMESPACE, 'incident-' + str(inc.id))}",
            created=datetime.fromisoformat(inc.created_at),
            modified=datetime.fromisoformat(inc.updated_at),
            created_by_ref=identity.id,
            name=inc.title,
            description=_stix_description(inc),
            labels=[inc.harm_type, inc.severity, inc.status],
            external_references=[
                {"source_name": "channelguard", "external_id": f"incident-{inc.id}"},
                *[
                    {
                        "source_name": "owasp-llm-top-10",
                        "external_id": o,
                        "description": OWASP_LLM[o],
                    }
                    for o in inc.owasp
                ],
            ],
        )
        objects.append(incident)
        for technique in inc.atlas:
            if technique not in patterns:
                patterns[technique] = stix2.AttackPattern(
                    id=f"attack-pattern--{uuid.uuid5(NAMESPACE, technique)}",
                    name=atlas_techniques().get(technique, technique),
                    external_references=[
                        {
                            "source_name": "mitre-atlas",
                            "external_id": technique,
                            "url": f"https://atlas.mitre.org/techniques/{technique.split('.')[0]}.{technique.split('.')[1]}",
                        }
                    ],
                )
                objects.append(patterns[technique])
            objects.append(stix2.Relationship(incident, "related-to", patterns[technique]))
    bundle = stix2.Bundle(objects=objects, allow_custom=False)
    return str(bundle.serialize(pretty=True)) + "\n"


def _stix_description(inc: IncidentView) -> str:
    where = ", ".join(f"{k} {v}" for k, v in inc.failed_control.items() if v)
    parts = [
        inc.summary,
        f"Lead: {inc.lead}.",
        f"Failed control: {where}." if where else "",
    ]
    return " ".join(p for p in parts if p)


def _markdown(inc: IncidentView) -> str:
    """Every stored value through `md`: a title or channel can never be a heading,
    a link or HTML in the report (enum values and times are ours, escaped anyway)."""
    control = inc.failed_control
    owners = inc.owners
    lines = [
        f"# Incident {inc.id}: {md(inc.title)}",
        "",
        f"- **Severity** {md(inc.severity)} · **status** {md(inc.status)}"
        + f" · **domain** {md(inc.domain)}"
        + (f" ({md(inc.domain_reason)})" if inc.domain_reason else "")
        + f" · **cause** {md(inc.cause)}",
        f"- **Lead: {md(inc.lead)}**"
        + (f" ({md(owners[inc.lead])})" if inc.lead in owners else "")
        + f"; playbook {md(inc.playbook)}",
        f"- Detected {md(inc.detected_at)}",
    ]
    if any(control.values()):
        lines.append(
            "- Failed control: " + ", ".join(f"{k} {md(v)}" for k, v in control.items() if v)
        )
    if inc.owasp or inc.atlas:
        lines.append(
            "- Categories: "
            + ", ".join(
                [f"{md(o)} {OWASP_LLM.get(o, '')}" for o in inc.owasp]
                + [f"{md(a)} {atlas_techniques().get(a, '')}" for a in inc.atlas]
            )
        )
    if inc.summary:
        lines += ["", md(inc.summary)]
    if inc.clocks:
        lines += ["", "## Clocks", "", "| clock | basis | due | state |", "|---|---|---|---|"]
        lines += [
            f"| {md(c.label)} | {md(c.basis)} | {md(c.due_at)} | {md(c.state)} |"
            for c in inc.clocks
        ]
    if inc.steps:
        lines += ["", "## Response steps", "", "| step | role | due | state |", "|---|---|---|---|"]
        lines += [
            f"| {md(s.do)} | {md(s.role)} | {md(s.due_at)} | {md(s.state)}"
            + (f" ({md(s.done_by)})" if s.done_by else "")
            + " |"
            for s in inc.steps
        ]
    if inc.compromised:
        lines += ["", "## Factors compromised by this incident", ""]
        lines += [f"- {md(c['factor'])} for {md(c['scope'])} customers" for c in inc.compromised]
    if inc.links:
        lines += ["", "## Linked incidents", ""]
        lines += [f"- #{lk.from_} {md(lk.type)} #{lk.to}" for lk in inc.links]
    omitted = inc.evidence_omitted
    lines += [
        "",
        f"Seen {md(str(inc.seen))} time(s) across {md(str(inc.session_count))}"
        + f" session(s); {md(str(len(inc.evidence)))} evidence item(s)"
        + (f", {md(str(omitted))} more counted, not kept" if omitted else ""),
    ]
    if inc.timeline:
        lines += ["", "## Timeline", ""]
        for t in inc.timeline:
            lines.append(f"- {md(t.at)} {md(t.actor)}: {md(t.what)}")
            if t.caused_by:
                lines.append(f"  - caused by {md(t.caused_by)}")
            for name, values in t.changes.items():
                old = _plain(values["old"]) if "old" in values else "(not recorded)"
                lines.append(f"  - {md(name)}: {md(old)} → {md(_plain(values.get('new')))}")
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> str:
    """A changed value as text (JSON for lists and objects); escaped by the caller."""
    if value is None:
        return "-"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
