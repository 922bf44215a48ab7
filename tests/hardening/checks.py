"""What must hold for any input, as plain functions: the property tests and
`bench/fuzz.py` call the same checks. Each raises AssertionError on a violation;
any other exception escaping is a crash."""

from __future__ import annotations

import io
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import yaml

from channelguard.decide.session import Decider
from channelguard.decide.signals import KNOWN_SIGNALS
from channelguard.errors import ChannelGuardError, ModelError
from channelguard.guard.guard import Guard
from channelguard.guard.scan import scan_stream
from channelguard.model.loader import LoadedModel, lint_file, load_file
from channelguard.report.review_json import review_to_dict
from channelguard.review.review import run_review
from channelguard.runtime.replay import decide_stream


def check_model(data: dict[str, Any], *, plan: bool = True) -> LoadedModel | None:
    """lint and load agree on validity; a valid model reviews (with its plan) to
    finite, JSON-clean figures. Returns the model when valid."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.yaml"
        path.write_text(text, encoding="utf-8")
        issues = lint_file(path)
        try:
            loaded = load_file(path)
        except ModelError as exc:
            assert issues, "load_file refused a model that lint accepts"
            assert list(exc.issues) == issues
            return None
    assert not issues, f"lint reports {issues[0]} but load_file accepts the model"
    result = run_review(loaded, with_plan=plan)
    out = json.dumps(review_to_dict(result), allow_nan=False)  # no NaN or Infinity leaks out
    for action in json.loads(out)["actions"]:
        cheapest = action.get("cheapest")
        if cheapest:
            assert 0 <= cheapest["success_probability"] <= 1
            assert cheapest["cost_usd"] >= 0
    return loaded


def _clear_value(event: dict[str, Any]) -> bool:
    value = event.get("value")
    if "value" not in event:
        return False
    if isinstance(value, bool):
        return True
    return isinstance(value, int | float) and math.isfinite(value) and 0 <= value <= 1


def check_events(loaded: LoadedModel, guard: Guard, stream: list[dict[str, Any]]) -> None:
    """Every action request of a readable session gets exactly one decision (a
    refused one too, never allowed, after its error line) and one with no readable
    session an error line; a session that sent a signal without a clear value
    never gets a T2+ action allowed; no internal error is reported."""
    source = "".join(json.dumps(e) + "\n" for e in stream)
    sink = io.StringIO()
    decide_stream(Decider(loaded, guard), io.StringIO(source), sink)
    out = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert not any("internal error" in str(o.get("error", "")) for o in out), out
    decisions = iter(o for o in out if "decision" in o)
    errors = {o["line"] for o in out if "error" in o}
    tiers = {a.id: a.tier.rank for a in loaded.model.actions}
    bad: set[str] = set()
    for number, event in enumerate(stream, 1):
        session = event.get("session")
        if event.get("type") == "signal" and isinstance(session, str) and session:
            unknown = event.get("name") not in KNOWN_SIGNALS
            if (not _clear_value(event) or unknown) and number in errors:
                bad.add(session)
        readable = isinstance(session, str) and bool(session)
        if event.get("type") != "action_request" or (number in errors and not readable):
            continue
        decision = next(decisions, None)
        assert decision is not None, f"line {number}: an action request got no answer"
        assert decision["decision"] in ("allow", "step_up", "hold", "deny")
        if number in errors:  # refused: fail closed
            assert decision["decision"] in ("hold", "deny"), f"line {number}: {decision}"
        rank = tiers.get(decision["action"], 9)
        if decision["session"] in bad and rank >= 2:
            assert decision["decision"] != "allow", f"line {number}: allowed after a bad signal"
    assert next(decisions, None) is None, "a decision without an action request"


def check_scan(guard: Guard, lines: list[str]) -> None:
    """One output line per non-blank input line, in order; every one a verdict or an
    error; the stats agree with the lines; no internal error."""
    source = "".join(line + "\n" for line in lines)
    sink = io.StringIO()
    stats = scan_stream(guard, io.StringIO(source), sink)
    out = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert len(out) == sum(1 for line in lines if line.strip()) == stats.lines
    assert sum(1 for o in out if "error" in o) == stats.failed
    assert all(("error" in o) != ("flagged" in o) for o in out)
    assert not any("internal error" in str(o.get("error", "")) for o in out)


def expected_error(exc: BaseException) -> bool:
    """The documented exceptions: everything else escaping is a crash."""
    return isinstance(exc, ChannelGuardError)
