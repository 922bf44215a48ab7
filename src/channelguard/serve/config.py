"""Service configuration from a YAML file and the environment (CHANNELGUARD_*),
validated before anything starts: a bad value stops start-up with a message
that names it, never a half-configured service.

Environment (overrides the file): CHANNELGUARD_MODEL, CHANNELGUARD_DATABASE_URL,
CHANNELGUARD_HOST, CHANNELGUARD_PORT, CHANNELGUARD_MAX_REQUEST_BYTES,
CHANNELGUARD_REDACT_EVIDENCE, CHANNELGUARD_SHADOW, CHANNELGUARD_FILING_MIN_SEVERITY,
CHANNELGUARD_RATE_LIMIT_PER_SECOND, CHANNELGUARD_RATE_LIMIT_BURST.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from channelguard.errors import ConfigError
from channelguard.model.loader import schema_issues
from channelguard.model.yamlsource import read_yaml
from channelguard.register.db import default_url
from channelguard.register.vocab import Severity

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
}


class GuardConfig(BaseModel):
    """`guard:` in the service file: rule packs of your own, rules turned off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: tuple[Path, ...] = ()  # rule pack files or folders
    disable_rules: tuple[str, ...] = ()  # rule ids, e.g. atr:ATR-2026-00001


class ServiceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    model: Path
    database_url: str = Field(default_factory=default_url)
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    max_request_bytes: int = Field(default=1_000_000, ge=1_000, le=100_000_000)
    redact_evidence: bool = True  # personal data out of stored events and evidence
    shadow: bool = False  # decide and record, never block (rollout)
    strict: bool = True
    filing: bool = True  # open incidents automatically
    filing_min_severity: Severity = Severity.HIGH
    guard_threshold: float = Field(default=0.5, gt=0, le=1)
    guard: GuardConfig = Field(default_factory=lambda: GuardConfig())
    playbooks: Path | None = None  # a folder of your own; default: the shipped ones
    session_ttl_seconds: float = Field(default=4 * 3600, gt=0)
    # requests per API key and replica: a leaked or looping key cannot flood the
    # service or the database; 0 turns the limit off
    rate_limit_per_second: float = Field(default=100, ge=0, le=1_000_000)
    rate_limit_burst: int = Field(default=200, ge=1, le=1_000_000)

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
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
            )
            raise ConfigError(f"{name}: {problems}") from None
