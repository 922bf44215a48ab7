"""Drift of traffic and decisions: per tenant and channel, the last window (by
default one day) against the reference before it (by default seven days).

    report = compare(read_traffic(db, ...), until=now, window=DAY, reference=7 * DAY)
    [m.name for m in report.metrics if m.alert]

The metrics of one tenant and channel:
- `decision_mix`: the shares of allow, step_up, hold and deny (chi-squared);
- `step_up_rate`, `hold_rate`: decisions that stepped up, that held (Fisher's
  exact test, as every rate);
- `verification_failure_rate`: verification events that failed;
- `finding_rate:DETECTOR`: decisions whose evidence holds the detector's finding,
  and `score:DETECTOR`: its scores (Kolmogorov-Smirnov).

A metric with fewer than `min_count` observations in either window is
`too_few` and never alerts. A tested metric alerts when its test is
significant after Benjamini-Hochberg across the tenant's and channel's tested
metrics (q <= `q`) and the shift is either large (PSI >= `psi`, or a rate
doubled or halved: PSI undersells a rare rate's jump) or a change point
(ADWIN) falls in the window: significance alone flags negligible shifts
on big volumes, size alone flags noise on small ones. ADWIN runs only where it
decides (significant, PSI under its threshold); elsewhere `change_point` is None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar

from channelguard.errors import InputError
from channelguard.watch import stats
from channelguard.watch.traffic import DecisionFact, Traffic, VerificationFact

__all__ = ["OUTCOMES", "DriftReport", "Filed", "Metric", "Span", "Thresholds", "compare"]

OUTCOMES = ("allow", "step_up", "hold", "deny")
Kind = Literal["mix", "rate", "scores"]
F = TypeVar("F", DecisionFact, VerificationFact)
TestName = Literal["chi2", "fisher", "ks"]
_TESTS: dict[str, TestName] = {"mix": "chi2", "rate": "fisher", "scores": "ks"}


@dataclass(frozen=True, kw_only=True, slots=True)
class Thresholds:
    psi: float = 0.10  # "moderate shift" on the usual PSI scale (0.10 moderate, 0.25 major)
    q: float = 0.01  # Benjamini-Hochberg false discovery rate per tenant and channel
    min_count: int = 30  # observations in each window before a metric is tested
    adwin_delta: float = 0.002  # river's default confidence for ADWIN
    ratio: float = 2.0  # a rate doubled or halved ("step-ups doubled"): PSI undersells rare rates

    def __post_init__(self) -> None:
        if not (
            self.psi > 0 and 0 < self.q < 1 and self.min_count >= 2 and 0 < self.adwin_delta < 1
        ):
            raise InputError(
                "drift thresholds: psi > 0, 0 < q < 1, min_count >= 2, 0 < delta < 1, ratio > 1"
            )


@dataclass(frozen=True, kw_only=True, slots=True)
class Span:
    since: datetime
    until: datetime
    count: int  # observations
    summary: dict[str, float]  # a rate, the mix's shares, or the scores' mean and median

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "count": self.count,
            **{k: round(v, 4) for k, v in self.summary.items()},
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Metric:
    name: str
    tenant: str
    channel: str
    kind: Kind
    window: Span
    reference: Span
    status: Literal["tested", "too_few"]
    statistic: float | None  # PSI; None when too few
    threshold: float  # the PSI threshold
    test: TestName
    p_value: float | None = None
    q_value: float | None = None
    change_point: bool | None = None
    alert: bool = False

    def to_dict(self) -> dict[str, Any]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 6)

        return {
            "name": self.name,
            "tenant": self.tenant,
            "channel": self.channel,
            "status": self.status,
            "window": self.window.to_dict(),
            "reference": self.reference.to_dict(),
            "statistic": r(self.statistic),
            "statistic_name": "psi",
            "threshold": self.threshold,
            "test": {"name": self.test, "p": r(self.p_value), "q": r(self.q_value)},
            "change_point": self.change_point,
            "alert": self.alert,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Filed:
    """A drift incident this report opened or added to."""

    id: int
    tenant: str
    channel: str
    opened: bool  # False: the shift's incident was already open and took the evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenant": self.tenant,
            "channel": self.channel,
            "opened": self.opened,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class DriftReport:
    until: datetime
    window: timedelta
    reference: timedelta
    thresholds: Thresholds
    metrics: tuple[Metric, ...]
    incidents: tuple[Filed, ...] = field(default=())

    def alerts(self) -> dict[tuple[str, str], list[Metric]]:
        """The alerting metrics by tenant and channel (one shift: one incident)."""
        out: dict[tuple[str, str], list[Metric]] = defaultdict(list)
        for m in self.metrics:
            if m.alert:
                out[(m.tenant, m.channel)].append(m)
        return dict(out)

    def with_incidents(self, filed: Sequence[Filed]) -> DriftReport:
        return replace(self, incidents=tuple(filed))

    def to_dict(self) -> dict[str, Any]:
        return {
            "until": self.until.isoformat(),
            "window_seconds": self.window.total_seconds(),
            "reference_seconds": self.reference.total_seconds(),
            "thresholds": {
                "psi": self.thresholds.psi,
                "q": self.thresholds.q,
                "min_count": self.thresholds.min_count,
                "adwin_delta": self.thresholds.adwin_delta,
                "ratio": self.thresholds.ratio,
            },
            "metrics": [m.to_dict() for m in self.metrics],
            "alerts": sum(m.alert for m in self.metrics),
            "incidents": [f.to_dict() for f in self.incidents],
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class _Series:
    """One metric's observations, each window in time order."""

    name: str
    kind: Kind
    window: list[Any]  # outcomes (mix), 0/1 (rate) or scores
    reference: list[Any]


