"""Re-fit a tenant's operating points from its marked feedback.

    report = calibrate(marks, tenant="acme", max_fp_rate=0.01)
    report.calibration  # what `--write FILE` saves; the Guard loads it

Per detector with a tunable score threshold (each n-gram and encoder head, per
side) and per rule of the rules detector (on or off), the marked texts are
re-scored with the shipped guard (a mark without text keeps the score it was
sent with). Rows marked `false_positive` are the benign ones the budget counts;
rows marked `missed` or `confirmed` are the attacks whose catch is kept.

- Fewer than `min_rows` scored rows: nothing changes, and the report says so.
- Over the budget at the shipped threshold, with no marked attack the shipped
  threshold catches in the group: nothing changes (a looser point fitted to false
  positives alone could let any attack through), and the report says to mark the
  attacks it catches.
- Over the budget at the shipped threshold: the lowest threshold that meets it.
  None up to CAP (which would switch the detector off): nothing changes, and
  the report says why; a detector is never disabled silently.
- Within the budget: the threshold goes lower than the shipped one only when at
  least `min_rows` marked misses score below it, never below FLOOR, and only as
  far as the budget allows, on the marked false positives and on the tenant's
  ordinary traffic (`harmless`: at least MIN_HARMLESS messages of that side).
  Marks alone never lower it: no one marks the harmless messages that pass, so
  nothing in them says what a lower threshold would flag.

Scores are the guard's at run time (its encoder mode too): a forecast made with
a stage that does not run on the message would promise catches that never come.

Nothing is retrained; the weights never change.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from channelguard.errors import InputError
from channelguard.guard.calibration import Calibration, RuleOff, ThresholdPoint
from channelguard.guard.detectors.base import ClassifierDetector, EncoderDetector
from channelguard.guard.guard import Guard
from channelguard.guard.registry import build_registry
from channelguard.guard.types import Message, Role

__all__ = ["CAP", "FLOOR", "CalibrationReport", "Change", "Mark", "calibrate"]

CAP = 0.999  # a threshold above this would switch the detector off
FLOOR = 0.25  # never lower than this (half the shipped operating point)
MIN_HARMLESS = 50  # ordinary messages of a side before its threshold may go lower
SCORING_THRESHOLD = 1e-6  # the scoring guard keeps every finding, however low
POSITIVE = ("missed", "confirmed")
LABELS = ("false_positive", *POSITIVE)
Side = Literal["user", "document"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Mark:
    label: str  # false_positive, missed or confirmed
    detector: str
    role: Role
    rule: str | None = None
    score: float | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise InputError(f"label: '{self.label}' is not one of {', '.join(LABELS)}")


@dataclass(frozen=True, kw_only=True, slots=True)
class _Row:
    positive: bool
    label: str
    score: float | None  # None: no text and no score sent; not usable


@dataclass(frozen=True, kw_only=True, slots=True)
class Change:
    """One detector (per side) or rule: before and after, on the marked rows."""

    detector: str
    side: Side | None  # None for a rule or a fixed-score detector
    rule: str | None
    kind: Literal["threshold", "rule", "fixed"]
    before: str  # as shown: "0.5000", or "on"
    after: str
    threshold_before: float | None  # None for a rule or a fixed-score detector
    threshold_after: float | None
    changed: bool
    reason: str
    rows: int  # marked rows
    scored: int  # of them, with a score to judge
    false_positives: int
    attacks: int
    fp_before: int
    fp_after: int
    caught_before: int
    caught_after: int
    harmless: int = 0  # the tenant's ordinary messages of this side, scored
    harmless_before: int = 0  # of them, flagged at the threshold before
    harmless_after: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class CalibrationReport:
    tenant: str
    max_fp_rate: float
    min_rows: int
    changes: tuple[Change, ...]
    calibration: Calibration

    def to_dict(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "max_fp_rate": self.max_fp_rate,
            "min_rows": self.min_rows,
            "changes": [c.to_dict() for c in self.changes],
            "calibration": self.calibration.model_dump(mode="json"),
        }


def calibrate(
    marks: Sequence[Mark],
    *,
    tenant: str,
    max_fp_rate: float = 0.01,
    min_rows: int = 3,
    guard: Guard | None = None,
    harmless: Sequence[Message] = (),
) -> CalibrationReport:
    """The report and the calibration for one tenant's marks (guard: the shipped one
    it re-scores with; its threshold is the shipped operating point; harmless: the
    tenant's ordinary messages, which measure what a lower threshold would flag)."""
    shipped = guard.threshold if guard is not None else 0.5
    registry = build_registry()
    tunable = {
        i for i, cls in registry.items() if issubclass(cls, ClassifierDetector | EncoderDetector)
    }
    scores = _rescore(marks, tunable, guard)
    wanted = sorted({m.detector for m in marks if m.detector in tunable})
    ordinary = _harmless_scores(harmless, wanted, guard)
    groups: dict[tuple[str, Side | None, str | None], list[_Row]] = defaultdict(list)
    for mark, found in zip(marks, scores, strict=True):
        key: tuple[str, Side | None, str | None]
        if mark.detector in tunable:
            key = (mark.detector, "document" if mark.role is Role.DOCUMENT else "user", None)
        elif mark.detector == "rules" and mark.rule is not None:
            key = ("rules", None, mark.rule)
        else:
            key = (mark.detector, None, mark.rule)
        groups[key].append(_Row(positive=mark.label in POSITIVE, label=mark.label, score=found))
    changes: list[Change] = []
    for (detector, side, rule), rows in sorted(groups.items(), key=lambda kv: str(kv[0])):
        if side is not None:
            plain = ordinary.get((detector, side), [])
            changes.append(_threshold(detector, side, rows, shipped, max_fp_rate, min_rows, plain))
        elif rule is not None:
            changes.append(_rule(rule, rows, max_fp_rate, min_rows))
        else:
            changes.append(_fixed(detector, rows))
    calibration = Calibration(
        tenant=tenant,
        created_at=datetime.now(UTC).replace(microsecond=0),
        max_fp_rate=max_fp_rate,
        min_rows=min_rows,
        thresholds=tuple(
            ThresholdPoint(
                detector=c.detector, side=c.side, threshold=c.threshold_after, shipped=shipped
            )
            for c in changes
            if c.changed and c.side is not None and c.threshold_after is not None
        ),
        rules_off=tuple(
            RuleOff(rule=c.rule, why=c.reason)
            for c in changes
            if c.kind == "rule" and c.changed and c.rule is not None
        ),
    )
    return CalibrationReport(
        tenant=tenant,
        max_fp_rate=max_fp_rate,
        min_rows=min_rows,
        changes=tuple(changes),
        calibration=calibration,
    )


