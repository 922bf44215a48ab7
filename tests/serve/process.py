"""Start `channelguard serve` in its own process, as an operator does."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLES, ROOT, run_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_key(db_url: str, scopes: str = "admin") -> str:
    out = run_cli("keys", "create", "--scopes", scopes, "--database", db_url)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def start(
    db_url: str, port: int, env: dict[str, str] | None = None, model: Path = EXAMPLES / "bank.yaml"
) -> subprocess.Popen[bytes]:
    """`channelguard serve` on the bank example (or `model`), returned once /healthz
    answers; `env` adds to this process's environment (service settings, say)."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "channelguard",
            "serve",
            "--model",
            str(model),
            "--port",
            str(port),
            "--database",
            db_url,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        # a file, not a pipe: the access log writes a line a request, and a pipe nobody
        # reads fills after a few hundred and blocks the server
        stderr=log,
    )
    proc._stderr_file = log  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            why = _stderr(proc)
            stop(proc)
            raise AssertionError(f"serve exited: {why}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise AssertionError("serve did not become ready in 60 s")


def _stderr(proc: subprocess.Popen[bytes]) -> str:
    """What the server wrote on stderr so far (its file, read from the start)."""
    log = getattr(proc, "_stderr_file", None)
    if log is None:
        return ""
    log.seek(0)
    return str(log.read().decode(errors="replace"))


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
    proc.wait(timeout=30)
    log = getattr(proc, "_stderr_file", None)
    if log is not None:
        log.close()


def call(port: int, method: str, path: str, key: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")