@dataclass(frozen=True, kw_only=True, slots=True)
class _Frame:
    until: datetime
    window: timedelta
    reference: timedelta
    thresholds: Thresholds

    def spans(self, series: _Series) -> tuple[Span, Span]:
        start = self.until - self.window
        return (
            Span(
                since=start,
                until=self.until,
                count=len(series.window),
                summary=_summary(series, series.window),
            ),
            Span(
                since=start - self.reference,
                until=start,
                count=len(series.reference),
                summary=_summary(series, series.reference),
            ),
        )


def compare(
    traffic: Traffic,
    *,
    until: datetime,
    window: timedelta,
    reference: timedelta,
    thresholds: Thresholds | None = None,
) -> DriftReport:
    """The drift report of `traffic` (facts outside both windows are ignored)."""
    if window <= timedelta(0) or reference <= timedelta(0):
        raise InputError("the window and the reference must be longer than zero")
    frame = _Frame(
        until=until, window=window, reference=reference, thresholds=thresholds or Thresholds()
    )
    groups: dict[tuple[str, str], list[_Series]] = defaultdict(list)
    start = until - window
    for (tenant, channel), (dw, dr) in _split(traffic.decisions, start, frame).items():
        groups[(tenant, channel)].extend(_decision_series(dw, dr))
    for (tenant, channel), (vw, vr) in _split(traffic.verifications, start, frame).items():
        groups[(tenant, channel)].append(
            _Series(
                name="verification_failure_rate",
                kind="rate",
                window=[0 if v.passed else 1 for v in vw],
                reference=[0 if v.passed else 1 for v in vr],
            )
        )
    metrics: list[Metric] = []
    for (tenant, channel), series in sorted(groups.items()):
        metrics.extend(_tested(frame, tenant, channel, series))
    return DriftReport(
        until=until,
        window=window,
        reference=reference,
        thresholds=frame.thresholds,
        metrics=tuple(metrics),
    )


def _split(
    facts: Sequence[F], start: datetime, frame: _Frame
) -> dict[tuple[str, str], tuple[list[F], list[F]]]:
    out: dict[tuple[str, str], tuple[list[F], list[F]]] = {}
    for f in sorted(facts, key=lambda f: f.at):
        if not start - frame.reference <= f.at < frame.until:
            continue
        win, ref = out.setdefault((f.tenant, f.channel), ([], []))
        (win if f.at >= start else ref).append(f)
    return out


