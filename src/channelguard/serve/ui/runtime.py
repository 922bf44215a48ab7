"""Run-time and drift figures for the dashboard, read from the register the way
`channelguard drift report` reads it (watch/traffic.py), never written: the
drift page shows the report without filing its alerts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from channelguard.guard.registry import build_registry
from channelguard.register.db import Database
from channelguard.watch.drift import DriftReport
from channelguard.watch.run import drift_report
from channelguard.watch.traffic import read_traffic

__all__ = ["OUTCOMES", "RunTime", "drift", "run_time"]

OUTCOMES = ("allow", "step_up", "hold", "deny")


@dataclass(frozen=True, kw_only=True, slots=True)
class RunTime:
    since: datetime
    until: datetime
    buckets: list[str]  # the start of each bucket (UTC), as the chart labels it
    by_outcome: dict[str, list[int]]  # outcome -> count per bucket
    total: int
    rates: dict[str, float | None]  # outcome -> share of all decisions (None: none yet)
    by_detector: list[dict[str, Any]]  # detector, domain, decisions it was evidence for


def _domains() -> dict[str, str]:
    return {i: str(getattr(cls.domain, "value", cls.domain)) for i, cls in build_registry().items()}


def run_time(db: Database, *, until: datetime, days: int, tenant: str | None) -> RunTime:
    """Decisions of the last `days` days in daily buckets (hourly for one day)."""
    step = timedelta(hours=1) if days == 1 else timedelta(days=1)
    count = 24 if days == 1 else days
    label = "%m-%d %H:%M" if days == 1 else "%Y-%m-%d"
    since = until - step * count
    traffic = read_traffic(db, since=since, until=until, tenant=tenant)
    by_outcome: dict[str, list[int]] = {o: [0] * count for o in OUTCOMES}
    detectors: Counter[str] = Counter()
    for d in traffic.decisions:
        slot = min(int((d.at - since) / step), count - 1)
        by_outcome.setdefault(d.outcome, [0] * count)[slot] += 1
        detectors.update(f.detector for f in d.findings)
    total = len(traffic.decisions)
    rates = {o: (sum(v) / total if total else None) for o, v in by_outcome.items()}
    domains = _domains()
    by_detector = [
        {
            "detector": name,
            "domain": "signal" if name.startswith("signal:") else domains.get(name, "unknown"),
            "decisions": n,
        }
        for name, n in detectors.most_common()
    ]
    return RunTime(
        since=since,
        until=until,
        buckets=[(since + step * i).strftime(label) for i in range(count)],
        by_outcome=by_outcome,
        total=total,
        rates=rates,
        by_detector=by_detector,
    )


def findings_by_domain(rows: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        out[r["domain"]] += r["decisions"]
    return dict(out)


def drift(
    db: Database, *, until: datetime, window: timedelta, reference: timedelta, tenant: str | None
) -> DriftReport:
    """The drift report over the register, not filed (a page view changes nothing)."""
    return drift_report(
        db, until=until, window=window, reference=reference, tenant=tenant, file=False
    )
