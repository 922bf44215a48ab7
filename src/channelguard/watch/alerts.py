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

import urllib.parse
from datetime import timedelta
from typing import Any

from channelguard.exercise.canary import Change
from channelguard.register.db import Database
from channelguard.register.grouping import FloodLimits, GroupKey
from channelguard.register.records import FailedControl, IncidentIn
from channelguard.register.store import IncidentStore
from channelguard.register.vocab import Cause, HarmType, IncidentDomain, Severity
from channelguard.watch.drift import DriftReport, Filed, Metric

__all__ = ["ACTOR", "file_canary", "file_drift", "file_incident"]

ACTOR = "channelguard (drift)"
CANARY_GROUP_SECONDS = 7 * 86400.0


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
            f"{m.test} q {m.q_value or 0:.2g}, change point {_point(m.change_point)}; "
            f"window {_shown(m.window.summary)} against {_shown(m.reference.summary)}"
        )
    return "\n".join(lines)[:20_000]


def _point(found: bool | None) -> str:
    return "not needed (PSI past)" if found is None else ("yes" if found else "no")


def _shown(summary: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3g}" for k, v in summary.items()) or "nothing"


def _days(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    count, unit = (hours / 24, "day") if hours >= 24 else (hours, "hour")
    return f"{count:g} {unit}{'' if count == 1 else 's'}"


def file_canary(
    db: Database, endpoint: str, changes: list[Change], *, tenant: str
) -> tuple[int, bool]:
    """One incident per endpoint while its change stands (a week: the canary runs
    from cron and would otherwise open one a run)."""
    origin = urllib.parse.urlsplit(endpoint)
    where = f"{origin.scheme}://{origin.netloc}"[:200]
    leak = any("personal_data" in c.what for c in changes)
    data = IncidentIn(
        title=f"Canary: the AI agent at {where} behaves differently ({len(changes)} changes)"[:300],
        domain=IncidentDomain.SAFETY,
        cause=Cause.ACCIDENTAL,
        harm_type=HarmType.MODEL_DRIFT,
        severity=Severity.HIGH if leak else Severity.MEDIUM,
        summary="\n".join(f"- {c.probe}: {c.what}" for c in changes)[:20_000],
        personal_data=leak,
    )
    evidence = {"endpoint": where, "changes": [{"probe": c.probe, "what": c.what} for c in changes]}
    return file_incident(
        db,
        data,
        group=GroupKey(tenant=tenant, technique=f"canary:{where}"),
        evidence=evidence,
        keep_seconds=CANARY_GROUP_SECONDS,
    )
