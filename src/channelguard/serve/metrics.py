"""Prometheus metrics on a registry of the app's own (no module globals): requests,
latencies, decisions by outcome, findings by domain and detector, incidents by
state and webhook deliveries by state (counted from the database at scrape time,
so every replica agrees), webhook attempts by result, and
drift per channel and metric of the key's own tenant (watch/exported.py)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from channelguard.register import outbox
from channelguard.register.db import Database
from channelguard.register.tables import IncidentRow
from channelguard.watch.exported import DriftCollector

__all__ = ["Metrics"]


class _Incidents(Collector):
    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        gauge = GaugeMetricFamily(
            "channelguard_incidents", "Incidents in the register by status", labels=["status"]
        )
        with self.db.read() as s:
            counts = s.execute(
                select(IncidentRow.status, func.count()).group_by(IncidentRow.status)
            ).all()
        for status, count in counts:
            gauge.add_metric([status], count)
        yield gauge


class _Outbox(Collector):
    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        gauge = GaugeMetricFamily(
            "channelguard_webhook_outbox", "Webhook deliveries by state", labels=["state"]
        )
        for state, count in sorted(outbox.counts(self.db).items()):
            gauge.add_metric([state], count)
        yield gauge


class Metrics:
    def __init__(self, db: Database) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "channelguard_requests",
            "HTTP requests",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "channelguard_request_seconds",
            "HTTP request latency",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
            registry=self.registry,
        )
        self.decisions = Counter(
            "channelguard_decisions", "Decisions by outcome", ["decision"], registry=self.registry
        )
        self.findings = Counter(
            "channelguard_findings",
            "Guard findings",
            ["domain", "detector"],
            registry=self.registry,
        )
        self.events = Counter("channelguard_events", "Events accepted", registry=self.registry)
        self.webhooks = Counter(
            "channelguard_webhook_deliveries",
            "Webhook delivery attempts by result (delivered, failed, dead, error)",
            ["result"],
            registry=self.registry,
        )
        self.registry.register(_Incidents(db))
        self.registry.register(_Outbox(db))
        self.drift = DriftCollector(db)  # watch/: per tenant, so not in the shared registry

    def exposition(self, tenant: str | None) -> bytes:
        """What /metrics shows a key of `tenant` (None: a global key): the
        service-wide figures, and drift of that tenant only."""
        return generate_latest(self.registry) + self.drift.text(tenant)
