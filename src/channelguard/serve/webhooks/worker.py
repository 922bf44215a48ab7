"""The delivery worker: a thread the service's lifespan starts when `webhooks:` is
configured. Each round it

1. fans new outbox events out to the endpoints subscribed to them,
2. every `clock_check_seconds`, enqueues the clocks that went overdue (clocks.py),
3. claims due deliveries (leased: register/outbox.py) and posts each one, signed,
   with a timeout and no redirect followed,
4. settles each: delivered on a 2xx, else retried after an exponential backoff
   with jitter (`backoff_base_seconds` doubling up to `backoff_cap_seconds`),
   dead after `max_attempts`.

An event reaches a receiver once per endpoint unless the receiver answered after
the lease ran out or the answer was lost (then again, with the same event id).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from channelguard import __version__
from channelguard.integrations.webhooks import SIGNATURE_HEADER, signed_headers
from channelguard.register import outbox
from channelguard.register.db import Database
from channelguard.register.outbox import Claimed, Outcome
from channelguard.serve.webhooks.clocks import enqueue_overdue
from channelguard.serve.webhooks.config import WebhookDelivery, WebhookEndpoint
from channelguard.serve.webhooks.payload import event_json, json_body, slack_body

__all__ = ["Round", "WebhookWorker"]

LOG = logging.getLogger(__name__)
LEASE_MARGIN_SECONDS = 30  # a claim outlives its batch's HTTP timeouts by this much
CLAIM_BATCH = 10  # deliveries claimed at once: all of them can time out within the lease


@dataclass(frozen=True, kw_only=True, slots=True)
class Round:
    """What one round did: deliveries made, clock events, and attempts by result."""

    fanned_out: int = 0
    clocks: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0


class WebhookWorker:
    def __init__(
        self,
        db: Database,
        endpoints: tuple[WebhookEndpoint, ...],
        settings: WebhookDelivery,
        *,
        observe: Callable[[str], None] | None = None,
        seed: int | None = None,
    ) -> None:
        """`observe(result)` is told of each attempt: delivered, failed or dead."""
        self.db = db
        self.endpoints = {e.key: e for e in endpoints}
        self.settings = settings
        self.observe = observe or (lambda _result: None)
        self._random = random.Random(seed)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_clock_check: datetime | None = None

    def backoff(self, attempt: int) -> float:
        """Seconds before retry `attempt + 1`: base·2^(attempt-1), capped, times a
        jitter in [0.5, 1] so that many failed deliveries do not retry in step."""
        s = self.settings
        doubled = s.backoff_base_seconds * 2.0 ** min(attempt - 1, 40)
        return float(min(s.backoff_cap_seconds, doubled) * self._random.uniform(0.5, 1.0))

    def run_once(self, now: datetime | None = None) -> Round:
        now = now or datetime.now(UTC)
        s = self.settings
        subscribed = {k: frozenset(e.events) for k, e in self.endpoints.items()}
        tenants = {k: e.tenant for k, e in self.endpoints.items()}
        fanned = outbox.fan_out(
            self.db,
            subscribed,
            now=now,
            tenants=tenants,
            max_age=timedelta(seconds=s.max_event_age_seconds),
        )
        clocks = 0
        if self._next_clock_check is None or now >= self._next_clock_check:
            clocks = enqueue_overdue(self.db, now=now)
            self._next_clock_check = now + timedelta(seconds=s.clock_check_seconds)
        lease = s.timeout_seconds * CLAIM_BATCH + LEASE_MARGIN_SECONDS
        claimed = outbox.claim(
            self.db, list(self.endpoints), now=now, lease_seconds=lease, limit=CLAIM_BATCH
        )
        results = {"delivered": 0, "failed": 0, "dead": 0}
        if claimed:
            with httpx.Client(timeout=s.timeout_seconds, follow_redirects=False) as client:
                for item in claimed:
                    if self._stop.is_set():  # shutting down: the rest wait out their lease
                        break
                    result = self._deliver(client, item)
                    results[result] += 1
                    self.observe(result)
        return Round(fanned_out=fanned, clocks=clocks, **results)

    def _deliver(self, client: httpx.Client, item: Claimed) -> str:
        endpoint = self.endpoints[item.endpoint]
        event = event_json(
            event_id=item.event_id,
            type=item.type,
            tenant=item.tenant,
            occurred_at=item.occurred_at,
            body=item.body,
        )
        body = slack_body(event) if endpoint.format == "slack" else json_body(event)
        secret = endpoint.secret_bytes()
        signed = signed_headers(secret or b"unsigned", item.event_id, body)
        if not secret:  # a Slack endpoint without one: its URL is the secret
            del signed[SIGNATURE_HEADER]
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"channelguard-webhooks/{__version__}",
            **signed,
        }
        outcome = self._post(client, endpoint.url, body, headers, item.attempt)
        state = outbox.settle(self.db, item, outcome, now=datetime.now(UTC))
        if state == "pending":
            return "failed"
        return state

    def _post(
        self, client: httpx.Client, url: str, body: bytes, headers: dict[str, str], attempt: int
    ) -> Outcome:
        try:  # streamed and never read: a receiver's answer body cannot fill memory
            with client.stream("POST", url, content=body, headers=headers) as answer:
                status, redirect = answer.status_code, answer.is_redirect
        except httpx.HTTPError as exc:
            return self._failed(None, f"{type(exc).__name__}: {exc}", attempt)
        if 200 <= status < 300:
            return Outcome(delivered=True, status=status)
        why = "a redirect (not followed)" if redirect else "not a 2xx answer"
        return self._failed(status, f"HTTP {status}: {why}", attempt)

    def _failed(self, status: int | None, error: str, attempt: int) -> Outcome:
        if attempt >= self.settings.max_attempts:
            return Outcome(delivered=False, status=status, error=error)
        at = datetime.now(UTC) + timedelta(seconds=self.backoff(attempt))
        return Outcome(delivered=False, status=status, error=error, retry_at=at)

    # -- the thread --------------------------------------------------------------
    def start(self) -> WebhookWorker:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._loop, name="channelguard-webhooks", daemon=True
            )
            self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a database blip: the next round tries again
                LOG.exception("webhook round failed; retrying in %s s", self.settings.poll_seconds)
                self.observe("error")
            self._stop.wait(self.settings.poll_seconds)
