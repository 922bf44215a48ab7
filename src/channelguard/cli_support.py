"""What every command shares: errors mapped to one-line messages and exit codes."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

from channelguard.errors import ChannelGuardError, InputError, ModelError

if TYPE_CHECKING:
    from channelguard.register.db import Database

__all__ = ["DatabaseUrl", "Fmt", "check_format", "guarded", "open_database"]

# the options every register command takes
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database",
        help="Database URL (default: CHANNELGUARD_DATABASE_URL, else a SQLite file under "
        "$XDG_DATA_HOME/channelguard, or ~/.local/share/channelguard)",
    ),
]
Fmt = Annotated[str, typer.Option("--format", "-f", help="table or json")]

T = TypeVar("T")


def console(**options: Any) -> Console:
    """The one way the CLI makes a rich console: emoji codes off, so text that
    happens to hold ':x:' (a rule id, an incident title) prints as written."""
    return Console(emoji=False, **options)


def guarded(run: Callable[[], T]) -> T:
    """Run a command body; map our errors to one-line messages and exit codes."""
    err = console(stderr=True, highlight=False, soft_wrap=True)
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


def open_database(url: str | None) -> Database:
    """The register at `url` (default: CHANNELGUARD_DATABASE_URL or the local SQLite
    file), opened."""
    from channelguard.register.db import Database

    return (Database(url) if url else Database.from_env()).open()


def check_format(fmt: str) -> str:
    if fmt not in ("table", "json"):
        raise InputError(f"--format: '{fmt}' is not table or json")
    return fmt
