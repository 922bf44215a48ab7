"""The one exception tree of channelguard.

    ChannelGuardError
    ├── ModelError        an invalid channel model; carries every Issue found
    ├── InputError        a bad input file, line or option
    └── DependencyError   an optional extra is not installed; names the pip command

The CLI maps each to exit code 2 (bad input) or 3 (missing dependency) and a
one-line message per problem; no traceback reaches the user.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "ChannelGuardError",
    "DependencyError",
    "InputError",
    "Issue",
    "ModelError",
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


class DependencyError(ChannelGuardError):
    """An optional dependency is missing."""

    exit_code = 3

    def __init__(self, module: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(f"this feature needs '{module}': pip install 'channelguard[{extra}]'")


def run_script(main: Callable[[], object]) -> None:
    """Entry point of the scripts under bench/ and scripts/: an error channelguard
    raises on purpose (a missing dataset file, a bad line) is one line on stderr
    and its exit code, not a traceback."""
    try:
        main()
    except ChannelGuardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
