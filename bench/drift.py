"""Drift detection on replayed synthetic streams: days to detect a known shift,
and false alarms on stable streams of the same length. Prints JSON.

The streams are generated here (no stored or third-party data): per tenant a
daily volume of decisions (weekends at 60%, Poisson noise) with a fixed
outcome mix, security findings of three detectors at fixed rates with Beta
scores, and verification events with a fixed failure rate. From the shift day
on, one of:

- `new_scam_script`: `callback_lure` fires three times as often, with higher
  scores, and the sessions it adds are held (a new script reaches the agents);
- `detector_silenced`: `prompt_injection` stops firing (an upgrade broke it);
- `step_ups_doubled`: the step-up share doubles (a model or policy change).

Every day's report (window 1 day, reference 7 days, the shipped thresholds)
runs on the stream as `channelguard drift report` does, minus the database.
Days to detect: from the shift's start to the end of the first day whose
report alerts on that tenant (1 = the shift's own day). A false alarm: a
day whose report alerts on a tenant with no shift in its window or reference.
The thresholds are the documented defaults. Development seeds 0-2 were used
to choose the alert rule (the rate-ratio leg, after PSI missed a rare rate that
tripled) and q; the reported seeds (2000 on) were run once, after that.

    python bench/drift.py [--seeds 5] [--days 36] [--shift-day 22]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from channelguard.errors import run_script
from channelguard.watch.drift import Thresholds, compare
from channelguard.watch.traffic import DecisionFact, Scored, Traffic, VerificationFact

DAY = timedelta(days=1)
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
TENANTS = {"small": 250, "medium": 700, "large": 2000}  # decisions a weekday
MIX = {"allow": 0.70, "step_up": 0.18, "hold": 0.09, "deny": 0.03}
DETECTORS = {  # rate per decision, Beta(a, b) scores
    "prompt_injection": (0.04, 6.0, 2.0),
    "callback_lure": (0.03, 4.0, 3.0),
    "signal:new_device": (0.10, 2.0, 2.0),
}
VERIFY_FAIL = 0.08
SHIFTS = ("new_scam_script", "detector_silenced", "step_ups_doubled")


@dataclass(frozen=True, kw_only=True, slots=True)
class Stream:
    traffic: Traffic
    shifted: frozenset[str]  # the tenants the shift hits (all, here)


def _decision(rng: random.Random, tenant: str, at: datetime, shift: str | None) -> DecisionFact:
    mix = dict(MIX)
    if shift == "step_ups_doubled":
        mix["step_up"], mix["allow"] = 2 * MIX["step_up"], MIX["allow"] - MIX["step_up"]
    outcome = rng.choices(list(mix), weights=list(mix.values()))[0]
    found = []
    for name, (rate, a, b) in DETECTORS.items():
        score_a = a
        if shift == "detector_silenced" and name == "prompt_injection":
            continue
        if shift == "new_scam_script" and name == "callback_lure":
            rate, score_a = 3 * rate, a + 4
        if rng.random() < rate:
            found.append(Scored(detector=name, score=round(rng.betavariate(score_a, b), 3)))
    if shift == "new_scam_script" and any(f.detector == "callback_lure" for f in found):
        outcome = "hold" if rng.random() < 0.67 else outcome
    return DecisionFact(
        tenant=tenant, channel="ai_chat", at=at, outcome=outcome, rule="", findings=tuple(found)
    )


def _stream(seed: int, days: int, shift: str | None, shift_day: int) -> Traffic:
    # each kind of stream its own draws: with one seed, the days before a shift would
    # repeat the stable stream's, and one false alarm would be counted four times
    rng = random.Random(f"{seed}:{shift}")
    decisions: list[DecisionFact] = []
    verifications: list[VerificationFact] = []
    for day in range(days):
        begin = START + day * DAY
        weekend = begin.weekday() >= 5
        active = shift if shift is not None and day >= shift_day else None
        for tenant, volume in TENANTS.items():
            n = _poisson(rng, volume * (0.6 if weekend else 1.0))
            for _ in range(n):
                at = begin + timedelta(seconds=rng.uniform(0, 86399))
                decisions.append(_decision(rng, tenant, at, active))
            for _ in range(_poisson(rng, volume * 0.5 * (0.6 if weekend else 1.0))):
                at = begin + timedelta(seconds=rng.uniform(0, 86399))
                passed = rng.random() >= VERIFY_FAIL
                verifications.append(
                    VerificationFact(tenant=tenant, channel="ai_chat", at=at, passed=passed)
                )
    return Traffic(decisions=tuple(decisions), verifications=tuple(verifications))


def _poisson(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, mean**0.5)))  # normal approximation: means >= 100


def _alerting_days(traffic: Traffic, days: int, limits: Thresholds) -> dict[str, list[int]]:
    """Per tenant, the days (index of the day a report ends) whose report alerts."""
    out: dict[str, list[int]] = {t: [] for t in TENANTS}
    for day in range(8, days + 1):  # the first report with a full reference ends on day 8
        until = START + day * DAY
        report = compare(traffic, until=until, window=DAY, reference=7 * DAY, thresholds=limits)
        for tenant, _ in report.alerts():
            out[tenant].append(day)
    return out


def _run(
    seed: int, days: int, shift: str | None, shift_day: int, limits: Thresholds
) -> dict[str, Any]:
    alerts = _alerting_days(_stream(seed, days, shift, shift_day), days, limits)
    reports = days - 7
    out: dict[str, Any] = {}
    for tenant, hit in alerts.items():
        if shift is None:
            false = hit
            detected = None
        else:  # before the shift: false alarms; after: the first alert detects it
            false = [d for d in hit if d <= shift_day]
            after = [d for d in hit if d > shift_day]
            detected = (after[0] - shift_day) if after else None
        clean_reports = reports if shift is None else shift_day - 7
        out[tenant] = {
            "days_to_detect": detected,
            "false_alarm_days": len(false),
            "clean_reports": clean_reports,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--days", type=int, default=36)
    parser.add_argument("--shift-day", type=int, default=22)
    parser.add_argument("--first-seed", type=int, default=2000, help="0-2: the development seeds")
    parser.add_argument(
        "--q", type=float, default=Thresholds().q, help="to explore, dev seeds only"
    )
    args = parser.parse_args()
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    limits = Thresholds(q=args.q)
    runs = {
        kind: [
            _run(seed, args.days, None if kind == "stable" else kind, args.shift_day, limits)
            for seed in seeds
        ]
        for kind in ("stable", *SHIFTS)
    }
    print(json.dumps(_summary(runs, seeds, args, limits), indent=2))


def _summary(
    runs: dict[str, list[dict[str, Any]]], seeds: list[int], args: Any, limits: Thresholds
) -> dict[str, Any]:
    detection: dict[str, Any] = {}
    for kind in SHIFTS:
        per_tenant = {}
        for tenant in TENANTS:
            days = [r[tenant]["days_to_detect"] for r in runs[kind]]
            found = [d for d in days if d is not None]
            per_tenant[tenant] = {
                "days_to_detect": days,
                "missed": len(days) - len(found),
                "max": max(found) if found else None,
                "within_2_days": sum(d <= 2 for d in found) / len(days),
            }
        detection[kind] = per_tenant
    false_alarms: dict[str, Any] = {}
    for tenant in TENANTS:
        rates = []
        for results in runs.values():
            for r in results:
                clean = r[tenant]["clean_reports"]
                rates.append(30 * r[tenant]["false_alarm_days"] / clean)
        false_alarms[tenant] = {
            "per_30_days_mean": round(statistics.mean(rates), 3),
            "per_30_days_min": round(min(rates), 3),
            "per_30_days_max": round(max(rates), 3),
            "stable_streams": len(runs["stable"]),
            "clean_days_counted": sum(
                r[tenant]["clean_reports"] for rs in runs.values() for r in rs
            ),
        }
    return {
        "data": "synthetic streams generated by bench/drift.py (no stored or third-party data)",
        "seeds": seeds,
        "days": args.days,
        "shift_day": args.shift_day,
        "tenants_decisions_per_weekday": TENANTS,
        "window": "1d",
        "reference": "7d",
        "thresholds": {
            "psi": limits.psi,
            "q": limits.q,
            "min_count": limits.min_count,
            "adwin_delta": limits.adwin_delta,
            "ratio": limits.ratio,
            "shipped_defaults": limits == Thresholds(),
        },
        "targets": {"days_to_detect": "<= 2", "false_alarms_per_30_days_per_tenant": "<= 1"},
        "detection": detection,
        "false_alarms": false_alarms,
    }


if __name__ == "__main__":
    run_script(main)
