"""`scan --format table` and `decide --format table`: the JSONL the commands write
(docs/spec/io-formats.md), read back and shown to a person as rows. Every value
comes from the input or the model and is printed inert (never markup); on a
narrow terminal each row is a block, so no id is broken mid-word."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.text import Text

from channelguard.errors import InputError
from channelguard.escape import terminal as shown
from channelguard.report.rows import print_rows

__all__ = ["LINE_FORMATS", "check_line_format", "print_decisions", "print_scans"]

LINE_FORMATS = ("jsonl", "table")


def check_line_format(fmt: str) -> str:
    if fmt not in LINE_FORMATS:
        raise InputError(f"--format: '{fmt}' is not jsonl or table")
    return fmt


def _records(lines: Iterable[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines if line.strip()]


def _error(record: dict[str, Any]) -> Text | None:
    if "error" not in record:
        return None
    said = str(record["error"])
    where = f"line {record.get('line', '?')}"
    return shown(said if said.startswith(where) else f"{where}: {said}", "red")


WHY_CHARS = 120  # of the top finding's evidence shown in a row


def _why(record: dict[str, Any]) -> str:
    """Why a message was flagged (its top finding: detector, then evidence; the other
    detectors named), or the detector a clean one came closest to."""
    findings = sorted(record.get("findings", []), key=lambda f: -float(f.get("score", 0)))
    if findings:
        top = findings[0]
        why = f"{top['detector']}: {str(top.get('evidence', ''))[:WHY_CHARS]}"
        others = [d for d in dict.fromkeys(f["detector"] for f in findings) if d != top["detector"]]
        return why + (f" (also: {', '.join(others)})" if others else "")
    near = record.get("near")
    if near:  # a clean message's best finding: the detector that came closest
        return f"near: {near['detector']} ({str(near.get('evidence', ''))[:WHY_CHARS]})"
    return "-"


def print_scans(lines: Iterable[str], console: Console) -> None:
    rows: list[list[Text | str]] = []
    flagged_count = unread = 0
    for n, r in enumerate(_records(lines), 1):
        problem = _error(r)
        if problem is not None:
            # not inspected at all: said as loudly as a flag, never counted as clean
            unread += 1
            rows.append([shown(str(r.get("id") or f"line {n}")), "", shown("NOT READ", "red"),
                         "", problem])  # fmt: skip
            continue
        flagged_count += bool(r.get("flagged"))
        flagged = shown("FLAGGED", "red") if r.get("flagged") else shown("clean", "green")
        rows.append([shown(str(r.get("id") or f"line {n}")), shown(str(r.get("role") or "user")),
                     flagged, f"{r.get('score', 0):.4f}", shown(_why(r))])  # fmt: skip
    columns = ("Message", "Role", "Result", "Score", "Why")
    print_rows(console, "Scan: one entry per message", columns, rows)
    read = len(rows) - unread
    tail = f"; {unread} not read, so not inspected (see each line's error)" if unread else ""
    console.print(f"{flagged_count} of {read} messages flagged{tail}", highlight=False)


def print_decisions(lines: Iterable[str], console: Console) -> None:
    rows: list[list[Text | str]] = []
    for r in _records(lines):
        problem = _error(r)
        if problem is not None:
            rows.append([shown(str(r.get("session", "-"))), "", problem, "", ""])
            continue
        style = {"allow": "green", "step_up": "yellow"}.get(r.get("decision", ""), "red")
        rows.append([shown(str(r.get("session", "-"))), shown(str(r.get("action", "-"))),
                     shown(str(r.get("decision", "-")), style), shown(str(r.get("rule", "-"))),
                     shown(", ".join(r.get("required") or []) or "-")])  # fmt: skip
    columns = ("Session", "Action", "Decision", "Rule", "Evidence still required")
    print_rows(console, "Decisions: one row per action request", columns, rows)
