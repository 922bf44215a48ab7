"""What every command shares: errors mapped to one-line messages and exit codes."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

import typer
from rich.console import Console
from rich.text import Text

from channelguard.errors import ChannelGuardError, ModelError

__all__ = ["guarded", "print_rows"]

# below this many columns a table would fold identifiers mid-word: print records
NARROW = 100

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


def print_rows(
    console: Console, title: str, columns: Sequence[str], rows: Sequence[Sequence[Text | str]]
) -> None:
    """A table on a wide terminal; on a narrow one (or a pipe narrower than NARROW),
    one block per row, `column: value` a line, so no id is broken mid-word. Values
    are rich Text made by channelguard.escape.terminal (never markup), or plain ids."""
    from rich.table import Table

    if console.width >= NARROW:
        table = Table(title=title)
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    console.print(title, style="bold", highlight=False)
    for row in rows:
        console.print()
        for col, value in zip(columns, row, strict=True):
            text = value if isinstance(value, Text) else Text(value)
            lines = text.split("\n") or [Text("")]
            console.print(Text.assemble(f"  {col}: ", lines[0]))
            for more in lines[1:]:
                console.print(Text.assemble("    ", more))
