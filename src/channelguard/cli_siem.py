"""`channelguard ocsf`: incidents (`incidents export --format json`) or decisions
(`channelguard decide` output) as OCSF Detection Findings, one JSON line each,
to stdout or a file, for a log shipper. Needs `pip install 'channelguard[siem]'`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from channelguard.cli_support import guarded
from channelguard.errors import InputError

__all__ = ["ocsf"]


def ocsf(
    path: Annotated[
        Path, typer.Argument(help="An incidents export (JSON) or decisions (JSONL); - for stdin")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Append the events to this file")
    ] = None,
) -> None:
    """Incidents or decisions as OCSF events, one JSON line each."""

    def run() -> None:
        from channelguard.integrations.ocsf import decision_event, incident_event, write_jsonl

        text = sys.stdin.read() if str(path) == "-" else _read(path)
        incidents = _incidents(text)
        if incidents is not None:
            events = [incident_event(i) for i in incidents]
        else:
            events = [decision_event(d) for d in _decisions(text, path)]
        if output is None:
            write_jsonl(events, sys.stdout)
            return
        with output.open("a", encoding="utf-8") as sink:
            write_jsonl(events, sink)

    guarded(run)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None


def _incidents(text: str) -> list[dict[str, Any]] | None:
    """The incidents of an export (one JSON object with an `incidents` list), or
    None when the text is something else (decisions, one a line)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or "incidents" not in data:
        return None
    if not isinstance(data["incidents"], list):
        raise InputError("field 'incidents': not a list")
    return data["incidents"]


def _decisions(text: str, path: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(record, dict) or "decision" not in record:
            raise InputError(f"{path}:{number}: not a decision (no 'decision' field)")
        out.append(record)
    return out