def _decision_series(window: list[DecisionFact], reference: list[DecisionFact]) -> list[_Series]:
    def rate(name: str, test: Callable[[DecisionFact], bool]) -> _Series:
        return _Series(
            name=name,
            kind="rate",
            window=[int(test(d)) for d in window],
            reference=[int(test(d)) for d in reference],
        )

    out = [
        _Series(
            name="decision_mix",
            kind="mix",
            window=[d.outcome for d in window],
            reference=[d.outcome for d in reference],
        ),
        rate("step_up_rate", lambda d: d.outcome == "step_up"),
        rate("hold_rate", lambda d: d.outcome == "hold"),
    ]
    detectors = sorted({f.detector for d in window + reference for f in d.findings})
    for name in detectors:
        out.append(rate(f"finding_rate:{name}", _has(name)))
        out.append(
            _Series(
                name=f"score:{name}",
                kind="scores",
                window=[f.score for d in window for f in d.findings if f.detector == name],
                reference=[f.score for d in reference for f in d.findings if f.detector == name],
            )
        )
    return out


def _has(detector: str) -> Callable[[DecisionFact], bool]:
    def found(d: DecisionFact) -> bool:
        return any(f.detector == detector for f in d.findings)

    return found


def _tested(frame: _Frame, tenant: str, channel: str, series: list[_Series]) -> list[Metric]:
    """Every metric of one tenant and channel, the tested ones adjusted together."""
    t = frame.thresholds
    raw: list[Metric] = []
    for s in series:
        win, ref = frame.spans(s)
        base = Metric(
            name=s.name,
            tenant=tenant,
            channel=channel,
            kind=s.kind,
            window=win,
            reference=ref,
            status="too_few",
            statistic=None,
            threshold=t.psi,
            test=_TESTS[s.kind],
        )
        if min(len(s.window), len(s.reference)) < t.min_count:
            raw.append(base)
            continue
        psi, p = _psi_and_p(s)
        raw.append(replace(base, status="tested", statistic=psi, p_value=p))
    tested = [i for i, m in enumerate(raw) if m.status == "tested"]
    qs = stats.adjusted([_p(raw[i]) for i in tested])
    for i, q in zip(tested, qs, strict=True):
        m, s = raw[i], series[i]
        large = (m.statistic or 0.0) >= t.psi or _ratio(s) >= t.ratio
        moved: bool | None = None
        if q <= t.q and not large:  # ADWIN only where it decides
            moved = stats.change_in_window(
                _stream(s, s.reference), _stream(s, s.window), delta=t.adwin_delta
            )
        alert = q <= t.q and (large or bool(moved))
        raw[i] = replace(m, q_value=q, change_point=moved, alert=alert)
    return raw


def _psi_and_p(s: _Series) -> tuple[float, float]:
    if s.kind == "scores":
        return stats.psi_scores(s.window, s.reference), stats.ks_p(s.window, s.reference)
    w, r = _counts(s, s.window), _counts(s, s.reference)
    return stats.psi_counts(w, r), stats.chi2_p(w, r)


def _ratio(s: _Series) -> float:
    """How many times a rate grew or shrank (smoothed like PSI); 1 for the rest."""
    if s.kind != "rate":
        return 1.0
    w = (float(sum(s.window)) + stats.SMOOTH) / (len(s.window) + 2 * stats.SMOOTH)
    r = (float(sum(s.reference)) + stats.SMOOTH) / (len(s.reference) + 2 * stats.SMOOTH)
    return max(w / r, r / w)


def _counts(s: _Series, values: list[Any]) -> list[float]:
    if s.kind == "mix":
        return [float(sum(v == o for v in values)) for o in OUTCOMES]
    return [float(sum(values)), float(len(values) - sum(values))]


def _stream(s: _Series, values: list[Any]) -> list[float]:
    """What ADWIN reads: a mix as "not allowed" (0/1), a rate or a score as it is."""
    if s.kind == "mix":
        return [float(v != "allow") for v in values]
    return [float(v) for v in values]


def _summary(s: _Series, values: list[Any]) -> dict[str, float]:
    if not values:
        return {}
    if s.kind == "mix":
        return {f"share_{o}": sum(v == o for v in values) / len(values) for o in OUTCOMES}
    if s.kind == "rate":
        return {"rate": sum(values) / len(values)}
    ordered = sorted(values)
    return {"mean": sum(values) / len(values), "median": ordered[len(ordered) // 2]}


def _p(m: Metric) -> float:
    return 1.0 if m.p_value is None else m.p_value
