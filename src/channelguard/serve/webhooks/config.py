"""`webhooks:` (the endpoints) and `webhook_delivery:` (retries, timeouts) in the
service configuration, checked before the service starts.

    webhooks:
      - url: https://hooks.example.com/channelguard
        secret_env: CHANNELGUARD_WEBHOOK_SECRET     # or secret: / secret_file:
        events: [incident.opened, incident.clock_overdue]
        format: json                                 # or slack

A URL must be https, or http to a loopback address (or `allow_http: true`); it may
not carry credentials. A secret has at least 32 characters and comes from exactly
one of `secret`, `secret_file` (owner-only) or `secret_env`; a Slack endpoint (its
URL is the secret) may have none.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import urllib.parse
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from channelguard.register.outbox import EVENT_TYPES

__all__ = ["EventType", "WebhookDelivery", "WebhookEndpoint", "read_secret_file"]

EventType = Literal["incident.opened", "incident.updated", "incident.clock_overdue", "drift.alert"]
MIN_SECRET_CHARS = 32
if set(get_args(EventType)) != set(EVENT_TYPES):  # one list of types: the outbox's
    raise ImportError("webhook EventType and register.outbox.EVENT_TYPES disagree")


class WebhookEndpoint(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # a name for the endpoint (default: from its URL), unique
    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    # https, or http to a loopback address (or allow_http); no credentials in it
    url: str = Field(max_length=2000)
    # the HMAC signing secret (>= 32 characters); or secret_file / secret_env
    secret: SecretStr | None = None
    # a file holding the secret, readable by its owner only
    secret_file: Path | None = None
    # the environment variable holding the secret
    secret_env: str | None = Field(default=None, max_length=200)
    # the event types sent to this endpoint
    events: tuple[EventType, ...] = EVENT_TYPES  # type: ignore[assignment]
    # json (signed) or slack (a message for a Slack incoming webhook)
    format: Literal["json", "slack"] = "json"
    tenant: str | None = Field(default=None, max_length=64)  # None: every tenant's events
    # allow a plain http URL to another host (not recommended)
    allow_http: bool = False

    @field_validator("events")
    @classmethod
    def _some_events(cls, events: tuple[str, ...]) -> tuple[str, ...]:
        if not events:
            raise ValueError("name at least one event (or leave events out for all)")
        return events

    @model_validator(mode="after")
    def _checked(self) -> WebhookEndpoint:
        _check_url(self.url, allow_http=self.allow_http)
        given = [n for n in ("secret", "secret_file", "secret_env") if getattr(self, n) is not None]
        if len(given) > 1:
            raise ValueError(f"give one of secret, secret_file, secret_env (not {given})")
        if not given and self.format != "slack":
            raise ValueError("a secret is needed: secret, secret_file or secret_env")
        if given:
            self.secret_bytes()  # fail at start-up, not at the first delivery
        return self

    @property
    def key(self) -> str:
        """The endpoint's id in the outbox: its `id`, else a digest of its URL."""
        return self.id or "url-" + hashlib.sha256(self.url.encode()).hexdigest()[:16]

    def secret_bytes(self) -> bytes:
        """The signing secret (b"" for a Slack endpoint without one), checked."""
        if self.secret is not None:
            value, where = self.secret.get_secret_value(), "secret"
        elif self.secret_file is not None:
            value = read_secret_file(self.secret_file, "webhook secret_file")
            where = "secret_file"
        elif self.secret_env is not None:
            value, where = os.environ.get(self.secret_env, ""), f"secret_env {self.secret_env}"
        else:
            return b""
        if len(value.strip()) < MIN_SECRET_CHARS:
            raise ValueError(f"webhook {where}: at least {MIN_SECRET_CHARS} characters")
        return value.strip().encode()


class WebhookDelivery(BaseModel):
    """How the worker delivers: polling, the HTTP timeout, exponential backoff with
    jitter (base doubling up to the cap), and the attempts before a delivery is dead."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # how often the worker looks for events to deliver
    poll_seconds: float = Field(default=2, gt=0, le=3600)
    # one delivery's HTTP timeout
    timeout_seconds: float = Field(default=10, gt=0, le=120)
    # the first retry's wait; it doubles (with jitter) up to the cap
    backoff_base_seconds: float = Field(default=5, gt=0, le=86_400)
    # the longest wait between retries
    backoff_cap_seconds: float = Field(default=3600, gt=0, le=7 * 86_400)
    # attempts before a delivery is dead (kept, not retried)
    max_attempts: int = Field(default=12, ge=1, le=1000)
    # events older than this when first seen get no delivery (a backlog from before)
    max_event_age_seconds: float = Field(default=86_400, gt=0)
    # how often overdue incident clocks are looked for
    clock_check_seconds: float = Field(default=60, gt=0, le=86_400)


def _check_url(url: str, *, allow_http: bool) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"webhook url {url[:100]!r}: an http(s) URL with a host")
    if parts.username or parts.password:
        raise ValueError("webhook url: no credentials in the URL (use the secret)")
    if parts.scheme == "http" and not allow_http and not _loopback(parts.hostname):
        raise ValueError(
            f"webhook url {url[:100]!r}: plain http to a host that is not loopback; "
            "use https, or allow_http: true"
        )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_secret_file(file: Path, where: str) -> str:
    """A secret file's text; one other users may read is refused (it is a key)."""
    try:
        if file.stat().st_mode & 0o077:
            raise ValueError(f"{where}: {file} may be read by others: chmod 600 it")
        return file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{where}: cannot read {file}: {exc.strerror}") from None
