"""Rows for a terminal: a table where it is wide enough, else one block per row."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

__all__ = ["NARROW", "print_rows"]

# below this many columns a table would fold identifiers mid-word: print records
NARROW = 100


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
