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

The key goes to the endpoint's origin only: a redirect to another origin
(scheme, host or port) is refused, not followed; a same-origin 307/308 is
followed with the same request. Plain http is refused (`check_endpoint`) unless
the host is this machine (loopback) or the caller allows it explicitly.
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from email.message import Message
from pathlib import Path
from typing import IO, Any

from channelguard.decide.session import Decision
from channelguard.errors import InputError
from channelguard.exercise.scenarios import Outcome, load_scenario

__all__ = ["Unusable", "check_endpoint", "post_json", "run_against_endpoint"]

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
        answer = post_json(target, {"events": events}, key, timeout)
        decisions = [_decision(session, d) for d in answer.get("decisions", [])]
    except Unusable as exc:
        problems.append(str(exc))
    if not problems:
        problems = scenario.judge(decisions)
    return scenario.outcome(path, decisions, problems)


def check_endpoint(url: str, *, allow_http: bool = False) -> None:
    """An http(s) URL; plain http only to this machine unless `allow_http`: the key
    and the decisions would cross the network readable and alterable."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"--endpoint '{url[:80]}' is not an http(s) URL")
    if parts.scheme == "http" and not allow_http and not _loopback(parts.hostname):
        raise InputError(
            f"--endpoint '{url[:80]}': plain http to {parts.hostname}, which is not this "
            "machine, would send the key and the decisions readable on the network; "
            "use https, or --allow-http if you accept that"
        )


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Unusable(Exception):
    """The endpoint could not be used: unreachable, another origin, not the shape."""


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Refuse a redirect to another origin (the key would follow it); follow a
    same-origin 307/308 with the same method, body and key; refuse the rest (a
    301/302/303 turns the POST into a GET and drops the events)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _origin(newurl) != _origin(req.full_url):
            raise Unusable(
                f"the endpoint answered HTTP {code}, a redirect to another origin "
                f"({newurl[:120]}): not followed, the key is never sent there; "
                "give that URL as --endpoint if you trust it"
            )
        if code not in (307, 308):
            raise Unusable(
                f"the endpoint answered HTTP {code}, a redirect to {newurl[:120]} that would "
                "drop the events: give that URL as --endpoint"
            )
        return urllib.request.Request(
            newurl, data=req.data, headers=dict(req.header_items()), method=req.get_method()
        )


def post_json(url: str, body: dict[str, Any], key: str | None, timeout: float) -> dict[str, Any]:
    if not url.startswith(("http://", "https://")):
        raise Unusable(f"endpoint '{url[:80]}' is not an http(s) URL")
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    opener = urllib.request.build_opener(_SameOrigin)
    try:
        with opener.open(request, timeout=timeout) as response:
            raw = response.read(10_000_000)
    except urllib.error.HTTPError as exc:
        raise Unusable(f"the endpoint answered HTTP {exc.code}: {exc.read(300)!r}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise Unusable(f"the endpoint could not be reached: {exc}") from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise Unusable(f"the endpoint's answer is not JSON: {raw[:100]!r}") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("decisions", []), list):
        raise Unusable("the endpoint's answer has no 'decisions' list")
    return answer


def _decision(session: str, d: Any) -> Decision:
    if (
        not isinstance(d, dict)
        or d.get("decision") not in KINDS
        or not isinstance(d.get("action"), str)
    ):
        raise Unusable(
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
