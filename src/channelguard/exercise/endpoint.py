"""Replay scenarios against a live agent endpoint instead of a channel model.

The endpoint speaks the shape of channelguard's own service route
`POST /v1/sessions/{session}/events`, so a channelguard service, or an agent
gateway that answers the same way, can be exercised:

    request   POST URL   (a `{session}` in URL is replaced by a fresh session id)
              Authorization: Bearer KEY             (when --key is given)
              {"events": [ ...the scenario's events, each with "session"... ]}
    response  200 {"decisions": [{"action": "...", "decision": "allow|step_up|hold|deny",
                                  "required": [...], "reasons": [...]}, ...]}
              one decision per action_request, in order

What the agent did is compared with the scenario's expectations as for a
model; an endpoint that cannot be reached or answers otherwise fails the
scenario with the reason, never with a traceback.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from channelguard.decide.session import Decision
from channelguard.exercise.scenarios import Outcome, load_scenario

__all__ = ["run_against_endpoint"]

KINDS = ("allow", "step_up", "hold", "deny")


def run_against_endpoint(
    path: Path, url: str, *, key: str | None = None, timeout: float = 30.0
) -> Outcome:
    scenario = load_scenario(path)
    session = f"exercise-{uuid.uuid4().hex[:12]}"
    events = [{"session": session, **e} for e in scenario.events]
    target = url.replace("{session}", session)
    problems: list[str] = []
    decisions: list[Decision] = []
    try:
        answer = _post(target, {"events": events}, key, timeout)
        decisions = [_decision(session, d) for d in answer.get("decisions", [])]
    except _Unusable as exc:
        problems.append(str(exc))
    if not problems:
        problems = scenario.judge(decisions)
    return scenario.outcome(path, decisions, problems)


class _Unusable(Exception):
    pass


def _post(url: str, body: dict[str, Any], key: str | None, timeout: float) -> dict[str, Any]:
    if not url.startswith(("http://", "https://")):
        raise _Unusable(f"endpoint '{url[:80]}' is not an http(s) URL")
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(10_000_000)
    except urllib.error.HTTPError as exc:
        raise _Unusable(f"the endpoint answered HTTP {exc.code}: {exc.read(300)!r}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise _Unusable(f"the endpoint could not be reached: {exc}") from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise _Unusable(f"the endpoint's answer is not JSON: {raw[:100]!r}") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("decisions", []), list):
        raise _Unusable("the endpoint's answer has no 'decisions' list")
    return answer


def _decision(session: str, d: Any) -> Decision:
    if (
        not isinstance(d, dict)
        or d.get("decision") not in KINDS
        or not isinstance(d.get("action"), str)
    ):
        raise _Unusable(
            f"the endpoint gave a decision that is not one of {', '.join(KINDS)}: {str(d)[:100]}"
        )
    return Decision(
        session=session,
        action=d["action"],
        decision=d["decision"],
        required=tuple(str(r) for r in d.get("required", []) or []),
        risk=float(d.get("risk", 0.0) or 0.0),
        reasons=tuple(str(r) for r in d.get("reasons", []) or []),
        message=str(d.get("message", "")),
        rule=str(d.get("rule", "")),
    )
