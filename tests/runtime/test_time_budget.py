"""The time budget is the pipeline's, not only the service's: `decide FILE
--time-budget SECONDS` (in memory and with --database) and `Decider.feed(...,
budget=)` count a message the budget did not reach as uninspected, a threat,
so the session's T2+ action is held and the reason says why. Without a budget
every message is inspected, as before."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from channelguard.cli import app as cli
from channelguard.decide.session import Decider
from channelguard.errors import InputError
from channelguard.guard.budget import TimeBudget
from channelguard.guard.guard import Guard
from channelguard.model.loader import load_file
from tests.conftest import EXAMPLES

SECRET = "test-identity-secret-" + "b" * 32  # a test's own: never a real one
HELLO = {"session": "c1", "channel": "phone_agent", "type": "message",
         "text": "Hi, a quick question about my account."}  # fmt: skip
WIRE = {"session": "c1", "type": "action_request", "action": "wire_transfer"}
HURRIED = "1e-9"  # no budget a second message fits in: the first is always inspected


def _events(tmp_path: Path) -> Path:
    """Three calm messages, then a wire transfer (T4), one second apart."""
    lines = [{**HELLO, "at": f"2026-12-07T10:00:0{n}Z"} for n in range(3)]
    lines.append({**WIRE, "at": "2026-12-07T10:00:05Z"})
    file = tmp_path / "events.jsonl"
    file.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    return file


def _decide(file: Path, *options: str) -> list[dict[str, Any]]:
    done = CliRunner().invoke(
        cli, ["decide", str(file), "--model", str(EXAMPLES / "bank.yaml"), *options]
    )
    assert done.exit_code == 0, done.output
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _held_for_the_budget(decision: dict[str, Any]) -> bool:
    held = (decision["decision"], decision["rule"]) == ("hold", "hold-threat-on-t2-plus")
    return held and any("time budget" in r for r in decision["reasons"])


def test_decide_holds_a_t2_action_when_the_run_budget_left_a_message_unread(
    tmp_path: Path,
) -> None:
    file = _events(tmp_path)
    unhurried = _decide(file)
    assert len(unhurried) == 1 and not _held_for_the_budget(unhurried[0])
    assert unhurried[0]["rule"] != "hold-threat-on-t2-plus"  # calm: not a threat
    hurried = _decide(file, "--time-budget", HURRIED)
    assert len(hurried) == 1 and _held_for_the_budget(hurried[0]), hurried
    assert any("run's time budget" in r for r in hurried[0]["reasons"])
    assert _decide(file, "--time-budget", "3600") == unhurried  # a budget it fits in


def test_decide_with_a_database_takes_the_run_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHANNELGUARD_IDENTITY_SECRET", SECRET)
    file = _events(tmp_path)
    url = f"sqlite:///{tmp_path / 'register.db'}"
    hurried = _decide(file, "--database", url, "--time-budget", HURRIED)
    assert len(hurried) == 1 and _held_for_the_budget(hurried[0]), hurried
    calm = _decide(file, "--database", f"sqlite:///{tmp_path / 'other.db'}")
    assert not _held_for_the_budget(calm[0])


@pytest.mark.parametrize("seconds", ["0", "-1", "nan", "inf"])
def test_a_time_budget_that_is_not_a_positive_number_stops_the_run(
    tmp_path: Path, seconds: str
) -> None:
    done = CliRunner().invoke(
        cli,
        ["decide", str(_events(tmp_path)), "--model", str(EXAMPLES / "bank.yaml"),
         "--time-budget", seconds],
    )  # fmt: skip
    assert done.exit_code == 2, done.output
    assert "time budget" in done.output and "Traceback" not in done.output


def test_feed_counts_a_message_its_budget_did_not_reach_as_a_threat(guard: Guard) -> None:
    model = load_file(EXAMPLES / "bank.yaml")
    for budget, held in ((TimeBudget(1e-9), True), (None, False)):
        decider = Decider(model, guard)
        for n in range(3):
            decider.feed({**HELLO, "at": f"2026-12-07T10:00:0{n}Z"}, budget=budget)
        decision = decider.feed({**WIRE, "at": "2026-12-07T10:00:05Z"}, budget=budget)
        assert decision is not None
        assert _held_for_the_budget(decision.to_dict()) is held, decision.to_dict()
    with pytest.raises(InputError, match="budget must be a TimeBudget"):
        Decider(model, guard).feed(HELLO, budget=5.0)  # type: ignore[arg-type]
