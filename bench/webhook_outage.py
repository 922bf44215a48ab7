"""A webhook receiver down for a while, then up: does it get every incident event
exactly once by id? Prints JSON.

The delivery worker runs with the service's default settings (poll 2 s, backoff
from 5 s doubling to 1 h with jitter, 12 attempts) against a real HTTP receiver on
127.0.0.1 that verifies every signature and counts each event id; incidents are
opened and changed before and during the outage (SQLite in a temporary folder).
The receiver starts after `--down` seconds; the run ends when every event is
delivered or after `--wait` more seconds.

    python bench/webhook_outage.py [--down 60] [--wait 180] [--changes 10]
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from channelguard.errors import SignatureError, run_script
from channelguard.integrations.webhooks import verify_signature
from channelguard.register import outbox
from channelguard.register.db import Database
from channelguard.register.records import IncidentIn, IncidentPatch
from channelguard.register.store import IncidentStore
from channelguard.serve.webhooks.config import WebhookDelivery, WebhookEndpoint
from channelguard.serve.webhooks.worker import WebhookWorker

SECRET = "bench-webhook-secret-0123456789abcdef"
INCIDENT = {
    "title": "Deepfaked CEO asked finance to wire money",
    "domain": "security",
    "cause": "adversarial",
    "harm_type": "executive_payment_fraud",
    "severity": "critical",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def receiver(port: int, ids: Counter[str], rejected: list[str]) -> ThreadingHTTPServer:
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                event_id = verify_signature(SECRET, dict(self.headers.items()), body)
            except SignatureError as exc:
                with lock:
                    rejected.append(str(exc))
                self.send_response(401)
            else:
                with lock:
                    ids[event_id] += 1
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--down", type=float, default=60)
    parser.add_argument("--wait", type=float, default=180)
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args()
    port, ids, rejected, attempts = free_port(), Counter[str](), [], Counter[str]()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'outage.db'}").open()
        store = IncidentStore(db)
        endpoint = WebhookEndpoint(url=f"http://127.0.0.1:{port}/hook", secret=SECRET)
        settings = WebhookDelivery()
        worker = WebhookWorker(db, (endpoint,), settings, observe=lambda r: attempts.update([r]))
        worker.start()
        t0 = time.monotonic()
        made = []
        for n in range(args.changes):  # spread over the outage
            made.append(
                store.create(IncidentIn.model_validate({**INCIDENT, "title": f"n{n}"}), "a")
            )
            time.sleep(args.down / (2 * args.changes))
        for view in made[: args.changes // 2]:
            store.update(view["id"], IncidentPatch(version=1, status="triaged"), "a")
        time.sleep(max(0.0, args.down - (time.monotonic() - t0)))
        failed_while_down = attempts["failed"]
        server = receiver(port, ids, rejected)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        up = time.monotonic()
        while time.monotonic() - up < args.wait and outbox.counts(db).get("pending", 0):
            time.sleep(0.5)
        all_in = time.monotonic() - up
        time.sleep(2 * settings.poll_seconds)  # a few more rounds: nothing sent again
        worker.stop()
        server.shutdown()
        counts = outbox.counts(db)
        db.close()
    events = counts.get("delivered", 0) + counts.get("pending", 0) + counts.get("dead", 0)
    print(
        json.dumps(
            {
                "benchmark": "webhook_outage",
                "settings": "service defaults (WebhookDelivery())",
                "receiver_down_seconds": args.down,
                "events": events,
                "outbox": counts,
                "failed_attempts_while_down": failed_while_down,
                "seconds_from_up_to_all_delivered": round(all_in, 1),
                "ids_received": len(ids),
                "ids_received_more_than_once": sum(1 for c in ids.values() if c > 1),
                "signatures_rejected": len(rejected),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    run_script(main)
