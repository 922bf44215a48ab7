"""Stored and model text made inert for where it is shown: what an attacker put
in a title, channel, identity or note is printed as the characters it is,
never read as Markdown, HTML, rich markup or a terminal control sequence.

`control_free` drops terminal control characters (C0 but tab and newline, DEL,
C1, and the escape sequences they start: colours, cursor moves, OSC 8 links)
and the bidirectional overrides that make text read otherwise than it is;
`markdown` and `html` escape for those documents (on one line: a newline in a
value cannot start a heading or a table row); `terminal` is a rich `Text`,
which rich never reads as markup.
"""

from __future__ import annotations

import html as _html
import re

from rich.text import Text

__all__ = ["control_free", "html", "markdown", "terminal"]

# an escape sequence whole (CSI, OSC up to its terminator, two-character forms), then
# any control character left: "\x1b[31m" goes, not only its "\x1b"
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)"  # OSC 8, DCS
    r"|\x1b[ -/]*[0-~]?"  # two-character escapes (and a lone ESC)
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# CommonMark reads these anywhere in a line: emphasis, code, links, images, raw
# HTML and entities, tables, strikethrough
_MD_INLINE = re.compile(r"([\\`*_\[\]<>!|~&{}()])")
# and these only at the start of a line: headings, lists, quotes, rules
_MD_LINE_START = re.compile(r"^([#+\-=]|\d+(?=[.)]))")


def control_free(text: str) -> str:
    """`text` without terminal control characters and escape sequences (and a lone
    surrogate, which no terminal or file can encode, as U+FFFD)."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", _SEQUENCE.sub("", text)))


def _one_line(text: str) -> str:
    return " ".join(control_free(text).split())


def markdown(text: str) -> str:
    """`text` as literal Markdown on one line (safe in a table cell or a heading)."""
    escaped = _MD_INLINE.sub(r"\\\1", _one_line(text))
    return _MD_LINE_START.sub(
        lambda m: m.group(1) + "\\" if m.group(1).isdigit() else "\\" + m.group(1), escaped
    )


def html(text: str) -> str:
    """`text` as literal HTML text or attribute value."""
    return _html.escape(control_free(text), quote=True)


def terminal(text: str, style: str = "") -> Text:
    """`text` for rich to print as it is: no markup, no links, no control sequences."""
    return Text(control_free(text), style=style)
