"""What one delivery posts: the event as JSON (`format: json`), or a Slack message
(`format: slack`, an incoming-webhook `{"text", "blocks"}` body).

Everything in a Slack message that came from outside (titles, summaries, tenant
and owner names: an attacker can shape an incident's title through what they
send) has Slack's control characters escaped (`&`, `<`, `>`), so no text can
become `<!channel>`, a user mention or a link; it is also cut to Slack's limits.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from channelguard.escape import control_free

__all__ = ["event_json", "json_body", "slack_body", "slack_escape"]

SECTION_CHARS = 2900  # Slack's section text limit is 3000
TEXT_CHARS = 1000


def event_json(
    *, event_id: str, type: str, tenant: str, occurred_at: datetime, body: dict[str, Any]
) -> dict[str, Any]:
    """The event as a receiver gets it: id, type, tenant, when, and what the outbox
    stored (the incident's summary as stored, redacted; what changed)."""
    return {
        "id": event_id,
        "type": type,
        "tenant": tenant,
        "occurred_at": occurred_at.isoformat(),
        **body,
    }


def json_body(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def slack_escape(text: str) -> str:
    """Text Slack shows as written: its three control characters escaped (Slack's
    own rule: mentions, channel pings and links all start with `<`)."""
    cleaned = control_free(text) if text else ""
    return cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_body(event: dict[str, Any]) -> bytes:
    incident = event.get("incident") or {}
    head = _cut(
        f"[{incident.get('severity', '?')}] {event['type']}: "
        f"#{incident.get('id', '?')} {incident.get('title', '')}",
        TEXT_CHARS,
    )
    facts = [
        ("Tenant", event.get("tenant", "")),
        ("Status", incident.get("status", "")),
        ("Lead", incident.get("lead", "")),
        ("Change", event.get("change", "")),
    ]
    clock = event.get("clock")
    if isinstance(clock, dict):
        facts.append(("Clock overdue", f"{clock.get('kind', '')} (due {clock.get('due_at', '')})"))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": slack_escape(head)}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*{name}*\n{slack_escape(_cut(str(v), 200))}"}
                for name, v in facts
                if v
            ],
        },
    ]
    summary = str(incident.get("summary") or "")
    if summary:
        text = slack_escape(_cut(summary, SECTION_CHARS // 2))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "plain_text", "text": f"channelguard event {event['id']}"}],
        }
    )
    if not blocks[1]["fields"]:
        del blocks[1]
    payload = {"text": slack_escape(head), "blocks": blocks}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
