"""`exercise --endpoint` never sends the API key to another origin: a redirect to
another origin is refused (and nothing reaches it), plain http to a host that is
not this machine is refused unless --allow-http. Real local HTTP servers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from channelguard.errors import InputError
from channelguard.exercise.endpoint import check_endpoint, run_against_endpoint
from tests.conftest import EXAMPLES, run_cli

SCENARIO = EXAMPLES / "scenarios" / "01_deepfake_ceo_wire.yaml"
HOLD = {"decisions": [{"action": "wire_transfer", "decision": "hold", "reasons": ["held"]}]}


class _Server:
    """A local HTTP server: records every request, answers with `reply(path)`."""

    def __init__(self, reply: Any) -> None:
        self.seen: list[dict[str, Any]] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen.append({"path": self.path, "auth": self.headers.get("Authorization"),
                             "body": body})  # fmt: skip
                status, headers, payload = reply(self.path)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

            def log_message(self, *_: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def elsewhere() -> Iterator[_Server]:
    with _Server(
        lambda _: (200, {"Content-Type": "application/json"}, json.dumps(HOLD).encode())
    ) as s:
        yield s


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_origin_is_refused_and_the_key_never_leaves(
    elsewhere: _Server, code: int
) -> None:
    target = f"http://127.0.0.1:{elsewhere.port}/v1/sessions/x/events"
    with _Server(lambda _: (code, {"Location": target}, b"")) as first:
        url = f"http://127.0.0.1:{first.port}/v1/sessions/{{session}}/events"
        outcome = run_against_endpoint(SCENARIO, url, key="cg_secret")
    assert first.seen and first.seen[0]["auth"] == "Bearer cg_secret"
    assert elsewhere.seen == []  # neither the key nor the events went there
    assert not outcome.passed
    assert "redirect" in outcome.problems[0] and "another origin" in outcome.problems[0]
    assert f"127.0.0.1:{elsewhere.port}" in outcome.problems[0]


def test_a_same_origin_redirect_keeps_the_request_whole() -> None:
    def reply(path: str) -> tuple[int, dict[str, str], bytes]:
        if path.startswith("/old"):
            return 308, {"Location": "/new/events"}, b""
        return 200, {"Content-Type": "application/json"}, json.dumps(HOLD).encode()

    with _Server(reply) as server:
        outcome = run_against_endpoint(
            SCENARIO, f"http://127.0.0.1:{server.port}/old/{{session}}", key="cg_k"
        )
    assert [s["path"] for s in server.seen] == [server.seen[0]["path"], "/new/events"]
    moved = server.seen[1]
    assert moved["auth"] == "Bearer cg_k" and json.loads(moved["body"])["events"]
    assert outcome.decisions and outcome.decisions[0].decision == "hold"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8080/x", True),
        ("http://127.8.9.10/x", True),
        ("http://localhost:8080/x", True),
        ("http://[::1]:8080/x", True),
        ("https://agents.example.com/x", True),
        ("http://agents.example.com/x", False),
        ("http://10.0.0.7/x", False),
        ("http://127.0.0.1.evil.example/x", False),
        ("ftp://127.0.0.1/x", False),
    ],
)
def test_plain_http_goes_only_to_this_machine(url: str, allowed: bool) -> None:
    if allowed:
        check_endpoint(url, allow_http=False)
    else:
        with pytest.raises(InputError, match="endpoint"):
            check_endpoint(url, allow_http=False)


def test_allow_http_is_an_explicit_choice() -> None:
    check_endpoint("http://agents.example.com/x", allow_http=True)
    with pytest.raises(InputError):
        check_endpoint("ftp://agents.example.com/x", allow_http=True)


def test_the_cli_refuses_plain_http_to_another_host_before_sending(tmp_path: Path) -> None:
    done = run_cli(
        "exercise", str(SCENARIO), "--endpoint", "http://agents.example.com/{session}",
        "--key", "cg_secret",
    )  # fmt: skip
    assert done.returncode == 2
    assert "plain http" in done.stderr and "--allow-http" in done.stderr
    assert "Traceback" not in done.stderr


def test_what_an_endpoint_answers_is_printed_inert() -> None:
    hostile = {
        "decisions": [
            {
                "action": "[/] \x1b]8;;https://evil.example\x07x\x1b]8;;\x07",
                "decision": "allow",
                "reasons": ["[link=https://evil.example]click[/link] [/]"],
            }
        ]
    }
    answer = json.dumps(hostile).encode()
    with _Server(lambda _: (200, {"Content-Type": "application/json"}, answer)) as server:
        done = run_cli(
            "exercise", str(SCENARIO), "--endpoint", f"http://127.0.0.1:{server.port}/{{session}}",
            env={"FORCE_COLOR": "1", "COLUMNS": "300"},
        )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the scenario fails; the table prints
    assert "\x1b]8" not in done.stdout and "[/] x: allow" in done.stdout