def _rescore(marks: Sequence[Mark], tunable: set[str], guard: Guard | None) -> list[float | None]:
    """Per mark, its detector's score (1.0 or 0.0 for a rule: fired or not): from the
    shipped guard where the text was kept, else as it was sent."""
    out: list[float | None] = [m.score if m.rule is None else _fired_as_sent(m) for m in marks]
    wanted = sorted({m.detector for m in marks if m.text and (m.detector in tunable or m.rule)})
    if not wanted:
        return out
    scorer = _scorer(wanted, guard)
    # a stored text is re-scored even where its personal data was masked: a score
    # sent with a mark is the marker's word, and a threshold must not move on it
    indexed = [(i, m) for i, m in enumerate(marks) if m.text and m.detector in wanted]
    results = scorer.inspect_batch([Message(text=m.text or "", role=m.role) for _, m in indexed])
    for (i, m), result in zip(indexed, results, strict=True):
        mine = [f for f in result.findings if f.detector == m.detector]
        if m.rule is not None:
            fired = any(m.rule == f.rule or m.rule in f.also_rules for f in mine)
            out[i] = 1.0 if fired else 0.0
        else:
            out[i] = max((f.score for f in mine), default=0.0)
    return out


def _scorer(detectors: list[str], guard: Guard | None) -> Guard:
    """The shipped guard's settings (its encoder mode among them), these detectors
    only, every finding kept however low."""
    settings: dict[str, Any] = guard.settings() if guard is not None else {}
    settings.update(detectors=detectors, threshold=SCORING_THRESHOLD, calibration=None)
    return Guard(**settings).load()


