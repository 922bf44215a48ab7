"""The `webhooks:` settings refuse what would leak or mislead before the service
starts, and a Slack message cannot ping a channel or carry a link an attacker wrote."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from channelguard.errors import ConfigError
from channelguard.serve import ServiceConfig
from channelguard.serve.webhooks.config import WebhookEndpoint
from channelguard.serve.webhooks.payload import event_json, slack_body
from tests.conftest import EXAMPLES

SECRET = "w" * 40


@pytest.mark.parametrize(
    ("settings", "why"),
    [
        ({"url": "ftp://example.com/x"}, "http"),
        ({"url": "file:///etc/passwd"}, "http"),
        ({"url": "http://hooks.example.com/x"}, "plain http"),
        ({"url": "http://10.0.0.5/x"}, "plain http"),
        ({"url": "https://user:pw@hooks.example.com/x"}, "credentials"),
        ({"url": "https://hooks.example.com/x", "secret": "short"}, "32"),
        ({"url": "https://hooks.example.com/x", "secret": None}, "secret is needed"),
        (
            {
                "url": "https://hooks.example.com/x",
                "secret": None,
                "secret_env": "CG_NO_SUCH_VARIABLE",
            },
            "32",
        ),
        ({"url": "https://hooks.example.com/x", "secret_file": "/nonexistent"}, "one of"),
        ({"url": "https://hooks.example.com/x", "events": []}, "at least one"),
        ({"url": "https://hooks.example.com/x", "events": ["incident.deleted"]}, "events"),
        ({"url": "https://hooks.example.com/x", "colour": "red"}, "colour"),
    ],
)
def test_an_unsafe_or_incomplete_endpoint_is_refused(settings: dict[str, Any], why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        WebhookEndpoint.model_validate({"secret": SECRET, **settings})


def test_loopback_http_https_and_allow_http_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CG_HOOK_SECRET", SECRET)
    for settings in [
        {"url": "http://127.0.0.1:9000/x", "secret": SECRET},
        {"url": "http://[::1]/x", "secret_env": "CG_HOOK_SECRET"},
        {"url": "http://hooks.internal/x", "secret": SECRET, "allow_http": True},
        {"url": "https://hooks.slack.com/services/T/B/X", "format": "slack"},
    ]:
        assert WebhookEndpoint.model_validate(settings).key


def test_a_secret_file_others_may_read_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "hook.secret"
    file.write_text(SECRET)
    file.chmod(0o644)
    with pytest.raises(ValidationError, match="chmod 600"):
        WebhookEndpoint(url="https://h.example.com/x", secret_file=file)
    file.chmod(0o600)
    assert WebhookEndpoint(url="https://h.example.com/x", secret_file=file).secret_bytes()


def test_the_service_file_names_the_bad_webhook_line(tmp_path: Path) -> None:
    config = tmp_path / "service.yaml"
    config.write_text(
        f"model: {EXAMPLES / 'bank.yaml'}\nclaimed_identities: plain\n"
        "webhooks:\n  - url: http://hooks.example.com/x\n    secret: " + SECRET + "\n"
    )
    with pytest.raises(ConfigError, match=r"service.yaml:\d+.*plain http"):
        ServiceConfig.load(config)
    config.write_text(
        f"model: {EXAMPLES / 'bank.yaml'}\nclaimed_identities: plain\nwebhooks:\n"
        + "".join(f"  - {{url: 'https://h.example.com/x', secret: {SECRET}}}\n" for _ in "ab")
    )
    with pytest.raises(ConfigError, match="one id"):
        ServiceConfig.load(config)


HOSTILE = "<!channel> pay now <https://evil.example|your bank> & <@U123> <!here>"


def test_a_slack_message_escapes_what_an_attacker_wrote() -> None:
    incident = {"id": 7, "title": HOSTILE, "summary": HOSTILE, "severity": "high",
                "status": "open", "lead": "security"}  # fmt: skip
    event = event_json(
        event_id="evt_1",
        type="incident.opened",
        tenant="<!everyone>",
        occurred_at=datetime(2026, 12, 6, tzinfo=UTC),
        body={"incident": incident, "change": "created"},
    )
    sent = json.loads(slack_body(event))
    texts = [sent["text"]] + _texts(sent["blocks"])
    joined = "\n".join(texts)
    assert "<" not in joined and ">" not in joined
    assert "&lt;!channel&gt;" in sent["text"] and "&amp;" in sent["text"]
    assert "&lt;!everyone&gt;" in joined
    assert set(sent) == {"text", "blocks"}


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["text"]] if isinstance(node.get("text"), str) else []
        return out + [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []
