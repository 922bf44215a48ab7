"""Drift past its threshold becomes a safety incident (harm type `model_drift`,
the AI owner leads): one per shift.

A traffic shift is grouped by tenant and channel ("TENANT|drift:CHANNEL"), a
canary change by tenant and endpoint ("TENANT|canary:ORIGIN"). The group's
incident takes every report that alerts for as long as the shift can be seen:
the window plus the reference (after that the reference holds the shifted
days, and a later alert is a new shift), unless it is resolved or closed first.
Filing goes through the register's own `open_or_update` (grouping, evidence
cap, hourly rate per tenant).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from channelguard.register.db import Database
from channelguard.register.grouping import FloodLimits, GroupKey
from channelguard.register.records import FailedControl, IncidentIn
from channelguard.register.store import IncidentStore
from channelguard.register.vocab import Cause, HarmType, IncidentDomain, Severity
from channelguard.watch.drift import DriftReport, Filed, Metric

__all__ = ["ACTOR", "file_drift", "file_incident"]

ACTOR = "channelguard (drift)"


def file_drift(db: Database, report: DriftReport) -> DriftReport:
    """Open (or add to) one incident per tenant and channel that alerts; the report
    with the incidents it filed."""
    span = (report.window + report.reference).total_seconds()
    filed: list[Filed] = []
    for (tenant, channel), metrics in sorted(report.alerts().items()):
        names = ", ".join(m.name for m in metrics)
        data = IncidentIn(
            title=f"Drift on {channel[:100]}: {names}"[:300],
            domain=IncidentDomain.SAFETY,
            cause=Cause.ACCIDENTAL,
            harm_type=HarmType.MODEL_DRIFT,
            severity=Severity.MEDIUM,
            summary=_summary(report, metrics),
            failed_control=FailedControl(channel=channel[:200]),
        )
        evidence = {
            "until": report.until.isoformat(),
            "metrics": [m.to_dict() for m in metrics],
        }
        incident, opened = file_incident(
            db,
            data,
            group=GroupKey(tenant=tenant, technique=f"drift:{channel}"),
            evidence=evidence,
            keep_seconds=span,
        )
        filed.append(Filed(id=incident, tenant=tenant, channel=channel, opened=opened))
    return report.with_incidents(filed)


def file_incident(
    db: Database,
    data: IncidentIn,
    *,
    group: GroupKey,
    evidence: dict[str, Any],
    keep_seconds: float,
) -> tuple[int, bool]:
    """(incident id, opened) for one drift finding, grouped for `keep_seconds`."""
    store = IncidentStore(db, limits=FloodLimits(window_seconds=keep_seconds))
    return store.open_or_update(data, ACTOR, group=group, evidence=[("note", evidence)])


def _summary(report: DriftReport, metrics: list[Metric]) -> str:
    window = _days(report.window)
    lines = [
        f"Traffic or decisions changed in the {window} before {report.until.isoformat()} "
        f"against the {_days(report.reference)} before it:"
    ]
    for m in metrics:
        lines.append(
            f"- {m.name}: PSI {m.statistic or 0:.3f} (threshold {m.threshold}), "
            f"{m.test} q {m.q_value or 0:.2g}, change point {'yes' if m.change_point else 'no'}; "
            f"window {m.window.summary} against {m.reference.summary}"
        )
    return "\n".join(lines)[:20_000]


def _days(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours / 24:g} days" if hours >= 24 else f"{hours:g} hours"
