"""`channelguard scan`: JSONL (or .gz, or plain text) in, one JSONL verdict per line out.

A line that cannot be read yields `{"line": N, "error": "…"}` and the run goes
on; the caller learns how many failed. Keys other than the contract's are
carried through untouched.
"""

from __future__ import annotations

import gzip
import io
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from channelguard.errors import InputError
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, Role

__all__ = ["ScanStats", "scan_stream"]

BATCH = 256
OUTPUT_KEYS = {"id", "flagged", "score", "findings", "error", "truncated", "redacted", "notes"}


@dataclass(kw_only=True)
class ScanStats:
    lines: int = 0
    flagged: int = 0
    failed: int = 0


@dataclass(frozen=True, kw_only=True, slots=True)
class _Item:
    line: int
    record: dict[str, Any] | None
    message: Message | None
    error: str | None


def open_input(path: Path) -> TextIO:
    if str(path) == "-":
        import sys

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
    except (OSError, EOFError) as exc:
        raw.close()
        raise InputError(f"{path}: cannot read: {exc}") from None
    if b"\x00" in head:
        raw.close()
        raise InputError(f"{path}: binary data, not JSONL or text")
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace")


def _parse(lines: Iterator[tuple[int, str]], jsonl: bool) -> Iterator[_Item]:
    for number, raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if not jsonl:
            yield _Item(
                line=number, record={"id": str(number)}, message=Message(text=line), error=None
            )
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _Item(
                line=number, record=None, message=None, error=f"line {number}: not JSON: {exc.msg}"
            )
            continue
        yield _record(number, record)


def _record(number: int, record: Any) -> _Item:
    def bad(why: str) -> _Item:
        keep = record if isinstance(record, dict) else None
        return _Item(line=number, record=keep, message=None, error=f"line {number}: {why}")

    if not isinstance(record, dict):
        return bad("expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        return bad("field 'text' is missing or not a string")
    role = record.get("role", "user")
    try:
        parsed = Role(role)
    except ValueError:
        return bad(f"field 'role': '{role}' is not one of {', '.join(r.value for r in Role)}")
    record.setdefault("id", str(number))
    return _Item(line=number, record=record, message=Message(text=text, role=parsed), error=None)


def scan_stream(
    guard: Guard, source: TextIO, sink: TextIO, *, on_line: Callable[[int], None] | None = None
) -> ScanStats:
    stats = ScanStats()
    numbered = enumerate(source, 1)
    first = next(numbered, None)
    if first is None:
        return stats
    jsonl = first[1].lstrip().startswith("{")
    items = _parse(itertools.chain([first], numbered), jsonl)
    batch: list[_Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            _flush(guard, batch, sink, stats, on_line)
            batch = []
    if batch:
        _flush(guard, batch, sink, stats, on_line)
    return stats


def _flush(
    guard: Guard,
    batch: list[_Item],
    sink: TextIO,
    stats: ScanStats,
    on_line: Callable[[int], None] | None,
) -> None:
    good = [i for i in batch if i.message is not None]
    results = iter(guard.inspect_batch([i.message for i in good if i.message is not None]))
    for item in batch:
        stats.lines += 1
        carried = {
            k: v for k, v in (item.record or {}).items() if k != "text" and k not in OUTPUT_KEYS
        }
        if item.error is not None:
            stats.failed += 1
            out: dict[str, Any] = {
                "id": (item.record or {}).get("id", str(item.line)),
                **carried,
                "error": item.error,
            }
        else:
            result = next(results)
            stats.flagged += result.flagged
            out = {"id": (item.record or {}).get("id"), **carried, **result.to_dict()}
            if result.notes:
                out["notes"] = list(result.notes)
        sink.write(json.dumps(out, ensure_ascii=False) + "\n")
    if on_line is not None:
        on_line(len(batch))
