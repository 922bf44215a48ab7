"""`channelguard scan`: JSONL (or .gz, or plain text) in, one JSONL verdict per line out.

A JSON array of message objects is read too (one verdict per item, errors name
the item); input that starts like a JSON array and is not one is refused, where
read as plain text it would be scanned as fragments of JSON.

A line that cannot be read yields `{"line": N, "error": "…"}` and the run goes
on; the caller learns how many failed. Keys other than the contract's are
carried through untouched.

With `workers` above 1, batches are inspected in that many worker processes
(each loads its own guard with the same settings) and written in input order.
The pool starts only once the input is longer than one batch. A batch whose
worker fails (the pool broke, a result could not be sent back) is inspected
again in this process: a worker's death costs time, never a verdict.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, TextIO

from channelguard.errors import InputError
from channelguard.guard.guard import Guard
from channelguard.guard.types import Message, Role, ScanResult
from channelguard.lines import (
    MAX_LINE_CHARS,
    Line,
    open_input,
    parse_json_line,
    read_lines,
    scrub,
    to_json_line,
)
from channelguard.roles import role_names

__all__ = ["ScanStats", "open_input", "read_messages", "scan_stream"]

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


def _array_or_text(lines: list[Line]) -> Iterator[_Item]:
    """A JSON array of messages, item by item; plain text that only starts with "["
    ("[URGENT] call me"); refused when it starts like an array of objects and is not
    valid JSON. The array passes the checks of a JSON line (its size, its depth, lone
    surrogates scrubbed); a read error in it is refused like invalid JSON."""
    broken = next((line.error for line in lines if line.error is not None), None)
    head = lines[0].text.strip()
    array_like = head == "[" or head[1:].lstrip().startswith(("{", "]"))
    # the lines at their own numbers (blank ones kept), so an error names the file's line
    rows = [""] * (lines[-1].number if lines else 0)
    for line in lines:
        if line.error is None:
            rows[line.number - 1] = line.text
    whole = "\n".join(rows)
    try:
        if broken is not None:
            raise InputError(broken)
        data = parse_json_line(Line(number=1, text=whole))
    except InputError as exc:
        if not array_like:
            return _parse(iter(lines), False)
        why = str(exc).removeprefix("line 1: ")
        at = re.search(r"line (\d+) column", why)
        try:
            if len(whole) <= MAX_LINE_CHARS:  # a refused size is not parsed again
                json.loads(whole)
        except json.JSONDecodeError as parsed:  # the line where the JSON breaks
            at = re.match(r"(\d+)", str(parsed.lineno))
        except (ValueError, RecursionError):
            pass
        where = f"line {at.group(1)}" if at else "input"
        raise InputError(
            f"{where}: the input starts as a JSON array but is not one ({why}); scan reads "
            "JSON lines (one object a line), a JSON array of objects, or plain text"
        ) from None
    if isinstance(data, list):
        # an item that is a string is a message's text, as a plain-text line is
        return (
            _record(n, {"text": record} if isinstance(record, str) else record, "item")
            for n, record in enumerate(data, 1)
        )
    return _parse(iter(lines), False)


def _record(number: int, record: Any, unit: str = "line") -> _Item:
    def bad(why: str) -> _Item:
        keep = record if isinstance(record, dict) else None
        return _Item(line=number, record=keep, message=None, error=f"{unit} {number}: {why}")

    if not isinstance(record, dict):
        return bad("expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        return bad("field 'text' is missing or not a string")
    role = record.get("role", "user")
    try:
        parsed = Role(role)
    except ValueError:
        return bad(f"field 'role': '{role}' is not one of {', '.join(role_names())}")
    record.setdefault("id", str(number))
    return _Item(line=number, record=record, message=Message(text=text, role=parsed), error=None)


def _items(source: TextIO) -> Iterator[_Item]:
    """Each line (or array item) of a scan input, parsed: a message or an error."""
    numbered = read_lines(source)
    first = next(numbered, None)
    if first is None:
        return iter(())
    if first.error is None and first.text.lstrip().startswith("["):
        return _array_or_text([first, *numbered])
    jsonl = first.error is not None or first.text.lstrip().startswith("{")
    return _parse(itertools.chain([first], numbered), jsonl)


def read_messages(source: TextIO) -> tuple[list[Message], list[str]]:
    """The messages of a scan input (JSON lines, a JSON array or plain text), and one
    problem per line that is not one."""
    messages: list[Message] = []
    problems: list[str] = []
    for item in _items(source):
        if item.message is not None:
            messages.append(item.message)
        else:
            problems.append(item.error or f"line {item.line}: unreadable")
    return messages, problems


def scan_stream(
    guard: Guard,
    source: TextIO,
    sink: TextIO,
    *,
    on_line: Callable[[int], None] | None = None,
    workers: int = 1,
) -> ScanStats:
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise InputError(f"workers must be a whole number of at least 1, got {workers!r}")
    stats = ScanStats()
    items = _items(source)
    pool: ProcessPoolExecutor | None = None
    pending: deque[tuple[list[_Item], Future[list[ScanResult | str]] | None]] = deque()

    def flush_oldest() -> None:
        batch, future = pending.popleft()
        results = None
        if future is not None:
            try:
                results = future.result()
            except Exception:  # the worker or the pool failed: inspect it here instead
                results = None
        if results is None:
            results = _inspect(guard, _messages(batch))
        _write(batch, results, sink, stats, on_line)

    try:
        for n, batch in enumerate(_batches(items)):
            if workers > 1 and pool is None and n == 1:  # longer than one batch
                pool = _pool(guard, workers)
            future = pool.submit(_work, _messages(batch)) if pool is not None else None
            pending.append((batch, future))
            while len(pending) > (2 * workers if pool is not None else 0):
                flush_oldest()
        while pending:
            flush_oldest()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return stats


def _batches(items: Iterator[_Item]) -> Iterator[list[_Item]]:
    batch: list[_Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _messages(batch: list[_Item]) -> list[Message]:
    return [i.message for i in batch if i.message is not None]


_WORKER_GUARD: Guard | None = None


def _pool(guard: Guard, workers: int) -> ProcessPoolExecutor:
    # forkserver: workers start from a clean process, not a fork of one that may hold
    # threads (a progress bar, a server) and their locks; spawn where there is none
    methods = multiprocessing.get_all_start_methods()
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(
            "forkserver" if "forkserver" in methods else "spawn"
        ),
        initializer=_worker_init,
        initargs=(guard.settings(),),
    )


def _worker_init(settings: dict[str, Any]) -> None:
    global _WORKER_GUARD
    _WORKER_GUARD = Guard(**settings).load()


def _work(messages: list[Message]) -> list[ScanResult | str]:
    assert _WORKER_GUARD is not None, "worker started without its guard"
    return _inspect(_WORKER_GUARD, messages)


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


def _write(
    batch: list[_Item],
    outcomes: list[ScanResult | str],
    sink: TextIO,
    stats: ScanStats,
    on_line: Callable[[int], None] | None,
) -> None:
    results = iter(outcomes)
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
