"""Reading JSONL input one record at a time, so that one bad record never stops a run.

`open_input` opens a file (plain, .gz, or - for stdin) as text; `read_lines`
yields every non-blank line with its number and turns a stream that breaks
mid-way (a truncated .gz) into one last error line, keeping what came before;
`parse_json_line` parses one line within limits of size and nesting and
replaces lone surrogates, so that what it returns can always be written back
out as UTF-8.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from channelguard.errors import InputError

__all__ = [
    "MAX_DEPTH",
    "MAX_LINE_CHARS",
    "Line",
    "finite",
    "json_depth",
    "open_input",
    "parse_json_line",
    "read_lines",
    "scrub",
    "to_json_line",
]

MAX_LINE_CHARS = 16_000_000  # one JSONL record; a longer line is an error, not a crash
MAX_DEPTH = 64  # nesting of a JSONL record; event and scan records need 3
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# JSON leaves these unescaped, yet many line readers (Python's splitlines, JavaScript)
# break lines on them: escaped, one record stays one line for every reader
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Line:
    """One line of input, or the place where the input broke (`error`)."""

    number: int
    text: str
    error: str | None = None


def open_input(path: Path) -> TextIO:
    """Open a file (or - for stdin) as UTF-8 text; undecodable bytes become U+FFFD."""
    if str(path) == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    # the handle is returned open; the caller closes it
    if path.suffix == ".gz":
        raw: Any = gzip.open(path, "rb")  # noqa: SIM115
    else:
        raw = path.open("rb")
    try:
        head = raw.peek(8192)[:8192] if hasattr(raw, "peek") else b""
    except (OSError, EOFError, zlib.error) as exc:
        raw.close()
        raise InputError(f"{path}: cannot read: {exc}") from None
    if b"\x00" in head:
        raw.close()
        raise InputError(f"{path}: binary data, not JSONL or text")
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace")


def read_lines(source: TextIO) -> Iterator[Line]:
    """Every non-blank line, numbered from 1. A stream that breaks (a truncated or
    corrupt .gz, a read error) ends with one error Line naming where it broke."""
    number = 0
    it = iter(source)
    while True:
        try:
            raw = next(it)
        except StopIteration:
            return
        except (EOFError, OSError, zlib.error) as exc:
            where = number + 1
            yield Line(
                number=where,
                text="",
                error=f"line {where}: input ends here, unreadable ({exc}); "
                f"the {number} line(s) before it were read",
            )
            return
        number += 1
        line = raw.rstrip("\r\n")
        if line.strip():
            yield Line(number=number, text=line)


def parse_json_line(line: Line) -> Any:
    """Parse one JSONL record; raise InputError (with the line number) on any problem."""
    text = line.text
    if len(text) > MAX_LINE_CHARS:
        raise InputError(f"line {line.number}: longer than {MAX_LINE_CHARS:,} characters")
    if text.count("[") + text.count("{") > MAX_DEPTH and json_depth(text) > MAX_DEPTH:
        raise InputError(f"line {line.number}: nested deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {line.number}: not JSON: {exc.msg}") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise InputError(f"line {line.number}: nested too deeply") from None
    return scrub(value) if "\\u" in text or _SURROGATE.search(text) else value


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets in strings do
    not count): checked before parsing, which recurses."""
    deepest = depth = 0
    for char in _STRING.sub("", text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def scrub(value: Any) -> Any:
    """Replace lone surrogates (valid in JSON escapes, not in UTF-8) with U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    return value


NON_FINITE = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}


def finite(value: Any) -> Any:
    """The value with every non-finite number (inf, -inf, nan: Python's JSON reads
    1e309, -1e309 and NaN as them) replaced by the string "Infinity", "-Infinity"
    or "NaN", so that it can be written as valid JSON (RFC 8259 has no such numbers)."""
    if isinstance(value, float) and not math.isfinite(value):
        return NON_FINITE[repr(value)]
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    return value


def to_json_line(record: dict[str, Any]) -> str:
    """One JSONL line (with its newline), readable as one line by any reader."""
    text = json.dumps(record, ensure_ascii=False)
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = text.translate(_LINE_BREAKS)
    return text + "\n"