def _harmless_scores(
    messages: Sequence[Message], detectors: list[str], guard: Guard | None
) -> dict[tuple[str, Side], list[float]]:
    """Per tunable detector and side, its score on each ordinary message."""
    out: dict[tuple[str, Side], list[float]] = defaultdict(list)
    if not messages or not detectors:
        return out
    registry = build_registry()
    results = _scorer(detectors, guard).inspect_batch(messages)
    for message, result in zip(messages, results, strict=True):
        side: Side = "document" if message.role is Role.DOCUMENT else "user"
        role = Role.USER if message.role is Role.CUSTOMER else message.role
        for detector in detectors:
            if role not in registry[detector].roles:
                continue  # an agent's reply is no evidence for a detector of inbound text
            mine = [f.score for f in result.findings if f.detector == detector]
            out[(detector, side)].append(max(mine, default=0.0))
    return out


def _fired_as_sent(mark: Mark) -> float | None:
    """A rule mark without text: a false positive or a confirmed finding fired; a
    miss did not."""
    return 0.0 if mark.label == "missed" else 1.0


def _threshold(
    detector: str,
    side: Side,
    rows: list[_Row],
    shipped: float,
    budget: float,
    min_rows: int,
    harmless: list[float],
) -> Change:
    neg = [r.score for r in rows if not r.positive and r.score is not None]
    pos = [r.score for r in rows if r.positive and r.score is not None]
    misses = [r.score for r in rows if r.label == "missed" and r.score is not None]
    new, reason = _fit(neg, pos, misses, shipped, budget, min_rows, harmless)
    return Change(
        detector=detector,
        side=side,
        rule=None,
        kind="threshold",
        before=f"{shipped:.4f}",
        after=f"{new:.4f}",
        threshold_before=shipped,
        threshold_after=new,
        changed=new != shipped,
        reason=reason,
        rows=len(rows),
        scored=len(neg) + len(pos),
        false_positives=len(neg),
        attacks=len(pos),
        fp_before=_at(neg, shipped),
        fp_after=_at(neg, new),
        caught_before=_at(pos, shipped),
        caught_after=_at(pos, new),
        harmless=len(harmless),
        harmless_before=_at(harmless, shipped),
        harmless_after=_at(harmless, new),
    )


def _fit(
    neg: list[float],
    pos: list[float],
    misses: list[float],
    shipped: float,
    budget: float,
    min_rows: int,
    harmless: list[float] = [],  # noqa: B006 (read only)
) -> tuple[float, str]:
    scored = len(neg) + len(pos)
    if scored < min_rows:
        return shipped, f"{scored} scored marked row(s), below the minimum of {min_rows}: unchanged"
    allowed = math.floor(budget * len(neg) + 1e-9)
    over = _at(neg, shipped)
    if over > allowed and not _at(pos, shipped):
        # a looser point fitted to false positives alone: nothing says what it lets through
        return shipped, (
            f"{over} of {len(neg)} marked false positives flag at {shipped:.4f}, but no "
            "marked attack it catches (--confirmed, or --missed scoring above it) weighs "
            "against raising it: unchanged; mark the attacks this detector catches for "
            "this tenant first"
        )
    if over > allowed:
        caught = _at(pos, shipped)
        for t in sorted({_above(x) for x in neg if x >= shipped}):
            if t > CAP:
                break
            if _at(pos, t) < caught:
                # a trial raised encoder_fraud past the one attack it caught: one attack
                # lost, no false positive fixed. A marked attack is never traded away
                return shipped, (
                    f"meeting the budget ({over} of {len(neg)} marked false positives flag at "
                    f"{shipped:.4f}) would un-flag {caught - _at(pos, t)} of the {caught} marked "
                    "attacks it catches: unchanged"
                )
            if _at(neg, t) <= allowed:
                return t, (
                    f"{over} of {len(neg)} marked false positives flag at {shipped:.4f}; "
                    f"the budget allows {allowed}: raised to the lowest threshold that meets it"
                )
        return shipped, (
            f"no threshold up to {CAP} meets the budget ({over} of {len(neg)} false positives "
            "score above it): that would switch the detector off, so it is unchanged; turn it "
            "off explicitly (--detectors) if that is meant"
        )
    below = sorted(x for x in misses if FLOOR <= x < shipped)
    if len(below) < min_rows:
        return shipped, (
            f"within the budget at the shipped threshold ({over} of {len(neg)} false "
            f"positives); {len(below)} marked miss(es) score below it, fewer than "
            f"{min_rows}: not lowered"
        )
    if len(harmless) < MIN_HARMLESS:
        return shipped, (
            f"{len(below)} marked misses score below {shipped:.4f}, but {len(harmless)} "
            f"ordinary messages of this side measure what a lower threshold would flag "
            f"(at least {MIN_HARMLESS} needed: --harmless FILE): not lowered"
        )
    plain = math.floor(budget * len(harmless) + 1e-9)
    for t in below:
        # the budget is checked at the value returned, after rounding down
        lowered = math.floor(t * 10_000) / 10_000
        if _at(neg, lowered) <= allowed and _at(harmless, lowered) <= plain:
            return lowered, (
                f"{len(below)} marked misses score below {shipped:.4f}; lowered as far as the "
                f"budget allows ({_at(neg, lowered)} of {len(neg)} false positives, "
                f"{_at(harmless, lowered)} of {len(harmless)} ordinary messages flagged)"
            )
    return shipped, "the marked misses cannot be caught within the budget: unchanged"


