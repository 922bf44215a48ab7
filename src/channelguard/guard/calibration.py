"""A tenant's calibration: operating points re-fitted from its marked feedback
(`channelguard guard calibrate --write FILE`), loaded by the Guard
(`Guard(calibration=...)`, `scan --calibration FILE`, `guard.calibration` in
the service configuration). Nothing is retrained: the weights never change.

    tenant: acme
    max_fp_rate: 0.01
    thresholds:
      - {detector: injection_classifier, side: user, threshold: 0.8125, shipped: 0.5}
    rules_off:
      - {rule: "atr:ATR-2026-00002", why: "3 of 3 marked false positives"}

A threshold is on the scale of the detector's finding score: a finding of that
detector on that side ("user": user, customer and assistant turns; "document":
documents and tool output) flags from `threshold` on instead of the guard's
own threshold. The Guard rescales the finding's score so that `threshold`
lands on its threshold (as the shipped heads map theirs onto 0.5), so scores,
`flagged` and every reader downstream agree. A rule listed in `rules_off`
yields no finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from channelguard.errors import InputError
from channelguard.guard.types import Finding

__all__ = ["Calibration", "RuleOff", "ThresholdPoint", "load_calibration"]

Side = Literal["user", "document"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThresholdPoint(_Strict):
    detector: str = Field(min_length=1, max_length=64)
    side: Side
    threshold: float = Field(gt=0.0, le=1.0)
    shipped: float = Field(gt=0.0, le=1.0)  # what it was: for the reader, never used


class RuleOff(_Strict):
    rule: str = Field(min_length=1, max_length=200)
    why: str = Field(default="", max_length=500)


class Calibration(_Strict):
    tenant: str = Field(min_length=1, max_length=64)
    created_at: datetime | None = None
    max_fp_rate: float | None = Field(default=None, ge=0.0, le=1.0)
    min_rows: int | None = Field(default=None, ge=1)
    thresholds: tuple[ThresholdPoint, ...] = ()
    rules_off: tuple[RuleOff, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> Calibration:
        seen: set[tuple[str, str]] = set()
        for point in self.thresholds:
            key = (point.detector, point.side)
            if key in seen:
                raise ValueError(f"thresholds: {point.detector} ({point.side}) is given twice")
            seen.add(key)
        return self

    def threshold_for(self, detector: str, side: str) -> float | None:
        for point in self.thresholds:
            if point.detector == detector and point.side == side:
                return point.threshold
        return None

    def apply(self, findings: Iterable[Finding], *, side: str, threshold: float) -> list[Finding]:
        """The findings under this calibration: rules turned off dropped, scores of
        re-fitted detectors rescaled so that their threshold lands on `threshold`."""
        off = {r.rule for r in self.rules_off}
        out: list[Finding] = []
        for f in findings:
            if f.rule is not None and f.rule in off:
                continue
            point = self.threshold_for(f.detector, side)
            if point is None:
                out.append(f)
                continue
            score = rescale(f.score, point, threshold)
            out.append(
                replace(
                    f,
                    score=score,
                    evidence=_tenant_evidence(f.evidence, point, self.tenant, threshold),
                )
            )
        return out


# a head's evidence names the probability it needs: "fraud encoder 0.9232, flags at 0.9893"
_FLAGS_AT = re.compile(r", flags at (0\.\d+|1\.0+)")


def _tenant_evidence(evidence: str, point: float, tenant: str, shipped: float = 0.5) -> str:
    """The evidence on one scale: a head's "flags at" becomes the probability the
    tenant's threshold needs (the shipped threshold lands on 0.5 of the finding's
    score, the tenant's on `point`), so a flagged finding never reads as under it."""
    m = _FLAGS_AT.search(evidence)
    if m is None:
        return (
            f"{evidence} (tenant {tenant}: flags from a score of {point:.4g}, shipped {shipped:g})"
        )
    cut = float(m.group(1))
    places = len(m.group(1)) - 2
    # the inverse of classifier.calibrate at the shipped cut
    raw = cut + (point - 0.5) * 2 * (1 - cut) if point >= 0.5 else 2 * point * cut
    told = f", flags at {raw:.{places}f} for tenant {tenant} (shipped {m.group(1)})"
    return evidence[: m.start()] + told + evidence[m.end() :]


def rescale(score: float, point: float, threshold: float) -> float:
    """Map `score` so that `point` lands on `threshold`, monotone, 1.0 stays 1.0."""
    if score >= point:
        if point >= 1.0:
            return 1.0
        return threshold + (1.0 - threshold) * (score - point) / (1.0 - point)
    return threshold * score / point


def load_calibration(path: str | Path) -> Calibration:
    """A calibration file; the first problem is one `file:line: field: what` error."""
    from channelguard.model.loader import schema_issues
    from channelguard.model.yamlsource import read_yaml

    doc = read_yaml(path)
    if doc.issues:
        raise InputError(str(doc.issues[0]))
    if not isinstance(doc.data, dict):
        raise InputError(f"{path}:1: expected a mapping (tenant, thresholds, rules_off)")
    try:
        return Calibration.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(str(schema_issues(exc, doc)[0])) from None
