"""`channelguard scan`: JSONL (or .gz, or plain text) in, one JSONL verdict per line out.

A line that cannot be read yields `{"line": N, "error": "…"}` and the run goes
on; the caller learns how many failed. Keys other than the contract's are
carried through untouched.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from channelguard.errors import InputError
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, Role, ScanResult
from channelguard.lines import Line, open_input, parse_json_line, read_lines, scrub, to_json_line

__all__ = ["ScanStats", "open_input", "scan_stream"]

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


def _parse(lines: Iterator[Line], jsonl: bool) -> Iterator[_Item]:
    for line in lines:
        if line.error is not None:
            yield _Item(line=line.number, record=None, message=None, error=line.error)
            continue
        if not jsonl:
            text = scrub(line.text)
            yield _Item(
                line=line.number,
                record={"id": str(line.number)},
                message=Message(text=text),
                error=None,
            )
            continue
        try:
            record = parse_json_line(line)
        except InputError as exc:
            yield _Item(line=line.number, record=None, message=None, error=str(exc))
            continue
        yield _record(line.number, record)


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
    numbered = read_lines(source)
    first = next(numbered, None)
    if first is None:
        return stats
    jsonl = first.error is not None or first.text.lstrip().startswith("{")
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


def _inspect(guard: Guard, messages: list[Message]) -> list[ScanResult | str]:
    """The batch's results; if the batch fails, each message alone, so that one
    message that breaks the guard costs only its own line (an error, never a verdict)."""
    try:
        return list(guard.inspect_batch(messages))
    except Exception:
        pass
    out: list[ScanResult | str] = []
    for message in messages:
        try:
            out.append(guard.inspect_batch([message])[0])
        except Exception as exc:  # a bug, reported on the line and counted, the run goes on
            out.append(f"internal error, please report: {exc!r}")
    return out


def _flush(
    guard: Guard,
    batch: list[_Item],
    sink: TextIO,
    stats: ScanStats,
    on_line: Callable[[int], None] | None,
) -> None:
    results = iter(_inspect(guard, [i.message for i in batch if i.message is not None]))
    for item in batch:
        stats.lines += 1
        record = item.record or {}
        carried = {k: v for k, v in record.items() if k != "text" and k not in OUTPUT_KEYS}
        error, result = item.error, None
        if error is None:
            outcome = next(results)
            if isinstance(outcome, str):  # the guard failed on this message alone
                error = f"line {item.line}: {outcome}"
            else:
                result = outcome
        if result is None:
            stats.failed += 1
            out: dict[str, Any] = {
                "id": record.get("id", str(item.line)),
                **carried,
                "line": item.line,
                "error": error,
            }
        else:
            stats.flagged += result.flagged
            out = {"id": record.get("id"), **carried, **result.to_dict()}
            if result.notes:
                out["notes"] = list(result.notes)
        sink.write(to_json_line(out))
    if on_line is not None:
        on_line(len(batch))