def _rule(rule: str, rows: list[_Row], budget: float, min_rows: int) -> Change:
    neg = [r.score or 0.0 for r in rows if not r.positive and r.score is not None]
    pos = [r.score or 0.0 for r in rows if r.positive and r.score is not None]
    scored = len(neg) + len(pos)
    fp, caught = _at(neg, 1.0), _at(pos, 1.0)
    allowed = math.floor(budget * len(neg) + 1e-9)
    if scored < min_rows:
        off, reason = False, f"{scored} marked row(s), below the minimum of {min_rows}: unchanged"
    elif fp > allowed:
        off = True
        reason = (
            f"fires on {fp} of {len(neg)} marked false positives (budget {allowed}); "
            f"catches {caught} of {len(pos)} marked attacks: turned off for this tenant"
        )
    else:
        off, reason = False, f"within the budget ({fp} of {len(neg)} false positives): kept on"
    return Change(
        detector="rules",
        side=None,
        rule=rule,
        kind="rule",
        before="on",
        after="off" if off else "on",
        threshold_before=None,
        threshold_after=None,
        changed=off,
        reason=reason,
        rows=len(rows),
        scored=scored,
        false_positives=len(neg),
        attacks=len(pos),
        fp_before=fp,
        fp_after=0 if off else fp,
        caught_before=caught,
        caught_after=0 if off else caught,
    )


def _fixed(detector: str, rows: list[_Row]) -> Change:
    why = (
        "name the rule (rule) to calibrate the rules detector"
        if detector == "rules"
        else (
            "a fixed-score detector: no threshold to fit; the rows are kept for review "
            "(to stop it firing, leave it out of --detectors or the service's "
            "guard.detectors; a wrong or missed finding of it is a fault to report)"
        )
    )
    # nothing changes, so each marked row fires as it was marked: a false positive and a
    # confirmed finding fired, a miss did not (not "0 of 3": the detector does fire)
    fired_wrongly = sum(not r.positive for r in rows)
    caught = sum(r.label == "confirmed" for r in rows)
    return Change(
        detector=detector,
        side=None,
        rule=None,
        kind="fixed",
        before="-",
        after="-",
        threshold_before=None,
        threshold_after=None,
        changed=False,
        reason=why,
        rows=len(rows),
        scored=0,
        false_positives=fired_wrongly,
        attacks=sum(r.positive for r in rows),
        fp_before=fired_wrongly,
        fp_after=fired_wrongly,
        caught_before=caught,
        caught_after=caught,
    )


def _at(scores: list[float], threshold: float) -> int:
    return sum(s >= threshold for s in scores)


def _above(score: float) -> float:
    """The next threshold on a 4-decimal grid strictly above `score`."""
    return round(math.floor(score * 10_000 + 1e-9) / 10_000 + 0.0001, 4)
