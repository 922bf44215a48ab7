"""What every command shares: errors mapped to one-line messages and exit codes."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import typer
from rich.console import Console

from channelguard.errors import ChannelGuardError, ModelError

__all__ = ["guarded"]

T = TypeVar("T")


def guarded(run: Callable[[], T]) -> T:
    """Run a command body; map our errors to one-line messages and exit codes."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return run()
    except ModelError as exc:
        for issue in exc.issues:
            err.print(str(issue), markup=False)
        raise typer.Exit(exc.exit_code) from None
    except ChannelGuardError as exc:
        err.print(f"channelguard: {exc}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:
        if os.environ.get("CHANNELGUARD_DEBUG"):
            raise
        err.print(
            f"channelguard: internal error: {exc!r} (set CHANNELGUARD_DEBUG=1 for a traceback)",
            markup=False,
        )
        raise typer.Exit(70) from None
