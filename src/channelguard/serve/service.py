"""Everything one service process holds, built in an explicit start() step:
the channel model, the guard, the playbooks and the database. Nothing here
is state two replicas could disagree on: sessions and incidents live in the
database."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from channelguard.decide.session import Decider
from channelguard.errors import ConfigError, InputError, ModelError
from channelguard.guard.calibration import load_calibration
from channelguard.guard.guard import Guard
from channelguard.model.loader import LoadedModel, load_file
from channelguard.register.db import Database
from channelguard.register.feedback import FeedbackStore
from channelguard.register.grouping import FloodLimits
from channelguard.register.identities import ClaimedIdentities
from channelguard.register.keys import KeyStore
from channelguard.register.playbooks import Playbooks, load_playbooks
from channelguard.register.store import IncidentStore
from channelguard.runtime.filing import Filer, FilingPolicy
from channelguard.runtime.ledger import Ledger
from channelguard.serve.config import ServiceConfig
from channelguard.serve.limits import KeyRateLimit
from channelguard.serve.telemetry import tracer_provider

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

    from channelguard.review.review import Review

__all__ = ["Service"]


class Service:
    def __init__(
        self,
        config: ServiceConfig,
        *,
        clock: Callable[[], float] | None = time.time,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        """`clock`: the server's clock is the truth and `at` is evidence (the service);
        None replays a file, where each event's `at` is the clock (`decide --database`).
        `tracer_provider`: an OpenTelemetry SDK provider of your own (default: the one
        `telemetry:` configures, or none)."""
        self.config = config
        self.clock = clock
        self.tracer_provider = tracer_provider
        self._own_provider = tracer_provider is None  # built here: shut down here
        self._started = False
        # the served model's reviews, without and with the plan (the model and the plan
        # budget are read once, at start)
        self._reviews: dict[bool, Review] = {}
        self._reviewing = threading.Lock()

    def start(self) -> Service:
        """Load and check everything; any problem stops start-up (ConfigError)."""
        try:
            secret = self.config.secret() if self.config.claimed_identities == "hmac" else None
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        try:
            self.loaded: LoadedModel = load_file(self.config.model)
            self.playbooks: Playbooks = load_playbooks(self.config.playbooks)
        except ModelError as exc:
            raise ConfigError(str(exc)) from None
        chosen = self.config.guard.detectors
        try:
            self.guard = Guard(
                detectors=list(chosen) if chosen is not None else None,
                threshold=self.config.guard_threshold,
                rules=[str(p) for p in self.config.guard.rules],
                disable_rules=list(self.config.guard.disable_rules),
                multilingual=self.config.guard.multilingual,
            ).load()
        except InputError as exc:
            raise ConfigError(f"guard: {exc}") from None
        self.tenant_guards = self._calibrated(self.guard)
        if self.tracer_provider is None:
            self.tracer_provider = tracer_provider(self.config.telemetry)
        tracer = self.tracer_provider.get_tracer("channelguard") if self.tracer_provider else None
        self.db = Database(self.config.database_url).open()
        self.store = IncidentStore(
            self.db,
            playbooks=self.playbooks,
            redact=self.config.redact_evidence,
            limits=FloodLimits(
                window_seconds=self.config.filing_window_seconds,
                evidence_cap=self.config.filing_evidence_cap,
                incidents_per_hour=self.config.filing_max_incidents_per_hour,
            ),
        )
        self.keys = KeyStore(self.db)
        self.feedback = FeedbackStore(self.db, redact=self.config.redact_evidence)
        self.limiter = KeyRateLimit(self.config.rate_limit_per_second, self.config.rate_limit_burst)
        self.anonymous = KeyRateLimit(
            self.config.anonymous_rate_limit_per_second, self.config.anonymous_rate_limit_burst
        )
        # /healthz has a bucket of its own per address: key guessers behind the same
        # proxy cannot starve a load balancer's health checks
        self.health = KeyRateLimit(
            self.config.anonymous_rate_limit_per_second, self.config.anonymous_rate_limit_burst
        )
        policy = FilingPolicy(
            enabled=self.config.filing, min_severity=self.config.filing_min_severity
        )
        decider = Decider(
            self.loaded,
            self.guard,
            strict=self.config.strict,
            shadow=self.config.shadow,
            session_ttl_seconds=self.config.session_ttl_seconds,
            clock=self.clock,
            max_skew_seconds=self.config.max_clock_skew_seconds,
        )
        self.ledger = Ledger(
            self.db,
            decider,
            Filer(self.store, policy),
            redact=self.config.redact_evidence,
            identities=ClaimedIdentities(secret),
            guard_for=self.guard_for,
            tracer=tracer,
            inspect_budget_seconds=self.config.scan_time_budget_seconds,
        )
        self._started = True
        return self

    def _calibrated(self, guard: Guard) -> dict[str, Guard]:
        """The guard under each tenant's calibration; a bad file or two files for one
        tenant stop start-up."""
        out: dict[str, Guard] = {}
        for path in self.config.guard.calibration:
            try:
                calibration = load_calibration(path)
            except InputError as exc:
                raise ConfigError(f"guard.calibration: {exc}") from None
            if calibration.tenant in out:
                raise ConfigError(
                    f"guard.calibration: {path}: a second calibration for tenant "
                    f"{calibration.tenant}"
                )
            out[calibration.tenant] = guard.calibrated(calibration)
        return out

    def guard_for(self, tenant: str | None) -> Guard:
        """The guard a tenant's scans run under: its calibration, or the shipped one."""
        return self.tenant_guards.get(tenant or "", self.guard)

    def review(self, *, with_plan: bool) -> Review:
        """The served model's review (with its hardening plan on request), computed
        once a process (seconds of CPU on a large model): /v1/review and the
        dashboard share it. Callers read it, never change it."""
        from channelguard.review.review import run_review

        budget = self.config.review_plan_budget_seconds
        with self._reviewing:  # a second caller waits for the first one's review
            found = self._reviews.get(with_plan)
            if found is None:
                found = run_review(self.loaded, with_plan=with_plan, plan_budget=budget)
                self._reviews[with_plan] = found
            return found

    @property
    def policy(self) -> str:
        m = self.loaded.model
        return f"{m.organization} {m.version}"

    def stop(self) -> None:
        if self._started:
            if self.tracer_provider is not None and self._own_provider:
                self.tracer_provider.shutdown()  # exports what is still buffered
            self.db.close()
            self._started = False
