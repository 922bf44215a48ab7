"""One drift report from a register: read, compare, file.

report = drift_report(db, until=parse_until(None), window=parse_duration("1d", "--window"))
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from channelguard.errors import InputError
from channelguard.register.db import Database
from channelguard.watch.alerts import file_drift
from channelguard.watch.drift import DriftReport, Thresholds, compare
from channelguard.watch.traffic import read_traffic

__all__ = ["drift_report", "parse_duration", "parse_until"]

UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
DURATION = re.compile(r"^(\d{1,5})([mhdw])$")


def parse_duration(text: str, option: str) -> timedelta:
    """ "90m", "12h", "1d", "2w" (whole numbers, above zero)."""
    found = DURATION.match(text.strip())
    if not found or int(found.group(1)) == 0:
        raise InputError(f"{option}: '{text[:40]}' is not a duration such as 90m, 12h, 1d or 2w")
    return timedelta(seconds=int(found.group(1)) * UNITS[found.group(2)])


def parse_until(text: str | None, option: str = "--until") -> datetime:
    """An ISO 8601 time (UTC when it names no zone), or now."""
    if text is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{option}: '{text[:40]}' is not an ISO 8601 time such as 2026-03-01T00:00:00Z"
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def drift_report(
    db: Database,
    *,
    until: datetime,
    window: timedelta,
    reference: timedelta,
    tenant: str | None = None,
    thresholds: Thresholds | None = None,
    file: bool = True,
) -> DriftReport:
    """The report over what `db` stored; with `file`, its alerts become incidents."""
    traffic = read_traffic(db, since=until - window - reference, until=until, tenant=tenant)
    report = compare(
        traffic, until=until, window=window, reference=reference, thresholds=thresholds
    )
    return file_drift(db, report) if file else report
