"""A real webhook receiver for the tests: an HTTP server on 127.0.0.1 that checks
each delivery with `verify_signature` and records the event ids it accepted (it
deduplicates nothing: a test asserts each id arrives once)."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from channelguard.errors import SignatureError
from channelguard.integrations.webhooks import verify_signature

SECRET = "receiver-test-secret-" + "s" * 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receiver:
    def __init__(self, port: int, *, secret: str = SECRET, status: int = 204) -> None:
        self.port = port
        self.secret = secret
        self.status = status
        self.ids: Counter[str] = Counter()
        self.bodies: list[dict[str, Any]] = []
        self.rejected: list[str] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = dict(self.headers.items())
                with receiver._lock:
                    receiver.headers.append(headers)
                    try:
                        event_id = verify_signature(receiver.secret, headers, body)
                    except SignatureError as exc:
                        receiver.rejected.append(str(exc))
                        self.send_response(401)
                        self.end_headers()
                        return
                    status = receiver.status
                    if 200 <= status < 300:
                        receiver.ids[event_id] += 1
                        receiver.bodies.append(json.loads(body))
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", f"http://127.0.0.1:{receiver.port}/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
