"""Scenario files: a story of events and the decisions a practitioner expects.

    name: Deepfaked CEO orders a wire
    model: ../bank.yaml            # relative to this file; --model overrides it
    events:                        # io-formats.md events; `session` may be left out
      - {type: message, channel: phone_agent, role: customer, text: "..."}
      - {type: action_request, action: wire_transfer}
    expect:                        # one entry per action_request, in order
      - {action: wire_transfer, decision: [hold, deny]}

`channelguard exercise DIR` replays every scenario through a fresh Decider and
reports, per scenario, pass or fail with each decision and its reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from channelguard.decide.session import Decider, Decision
from channelguard.errors import InputError, Issue, ModelError
from channelguard.guard.guard import Guard
from channelguard.model.loader import LoadedModel, load_file, schema_issues
from channelguard.model.yamlsource import read_yaml

__all__ = ["Outcome", "Scenario", "load_scenario", "run_scenario"]

Kind = Literal["allow", "step_up", "hold", "deny"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expect(_Strict):
    action: StrictStr
    decision: Kind | Annotated[list[Kind], Field(min_length=1)]
    required_includes: list[StrictStr] = []  # evidence a step-up must name

    def accepts(self, decision: Decision) -> str | None:
        """None when the decision is what was expected, else why not."""
        allowed = [self.decision] if isinstance(self.decision, str) else self.decision
        if decision.action != self.action:
            return f"expected a decision on '{self.action}', got '{decision.action}'"
        if decision.decision not in allowed:
            return f"expected {' or '.join(allowed)}, got {decision.decision}"
        missing = [f for f in self.required_includes if f not in decision.required]
        if missing:
            return f"the step-up does not ask for {', '.join(missing)}"
        return None


class Scenario(_Strict):
    name: StrictStr
    description: StrictStr = ""
    model: StrictStr | None = None
    events: Annotated[list[dict[str, Any]], Field(min_length=1)]
    expect: list[Expect]

    def outcome(self, path: Path, decisions: list[Decision], problems: list[str]) -> Outcome:
        """The result of one replay, in process or against an endpoint."""
        return Outcome(
            file=str(path),
            name=self.name,
            passed=not problems,
            decisions=tuple(decisions),
            problems=tuple(problems),
        )

    def judge(self, decisions: list[Decision]) -> list[str]:
        """What is wrong with these decisions, in order, against what is expected."""
        problems = []
        for k, expect in enumerate(self.expect):
            if k >= len(decisions):
                problems.append(f"expected a decision on '{expect.action}', got none")
                continue
            why = expect.accepts(decisions[k])
            if why:
                problems.append(f"request {k + 1}: {why}")
        if len(decisions) > len(self.expect):
            problems.append(f"{len(decisions) - len(self.expect)} decision(s) with no expectation")
        return problems


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    file: str
    name: str
    passed: bool
    decisions: tuple[Decision, ...]
    problems: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "name": self.name,
            "passed": self.passed,
            "problems": list(self.problems),
            "decisions": [d.to_dict() for d in self.decisions],
        }


def load_scenario(path: Path) -> Scenario:
    doc = read_yaml(path)
    if doc.issues:
        raise ModelError(doc.issues)
    try:
        return Scenario.model_validate(doc.data)
    except ValidationError as exc:
        raise ModelError(schema_issues(exc, doc)) from None


def _model_of(path: Path, scenario: Scenario, override: Path | None) -> LoadedModel:
    if override is not None:
        return load_file(override)
    if scenario.model is None:
        issue = Issue(file=str(path), line=None, field="model", message="no model: give --model")
        raise ModelError([issue])
    return load_file(path.parent / scenario.model)


def run_scenario(path: Path, guard: Guard, model: Path | None = None) -> Outcome:
    """Replay one scenario file against `model`, or the model the scenario names."""
    scenario = load_scenario(path)
    loaded = _model_of(path, scenario, model)
    decider = Decider(loaded, guard)
    decisions: list[Decision] = []
    problems: list[str] = []
    for number, event in enumerate(scenario.events, 1):
        try:
            decision = decider.feed({"session": "scenario", **event})
        except InputError as exc:
            problems.append(f"event {number}: {exc}")
            continue
        if decision is not None:
            decisions.append(decision)
    problems += scenario.judge(decisions)
    return scenario.outcome(path, decisions, problems)
