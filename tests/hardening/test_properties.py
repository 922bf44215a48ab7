"""Property tests (hypothesis) over generated channel models, event streams and
JSONL lines: no exception escapes but the documented ones, every action request
is answered once, no T2+ allow after a bad signal, lint and review agree.
`bench/fuzz.py` runs the same checks for many more examples."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channelguard.guard.guard import Guard
from tests.hardening.checks import check_events, check_model, check_scan
from tests.hardening.strategies import events, jsonl_lines, models

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(data=models())
def test_lint_and_review_agree_on_any_model(data: dict[str, Any]) -> None:
    check_model(data)


@FAST
@given(st.data())
def test_any_event_stream_is_answered_and_fails_closed(guard: Guard, data: st.DataObject) -> None:
    loaded = check_model(data.draw(models(valid_only=True)), plan=False)
    if loaded is None:  # a generated model can still be invalid (cycles of fallbacks …)
        return
    actions = [a.id for a in loaded.model.actions]
    channels = [c.id for c in loaded.model.channels]
    stream = data.draw(st.lists(events(actions, channels), max_size=25))
    check_events(loaded, guard, stream)


@FAST
@given(lines=st.lists(jsonl_lines(), max_size=12))
def test_any_jsonl_is_scanned_line_for_line(guard: Guard, lines: list[str]) -> None:
    check_scan(guard, lines)
