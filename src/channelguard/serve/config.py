"""Service configuration from a YAML file and the environment (CHANNELGUARD_*),
validated before anything starts: a bad value stops start-up with a message
that names it, never a half-configured service.

Environment (overrides the file): CHANNELGUARD_MODEL, CHANNELGUARD_DATABASE_URL,
CHANNELGUARD_HOST, CHANNELGUARD_PORT, CHANNELGUARD_MAX_REQUEST_BYTES,
CHANNELGUARD_REDACT_EVIDENCE, CHANNELGUARD_SHADOW, CHANNELGUARD_FILING_MIN_SEVERITY,
CHANNELGUARD_RATE_LIMIT_PER_SECOND, CHANNELGUARD_RATE_LIMIT_BURST,
CHANNELGUARD_FILING_WINDOW_SECONDS, CHANNELGUARD_FILING_EVIDENCE_CAP,
CHANNELGUARD_FILING_MAX_INCIDENTS_PER_HOUR, CHANNELGUARD_IDENTITY_SECRET,
CHANNELGUARD_IDENTITY_SECRET_FILE, CHANNELGUARD_CLAIMED_IDENTITIES,
CHANNELGUARD_MAX_CLOCK_SKEW_SECONDS,
CHANNELGUARD_ANONYMOUS_RATE_LIMIT_PER_SECOND, CHANNELGUARD_ANONYMOUS_RATE_LIMIT_BURST,
CHANNELGUARD_REVIEW_PLAN_BUDGET_SECONDS, CHANNELGUARD_DOCS.

Claimed identities are stored as keyed hashes (HMAC-SHA256) by default, so the
service needs a secret: `identity_secret` (better, the environment variable) or
`identity_secret_file`, a file only its owner may read. Without one it does not
start (unless `claimed_identities: plain`): it never makes one up, since a
secret generated per replica would split what replicas remember.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from channelguard.errors import ConfigError
from channelguard.model.loader import schema_issues
from channelguard.model.yamlsource import read_yaml
from channelguard.register.db import default_url
from channelguard.register.vocab import Severity
from channelguard.serve.telemetry import TelemetryConfig
from channelguard.serve.webhooks.config import WebhookDelivery, WebhookEndpoint, read_secret_file

__all__ = ["GuardConfig", "ServiceConfig"]

ENV = {
    "CHANNELGUARD_MODEL": "model",
    "CHANNELGUARD_DATABASE_URL": "database_url",
    "CHANNELGUARD_HOST": "host",
    "CHANNELGUARD_PORT": "port",
    "CHANNELGUARD_MAX_REQUEST_BYTES": "max_request_bytes",
    "CHANNELGUARD_REDACT_EVIDENCE": "redact_evidence",
    "CHANNELGUARD_SHADOW": "shadow",
    "CHANNELGUARD_FILING_MIN_SEVERITY": "filing_min_severity",
    "CHANNELGUARD_RATE_LIMIT_PER_SECOND": "rate_limit_per_second",
    "CHANNELGUARD_RATE_LIMIT_BURST": "rate_limit_burst",
    "CHANNELGUARD_FILING_WINDOW_SECONDS": "filing_window_seconds",
    "CHANNELGUARD_FILING_EVIDENCE_CAP": "filing_evidence_cap",
    "CHANNELGUARD_FILING_MAX_INCIDENTS_PER_HOUR": "filing_max_incidents_per_hour",
    "CHANNELGUARD_IDENTITY_SECRET": "identity_secret",
    "CHANNELGUARD_IDENTITY_SECRET_FILE": "identity_secret_file",
    "CHANNELGUARD_CLAIMED_IDENTITIES": "claimed_identities",
    "CHANNELGUARD_MAX_CLOCK_SKEW_SECONDS": "max_clock_skew_seconds",
    "CHANNELGUARD_ANONYMOUS_RATE_LIMIT_PER_SECOND": "anonymous_rate_limit_per_second",
    "CHANNELGUARD_ANONYMOUS_RATE_LIMIT_BURST": "anonymous_rate_limit_burst",
    "CHANNELGUARD_REVIEW_PLAN_BUDGET_SECONDS": "review_plan_budget_seconds",
    "CHANNELGUARD_DOCS": "docs",
    "CHANNELGUARD_ACCESS_LOG": "access_log",
}
MIN_SECRET_CHARS = 32


class GuardConfig(BaseModel):
    """`guard:` in the service file: the detectors, rule packs of your own, rules turned
    off, and per-tenant calibrations (`channelguard guard calibrate --write`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # the detectors, as --detectors names them (default: the default set); "default"
    # stands for that set: [default, claim_number] adds an opt-in recogniser, yours too
    detectors: tuple[str, ...] | None = Field(default=None, min_length=1, max_length=200)
    rules: tuple[Path, ...] = ()  # rule pack files or folders
    disable_rules: tuple[str, ...] = ()  # rule ids, e.g. atr:ATR-2026-00005
    calibration: tuple[Path, ...] = ()  # calibration files, one per tenant (each names it)
    # the multilingual stage on text that is not English (guard/multilingual.py): auto
    # runs it where the `multilingual` extra is installed; on refuses to start without it
    multilingual: Literal["auto", "on", "off"] = "auto"


class ServiceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # the channel model (YAML) the service decides on
    model: Path
    # the register: a SQLAlchemy URL (sqlite:///PATH or postgresql+psycopg://...)
    database_url: str = Field(default_factory=default_url)
    # the address to listen on (127.0.0.1: this machine only)
    host: str = "127.0.0.1"
    # the port to listen on
    port: int = Field(default=8080, ge=1, le=65535)
    # one line per request on stderr (logger channelguard.access): time, client address,
    # method, route, status, milliseconds, the key's id and tenant; never a body or query
    access_log: bool = True
    # addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are
    # believed (the client address that rate limits and the access log use); empty:
    # none, every client's own address counts (a client cannot claim another)
    trusted_proxies: tuple[str, ...] = Field(default=(), max_length=100)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """Each an IP address or network; "*" (every client believed about its own
        address, so the per-address limits are void) is refused."""
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8)"
                ) from None
        return value

    # a request body over this is refused (413) before it is read
    max_request_bytes: int = Field(default=1_000_000, ge=1_000, le=100_000_000)
    # personal data out of stored events, evidence and every free-text field of an incident
    redact_evidence: bool = True
    shadow: bool = False  # decide and record, never block (rollout)
    # an unknown factor in a verification or signal name is an error event (else a warning)
    strict: bool = True
    filing: bool = True  # open incidents automatically
    # the lowest severity of a decision's finding that opens an incident
    filing_min_severity: Severity = Severity.HIGH
    # flood control (register/grouping.py): one incident per tenant, technique and window,
    # its automatic evidence capped, and an alert past the hourly rate of incidents
    filing_window_seconds: float = Field(default=3600, gt=0, le=30 * 24 * 3600)
    # automatic evidence items kept on one incident
    filing_evidence_cap: int = Field(default=50, ge=2, le=100_000)
    # past this many incidents an hour per tenant, an alert
    filing_max_incidents_per_hour: int = Field(default=20, ge=1, le=1_000_000)
    # a detector's score at or over this is a finding
    guard_threshold: float = Field(default=0.5, gt=0, le=1)
    # rule packs, rules turned off and calibrations (below)
    guard: GuardConfig = Field(default_factory=lambda: GuardConfig())
    playbooks: Path | None = None  # a folder of your own; default: the shipped ones
    # a session idle this long starts afresh (its stored events and decisions stay);
    # at most a day: retention's shortest cut-off (a day) must never cut a live session
    session_ttl_seconds: float = Field(default=4 * 3600, gt=0, le=86_400)
    # requests per API key and replica: a leaked or looping key cannot flood the
    # service or the database; 0 turns the limit off
    rate_limit_per_second: float = Field(default=100, ge=0, le=1_000_000)
    # requests a key may send at once before the rate applies
    rate_limit_burst: int = Field(default=200, ge=1, le=1_000_000)
    # claimed identities: stored as HMAC-SHA256 under this secret, or kept plain
    claimed_identities: Literal["hmac", "plain"] = "hmac"
    # the secret claimed identities are hashed under (>= 32 characters)
    identity_secret: SecretStr | None = None
    # or a file holding it, readable by its owner only
    identity_secret_file: Path | None = None
    # an event's `at` further than this ahead of the server's clock is an error
    max_clock_skew_seconds: float = Field(default=300, ge=0, le=86_400)
    # requests without a valid key (open routes, missing or unknown keys) per client
    # address: guessing keys or hammering /healthz is slowed; 0 turns it off
    anonymous_rate_limit_per_second: float = Field(default=5, ge=0, le=1_000_000)
    # requests without a valid key an address may send at once
    anonymous_rate_limit_burst: int = Field(default=50, ge=1, le=1_000_000)
    # what one request may cost (serve/cost.py): ~1 MB of text took 33 s to scan;
    # /v1/scan's messages and an events batch's message text, each in all
    scan_max_request_chars: int = Field(default=200_000, ge=1, le=100_000_000)
    # /v1/scan and an events batch inspect within this; a message it did not reach is
    # answered flagged (scan) or counts as a threat (events)
    scan_time_budget_seconds: float = Field(default=5, gt=0, le=3600)
    # /v1/review's and the dashboard's plan stop here and say how far they got
    review_plan_budget_seconds: float = Field(default=5, gt=0, le=3600)
    # /docs and /openapi.json: open to anyone, keyed (a read key) or off
    docs: Literal["open", "keyed", "off"] = "open"
    # incident events pushed to these URLs (serve/webhooks/), and how they are delivered
    webhooks: tuple[WebhookEndpoint, ...] = ()
    # how the worker delivers webhook events (below)
    webhook_delivery: WebhookDelivery = Field(default_factory=lambda: WebhookDelivery())
    # OpenTelemetry traces (serve/telemetry.py): off unless an exporter is named
    telemetry: TelemetryConfig = Field(default_factory=lambda: TelemetryConfig())

    @model_validator(mode="after")
    def _identity_secret(self) -> ServiceConfig:
        if self.identity_secret is not None and self.identity_secret_file is not None:
            raise ValueError("give identity_secret or identity_secret_file, not both")
        keys = [w.key for w in self.webhooks]
        if len(set(keys)) != len(keys):
            raise ValueError("webhooks: two endpoints with one id (or one URL): give each an id")
        if self.claimed_identities == "hmac" and self.secret() is None:
            raise ValueError(
                "claimed identities are stored as keyed hashes and need a secret: set "
                "CHANNELGUARD_IDENTITY_SECRET (at least 32 characters, e.g. `openssl rand "
                "-hex 32`) or identity_secret_file, or claimed_identities: plain"
            )
        return self

    def secret(self) -> bytes | None:
        """The identity secret's bytes (read from its file if given), checked."""
        if self.identity_secret is not None:
            value = self.identity_secret.get_secret_value()
            where = "identity_secret"
        elif self.identity_secret_file is not None:
            where = "identity_secret_file"
            value = read_secret_file(self.identity_secret_file, where)
        else:
            return None
        if len(value.strip()) < MIN_SECRET_CHARS:
            raise ValueError(f"{where}: at least {MIN_SECRET_CHARS} characters")
        return value.strip().encode()

    @classmethod
    def load(cls, config_file: Path | None = None, **overrides: Any) -> ServiceConfig:
        """File, then environment, then explicit overrides (the CLI's options)."""
        values: dict[str, Any] = {}
        name = str(config_file) if config_file else "environment"
        doc = None
        if config_file is not None:
            doc = read_yaml(config_file)
            if doc.issues:
                raise ConfigError("\n".join(str(i) for i in doc.issues))
            if not isinstance(doc.data, dict):
                raise ConfigError(f"{config_file}: expected a mapping of settings")
            values.update(doc.data)
        for var, key in ENV.items():
            if os.environ.get(var):
                values[key] = os.environ[var]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "model" not in values:
            raise ConfigError("no channel model: give --model FILE, 'model:' or CHANNELGUARD_MODEL")
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            if doc is not None:
                raise ConfigError("\n".join(str(i) for i in schema_issues(exc, doc))) from None
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                if e["loc"]
                else str(e["msg"]).removeprefix("Value error, ")
                for e in exc.errors()
            )
            raise ConfigError(f"{name}: {problems}") from None
