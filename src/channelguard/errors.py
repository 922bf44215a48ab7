"""The one exception tree of channelguard.

    ChannelGuardError
    ├── ModelError        an invalid channel model; carries every Issue found
    ├── InputError        a bad input file, line or option
    │   └── ConfigError   a service configuration that cannot start
    ├── NotFoundError     a record (incident, key, playbook) that does not exist
    ├── ConflictError     an update made against a stale version of a record
    ├── StorageError      the database cannot be reached or migrated
    ├── DependencyError   an optional extra is not installed; names the pip command
    ├── BlockedError      an integration stopped a message the guard blocked; carries the check
    └── SignatureError    a webhook whose signature or timestamp does not verify

The CLI maps each to an exit code (2 bad input, 3 missing dependency, 4 not
found, 5 conflict, 6 storage) and a one-line message per problem; the HTTP
service maps each to one JSON error shape. No traceback reaches the user.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "BlockedError",
    "ChannelGuardError",
    "ConfigError",
    "ConflictError",
    "DependencyError",
    "InputError",
    "Issue",
    "ModelError",
    "NotFoundError",
    "SignatureError",
    "StorageError",
    "run_script",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class Issue:
    """One problem in a file: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        prefix = f"{self.field}: " if self.field else ""
        return f"{where}: {prefix}{self.message}"


class ChannelGuardError(Exception):
    """Base of every error channelguard raises on purpose."""

    exit_code = 2


class ModelError(ChannelGuardError):
    """A channel model that does not satisfy the contract."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = tuple(issues)
        super().__init__("\n".join(str(i) for i in issues))


class InputError(ChannelGuardError):
    """A bad input file, line or option."""


class ConfigError(InputError):
    """A service configuration that cannot start: the service refuses to run half-configured."""


class NotFoundError(ChannelGuardError):
    """A record that does not exist."""

    exit_code = 4


class ConflictError(ChannelGuardError):
    """An update based on a version of the record that is no longer current."""

    exit_code = 5


class StorageError(ChannelGuardError):
    """The database cannot be reached, opened or migrated."""

    exit_code = 6


class DependencyError(ChannelGuardError):
    """An optional dependency is missing."""

    exit_code = 3

    def __init__(self, module: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(f"this feature needs '{module}': pip install 'channelguard[{extra}]'")


class BlockedError(ChannelGuardError):
    """A framework adapter (channelguard.integrations) stopped a message: the guard
    found an attack in what came in, or harm in what the agent said. `check` is the
    guard's check as a dict (blocked, domain, role, score, findings, reason)."""

    def __init__(self, check: dict[str, object]) -> None:
        self.check = dict(check)
        super().__init__(f"blocked: {check.get('reason', 'a finding at the threshold')}")


class SignatureError(ChannelGuardError):
    """A webhook delivery that does not verify (integrations/webhooks.py): a missing
    header, a stale timestamp or a signature that does not match."""


def run_script(main: Callable[[], object]) -> None:
    """Entry point of the scripts under bench/ and scripts/: an error channelguard
    raises on purpose (a missing dataset file, a bad line) is one line on stderr
    and its exit code, not a traceback."""
    try:
        main()
    except ChannelGuardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
