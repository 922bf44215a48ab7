"""Drift in the service's /metrics: the report (read-only: scraping never files
an incident) over the last day against the seven before, run at most once every
`every_seconds`, each tested metric exported as gauges. A key of one tenant
sees its own tenant's drift only, a global key every tenant's (`text`):

    channelguard_drift_psi{tenant, channel, metric}       the PSI
    channelguard_drift_q{tenant, channel, metric}         the test's adjusted p (BH)
    channelguard_drift_alert{tenant, channel, metric}     1 past its threshold, else 0
    channelguard_drift_report_timestamp_seconds           when the report ran
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from channelguard.errors import DependencyError
from channelguard.register.db import Database
from channelguard.watch.drift import DriftReport
from channelguard.watch.run import drift_report

__all__ = ["DriftCollector"]

LABELS = ["tenant", "channel", "metric"]


class _View(Collector):
    """One scrape's drift families, of one tenant (or every tenant's: None)."""

    def __init__(self, source: DriftCollector, tenant: str | None) -> None:
        self.source = source
        self.tenant = tenant

    def collect(self) -> Iterator[GaugeMetricFamily]:
        return self.source.families(self.tenant)


class DriftCollector:
    def __init__(
        self,
        db: Database,
        *,
        every_seconds: float = 300.0,
        window: timedelta = timedelta(days=1),
        reference: timedelta = timedelta(days=7),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.every_seconds = every_seconds
        self.window = window
        self.reference = reference
        self._clock = clock
        self._lock = threading.Lock()
        self._latest: tuple[float, DriftReport] | None = None

    def latest(self) -> DriftReport:
        """The last report, run again when older than `every_seconds`."""
        with self._lock:
            now = self._clock()
            if self._latest is None or now - self._latest[0] >= self.every_seconds:
                report = drift_report(
                    self.db,
                    until=datetime.now(UTC),
                    window=self.window,
                    reference=self.reference,
                    file=False,
                )
                self._latest = (now, report)
            return self._latest[1]

    def text(self, tenant: str | None) -> bytes:
        """The Prometheus text of `tenant`'s drift (None: every tenant's)."""
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_View(self, tenant))
        return generate_latest(registry)

    def families(self, tenant: str | None) -> Iterator[GaugeMetricFamily]:
        try:
            report = self.latest()
        except DependencyError:  # without the watch extra: no drift, the rest as before
            return
        psi = GaugeMetricFamily(
            "channelguard_drift_psi", "Drift: PSI, window vs reference", labels=LABELS
        )
        q = GaugeMetricFamily(
            "channelguard_drift_q", "Drift: the two-sample test's BH-adjusted p", labels=LABELS
        )
        alert = GaugeMetricFamily(
            "channelguard_drift_alert", "Drift: 1 when past its threshold", labels=LABELS
        )
        for m in report.metrics:
            if m.status != "tested" or tenant not in (None, m.tenant):
                continue
            labels = [m.tenant, m.channel, m.name]
            psi.add_metric(labels, m.statistic or 0.0)
            q.add_metric(labels, 1.0 if m.q_value is None else m.q_value)
            alert.add_metric(labels, 1.0 if m.alert else 0.0)
        ran = GaugeMetricFamily(
            "channelguard_drift_report_timestamp_seconds", "When the drift report last ran"
        )
        ran.add_metric([], report.until.timestamp())
        yield from (psi, q, alert, ran)
